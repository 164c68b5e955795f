/*
 * Date-time helpers without a clock: they only read the strings they are given.
 */

const OFFSET_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|z|[+-]\d{2}:?\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

function validYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/**
 * Parses an ISO 8601 date-time that carries an offset (`Z` or `±hh:mm`) to epoch milliseconds.
 * Returns null for anything else (no offset, impossible dates, non-strings): a time without an
 * offset is ambiguous and never guessed.
 */
export function parseOffsetDateTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = OFFSET_DATE_TIME.exec(value);
  if (!m) return null;
  const [, ys, mos, ds, hs, mis, ss, frac, tz] = m;
  const y = Number(ys),
    mo = Number(mos),
    d = Number(ds),
    h = Number(hs),
    mi = Number(mis);
  const sec = ss === undefined ? 0 : Number(ss);
  if (!validYmd(y, mo, d) || h > 23 || mi > 59 || sec > 59) return null;
  const ms = frac === undefined ? 0 : Math.floor(Number(`0${frac}`) * 1000);
  let offsetMinutes = 0;
  if (tz !== undefined && tz !== 'Z' && tz !== 'z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2)),
      om = Number(digits.slice(2, 4));
    if (oh > 23 || om > 59) return null;
    offsetMinutes = sign * (oh * 60 + om);
  }
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offsetMinutes * 60_000;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Formats an instant as Smaregi's `YYYY-MM-DDThh:mm:ss+09:00` (Japan time, whole seconds). Smaregi
 * is a Japanese service whose day boundaries (締め) are in JST, so orders are sent in JST whatever
 * offset the OMS used; the instant is unchanged.
 */
export function formatSmaregiDateTime(epochMs: number): string {
  const t = new Date(Math.floor(epochMs / 1000) * 1000 + JST_OFFSET_MS);
  return (
    `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}` +
    `T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}+09:00`
  );
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  return m !== null && validYmd(Number(m[1]), Number(m[2]), Number(m[3]));
}
