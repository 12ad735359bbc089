import { jsonString } from "../json/string";
import { randomBelow, randomBytes } from "../platform/random";

// The icons a message picks from; each is one emoji, some outside the Basic Multilingual Plane
// so that 4-byte UTF-8 goes through every run.
export const ICONS: string[] = ["🚀", "📡", "⚡", "🔥", "🌊", "🌍", "🤖", "📦", "🧭", "🛸", "🔔", "🌟"];

function twoDigits(value: i64): string {
  return value < 10 ? "0" + value.toString() : value.toString();
}

/** RFC 3339 UTC time with whole seconds and a Z suffix, from Unix epoch milliseconds. */
export function formatTimestamp(epochMs: i64): string {
  const seconds = epochMs / 1000;
  let days = seconds / 86400;
  const secondOfDay = seconds % 86400;

  // Civil date from days since 1970-01-01 (the proleptic Gregorian calendar, 400-year eras).
  days += 719468;
  const era = days / 146097;
  const dayOfEra = days - era * 146097;
  const yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
  const dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
  const monthIndex = (5 * dayOfYear + 2) / 153;
  const day = dayOfYear - (153 * monthIndex + 2) / 5 + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

  return year.toString().padStart(4, "0") + "-" + twoDigits(month) + "-" + twoDigits(day) + "T" +
    twoDigits(secondOfDay / 3600) + ":" + twoDigits((secondOfDay / 60) % 60) + ":" + twoDigits(secondOfDay % 60) + "Z";
}

/** Eight random lowercase hex digits. */
export function randomContainerId(): string {
  const bytes = randomBytes(4);
  let id = "";
  for (let i = 0; i < 4; i++) id += (<u32>bytes[i]).toString(16).padStart(2, "0");
  return id;
}

/** Builds the next message's JSON text, its fields in the order users' consumers expect. */
export function buildMessage(vmName: string, color: string, epochMs: i64): string {
  const icon = ICONS[<i32>randomBelow(<u32>ICONS.length)];
  return "{\"vm_name\":" + jsonString(vmName) +
    ",\"icon_name\":" + jsonString(icon) +
    ",\"timestamp\":" + jsonString(formatTimestamp(epochMs)) +
    ",\"color\":" + jsonString(color) +
    ",\"container_id\":" + jsonString(randomContainerId()) + "}";
}
