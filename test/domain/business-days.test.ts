import { describe, expect, it } from 'vitest';

import { addBusinessDays, parseHolidays } from '../../src/domain/calendar/business-days.js';

describe('business days', () => {
  const cases: [string, number, string, string][] = [
    // from (a Monday), days, holidays, expected
    ['2026-11-23T09:00:00Z', 4, '', '2026-11-27T09:00:00.000Z'],
    // Thursday + 4 business days skips the weekend.
    ['2026-11-26T09:00:00Z', 4, '', '2026-12-02T09:00:00.000Z'],
    // Starting on a Saturday: Monday is the first business day.
    ['2026-11-28T12:00:00Z', 1, '', '2026-11-30T12:00:00.000Z'],
    // Christmas and Boxing Day as holidays push it on.
    ['2026-12-23T10:00:00Z', 4, '2026-12-25,2026-12-28', '2026-12-31T10:00:00.000Z'],
    ['2026-12-23T10:00:00Z', 0, '', '2026-12-23T10:00:00.000Z'],
  ];
  it.each(cases)('%s + %i business days (holidays %j) = %s', (from, days, holidays, expected) => {
    expect(addBusinessDays(new Date(from), days, parseHolidays(holidays)).toISOString()).toBe(
      expected,
    );
  });

  it('refuses a malformed holiday', () => {
    expect(() => parseHolidays('2026-12-25,Christmas')).toThrow(/Christmas/);
  });
});
