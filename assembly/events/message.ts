import { jsonString } from "../json/string";
import { formatRfc3339 } from "../time/utc";
import { toHex } from "../crypto";
import { ICONS } from "./icons";
import { randomBelow, randomBytes } from "../platform/random";


/** Eight random lowercase hex digits. */
export function randomContainerId(): string {
  return toHex(randomBytes(4));
}

/** Builds the next message's JSON text, its fields in the order users' consumers expect. */
export function buildMessage(vmName: string, color: string, epochMs: i64): string {
  const icon = ICONS[<i32>randomBelow(<u32>ICONS.length)];
  return "{\"vm_name\":" + jsonString(vmName) +
    ",\"icon_name\":" + jsonString(icon) +
    ",\"timestamp\":" + jsonString(formatRfc3339(epochMs)) +
    ",\"color\":" + jsonString(color) +
    ",\"container_id\":" + jsonString(randomContainerId()) + "}";
}
