/** Days that are not business days besides weekends, as `YYYY-MM-DD` (UTC). */
export type Holidays = ReadonlySet<string>;

function isBusinessDay(day: Date, holidays: Holidays): boolean {
  const weekday = day.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(day.toISOString().slice(0, 10));
}

/**
 * The moment `days` business days after `from`: each weekday that is not a
 * holiday counts as one; weekends and holidays are skipped (UTC calendar).
 */
export function addBusinessDays(from: Date, days: number, holidays: Holidays): Date {
  const result = new Date(from.getTime());
  let left = days;
  while (left > 0) {
    result.setUTCDate(result.getUTCDate() + 1);
    if (isBusinessDay(result, holidays)) left -= 1;
  }
  return result;
}

/** Parses a holiday list like `2026-12-25,2027-01-01`; throws on a malformed date. */
export function parseHolidays(list: string): Holidays {
  const days = list
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  for (const day of days) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
      throw new Error(`holiday "${day}" is not a date like 2026-12-25`);
    }
  }
  return new Set(days);
}
