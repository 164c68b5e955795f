/** Date-time helpers in Smaregi's wire format (`YYYY-MM-DDThh:mm:ssTZD`, JST in responses). */

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Formats an instant as `2025-01-01T10:00:00+09:00` (Smaregi answers in JST). */
export function formatJst(date: Date): string {
  const j = new Date(date.getTime() + JST_OFFSET_MS);
  return (
    `${j.getUTCFullYear()}-${pad(j.getUTCMonth() + 1)}-${pad(j.getUTCDate())}` +
    `T${pad(j.getUTCHours())}:${pad(j.getUTCMinutes())}:${pad(j.getUTCSeconds())}+09:00`
  );
}

/** The JST calendar date `YYYY-MM-DD` of an instant. */
export function formatJstDate(date: Date): string {
  return formatJst(date).slice(0, 10);
}

const DATE_TIME_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses an ISO 8601 date-time that carries an offset (`Z` or `±hh:mm`). Returns null for
 * anything else, including impossible dates such as `2025-02-30`. LENIENT: the official format is
 * `YYYY-MM-DDThh:mm:ssTZD`; `Z` and fractional seconds are accepted here without a source saying
 * Smaregi does (docs/smaregi-wire.md §5.4).
 */
export function parseOffsetDateTime(text: string): Date | null {
  const m = DATE_TIME_WITH_OFFSET.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCMonth() !== mo - 1) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}
