import { jsonString } from "../../assembly/json/string";
import { isWellFormedJson } from "../../assembly/json/check";
import { ICONS } from "../../assembly/events/icons";

/** Returns the UTF-8 bytes of jsonString(text), as a module would send them. */
export function jsonStringBytes(text: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(jsonString(text)));
}

export function checkJson(text: string): bool {
  return isWellFormedJson(text);
}

export function iconList(): string[] {
  return ICONS;
}
