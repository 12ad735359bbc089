// UTC date formats: the X-Amz-Date value the SigV4 signer writes, the HTTP Date header a
// server returns (which gives the clock skew to correct for), and the RFC 3339 timestamps
// in messages.

const MS_PER_SECOND: i64 = 1000;
const MS_PER_DAY: i64 = 86_400_000;

/** Earliest and latest instants whose year has four digits (0000-01-01 and 9999-12-31T23:59:59.999Z). */
const MIN_FORMATTABLE_MS: i64 = -62_167_219_200_000;
const MAX_FORMATTABLE_MS: i64 = 253_402_300_799_999;

const MONTH_NAMES = "JanFebMarAprMayJunJulAugSepOctNovDec";
const DAY_NAMES = "MonTueWedThuFriSatSun";

/**
 * Formats an instant as `YYYYMMDDTHHMMSSZ` in UTC, dropping milliseconds. Instants outside
 * years 0000-9999 are clamped to that range, because the format has four year digits.
 */
export function formatAmzDate(epochMs: i64): string {
  let ms = epochMs;
  if (ms < MIN_FORMATTABLE_MS) ms = MIN_FORMATTABLE_MS;
  if (ms > MAX_FORMATTABLE_MS) ms = MAX_FORMATTABLE_MS;

  const days = floorDivide(ms, MS_PER_DAY);
  const secondOfDay = <i32>((ms - days * MS_PER_DAY) / MS_PER_SECOND);
  const date = civilFromDays(days);
  return (
    pad(date.year, 4) +
    pad(date.month, 2) +
    pad(date.day, 2) +
    "T" +
    pad(secondOfDay / 3600, 2) +
    pad((secondOfDay / 60) % 60, 2) +
    pad(secondOfDay % 60, 2) +
    "Z"
  );
}

/**
 * Formats an instant as RFC 3339 in UTC with whole seconds and a `Z` suffix, such as
 * `2026-04-13T17:47:24Z`. Instants outside years 0000-9999 are clamped as in formatAmzDate.
 */
export function formatRfc3339(epochMs: i64): string {
  const compact = formatAmzDate(epochMs);
  return compact.substring(0, 4) + "-" + compact.substring(4, 6) + "-" + compact.substring(6, 8) + "T" +
    compact.substring(9, 11) + ":" + compact.substring(11, 13) + ":" + compact.substring(13, 15) + "Z";
}

/** True when `text` has the `YYYYMMDDTHHMMSSZ` shape with a real month, day and time of day. */
export function isValidAmzDate(text: string): bool {
  if (text.length != 16 || text.charCodeAt(8) != 0x54 || text.charCodeAt(15) != 0x5a) return false;
  for (let i: i32 = 0; i < 15; i++) {
    if (i != 8 && !isDigit(text.charCodeAt(i))) return false;
  }
  const year = readNumber(text, 0, 4);
  const month = readNumber(text, 4, 2);
  const day = readNumber(text, 6, 2);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  return readNumber(text, 9, 2) < 24 && readNumber(text, 11, 2) < 60 && readNumber(text, 13, 2) < 60;
}

/**
 * Parses an RFC 7231 IMF-fixdate such as `Wed, 21 Oct 2015 07:28:00 GMT` and returns it as
 * milliseconds since the Unix epoch, or -1 when `text` is not one. Surrounding spaces are
 * ignored, the day name is checked for spelling but not against the date, and a leap
 * second (`:60`) is read as the second before it.
 */
export function parseHttpDate(text: string): i64 {
  const value = text.trim();
  // NOTE: the obsolete RFC 850 and asctime() forms, which RFC 7231 also requires recipients
  // to accept, return -1 here. AWS endpoints send IMF-fixdate.
  if (value.length != 29) return -1;
  const dayNameIndex = DAY_NAMES.indexOf(value.substring(0, 3));
  if (dayNameIndex < 0 || dayNameIndex % 3 != 0) return -1;
  if (value.substring(3, 5) != ", " || value.charCodeAt(7) != 0x20 || value.charCodeAt(11) != 0x20) return -1;
  if (value.charCodeAt(16) != 0x20 || value.charCodeAt(19) != 0x3a || value.charCodeAt(22) != 0x3a) return -1;
  if (value.substring(25) != " GMT") return -1;

  const digitPositions: i32[] = [5, 6, 12, 13, 14, 15, 17, 18, 20, 21, 23, 24];
  for (let i: i32 = 0; i < digitPositions.length; i++) {
    if (!isDigit(value.charCodeAt(digitPositions[i]))) return -1;
  }
  const monthIndex = MONTH_NAMES.indexOf(value.substring(8, 11));
  if (monthIndex < 0 || monthIndex % 3 != 0) return -1;

  const day = readNumber(value, 5, 2);
  const month = monthIndex / 3 + 1;
  const year = readNumber(value, 12, 4);
  const hour = readNumber(value, 17, 2);
  const minute = readNumber(value, 20, 2);
  let second = readNumber(value, 23, 2);
  if (day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) return -1;
  if (second == 60) second = 59;

  const days = daysFromCivil(year, month, day);
  return days * MS_PER_DAY + (<i64>(hour * 3600 + minute * 60 + second)) * MS_PER_SECOND;
}

class CivilDate {
  constructor(public year: i32, public month: i32, public day: i32) {}
}

// The two conversions below are Howard Hinnant's days_from_civil and civil_from_days
// algorithms for the proleptic Gregorian calendar, with eras of 400 years (146097 days).

function civilFromDays(daysSinceEpoch: i64): CivilDate {
  const z = daysSinceEpoch + 719468;
  const era = floorDivide(z, 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
  const dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
  const shiftedMonth = (5 * dayOfYear + 2) / 153;
  const day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return new CivilDate(<i32>year, <i32>month, <i32>day);
}

function daysFromCivil(year: i32, month: i32, day: i32): i64 {
  const marchYear: i64 = <i64>(month <= 2 ? year - 1 : year);
  const era = floorDivide(marchYear, 400);
  const yearOfEra = marchYear - era * 400;
  const shiftedMonth: i64 = <i64>(month > 2 ? month - 3 : month + 9);
  const dayOfYear = (153 * shiftedMonth + 2) / 5 + <i64>day - 1;
  const dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function daysInMonth(year: i32, month: i32): i32 {
  if (month == 2) {
    const leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
}

function floorDivide(dividend: i64, divisor: i64): i64 {
  const quotient = dividend / divisor;
  return dividend % divisor < 0 ? quotient - 1 : quotient;
}

function isDigit(code: i32): bool {
  return code >= 0x30 && code <= 0x39;
}

/** Reads `length` decimal digits of `text` starting at `start`. The caller has checked they are digits. */
function readNumber(text: string, start: i32, length: i32): i32 {
  let value: i32 = 0;
  for (let i: i32 = start; i < start + length; i++) {
    value = value * 10 + (text.charCodeAt(i) - 0x30);
  }
  return value;
}

function pad(value: i32, width: i32): string {
  return value.toString().padStart(width, "0");
}
