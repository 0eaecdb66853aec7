/** A date as the user's browser shows dates, or a dash. */
export function formatDate(iso: string | null | undefined): string {
  return iso === null || iso === undefined ? '-' : new Date(iso).toLocaleString();
}
