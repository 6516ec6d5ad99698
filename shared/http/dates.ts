// Calendar days in query and path parameters. Parsing never builds a Date from text it has not checked (an invalid
// Date's toISOString() throws a RangeError, which used to surface as a 500), so any string is either a day or a 400.
import { z } from "zod";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for `yyyy-MM-dd` naming a real day of the proleptic Gregorian calendar (2026-02-30 is not one). */
export const isCalendarDate = (value: string): boolean => {
  const m = DAY.exec(value);
  if (m === null) return false;
  const [, y, mo, d] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0..99 to 1900..1999.
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/** The one schema of a calendar day in a request: `yyyy-MM-dd` naming a real day (2026-02-30 is refused). */
export const calendarDate = z.string().refine(isCalendarDate, "must be a real calendar day written yyyy-MM-dd");
