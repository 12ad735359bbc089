// The URI encoding that SigV4 canonical forms use: every byte except the RFC 3986
// unreserved characters becomes %XX with upper-case hex digits.

import { utf8Bytes } from "../crypto/hex";

const UPPER_HEX = "0123456789ABCDEF";
const CHAR_PERCENT: u8 = 0x25;
const CHAR_SLASH: u8 = 0x2f;

/** True for A-Z, a-z, 0-9, `-`, `.`, `_` and `~`, the only bytes SigV4 leaves unencoded. */
export function isUnreserved(byte: u8): bool {
  if (byte >= 0x30 && byte <= 0x39) return true;
  if (byte >= 0x41 && byte <= 0x5a) return true;
  if (byte >= 0x61 && byte <= 0x7a) return true;
  return byte == 0x2d || byte == 0x2e || byte == 0x5f || byte == 0x7e;
}

/** Encodes `bytes` for a canonical form, leaving `/` raw when `keepSlash` is set (paths). */
export function uriEncodeBytes(bytes: Uint8Array, keepSlash: bool): string {
  const out = new Uint8Array(bytes.length * 3);
  let length: i32 = 0;
  for (let i: i32 = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (isUnreserved(byte) || (keepSlash && byte == CHAR_SLASH)) {
      out[length++] = byte;
      continue;
    }
    out[length++] = CHAR_PERCENT;
    out[length++] = <u8>UPPER_HEX.charCodeAt(byte >> 4);
    out[length++] = <u8>UPPER_HEX.charCodeAt(byte & 0x0f);
  }
  return String.UTF8.decode(out.slice(0, length).buffer);
}

/** Encodes the UTF-8 bytes of `text`. An unpaired surrogate is encoded as U+FFFD. */
export function uriEncode(text: string, keepSlash: bool): string {
  return uriEncodeBytes(utf8Bytes(text), keepSlash);
}

/**
 * Decodes each `%XX` escape in `text` to its byte and returns the UTF-8 bytes of the rest
 * unchanged. A `%` without two hex digits after it stays literal, and `+` stays `+`
 * (it means a space only in form bodies, not in URLs).
 */
export function percentDecode(text: string): Uint8Array {
  const bytes = utf8Bytes(text);
  const out = new Uint8Array(bytes.length);
  let length: i32 = 0;
  let i: i32 = 0;
  while (i < bytes.length) {
    const byte = bytes[i];
    if (byte == CHAR_PERCENT && i + 2 < bytes.length) {
      const high = hexValue(bytes[i + 1]);
      const low = hexValue(bytes[i + 2]);
      if (high >= 0 && low >= 0) {
        out[length++] = <u8>((high << 4) | low);
        i += 3;
        continue;
      }
    }
    out[length++] = byte;
    i++;
  }
  return out.slice(0, length);
}

/** Returns the value of one hex digit, or -1 when `byte` is not one. */
function hexValue(byte: u8): i32 {
  if (byte >= 0x30 && byte <= 0x39) return <i32>byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return <i32>byte - 0x41 + 10;
  if (byte >= 0x61 && byte <= 0x66) return <i32>byte - 0x61 + 10;
  return -1;
}
