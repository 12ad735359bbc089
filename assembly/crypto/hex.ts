// Byte and text conversions used around the hash functions.

const HEX_DIGITS = "0123456789abcdef";

/** Returns `bytes` as lowercase hexadecimal, two digits per byte. */
export function toHex(bytes: Uint8Array): string {
  const length = bytes.length;
  const ascii = new Uint8Array(length * 2);
  for (let i: i32 = 0; i < length; i++) {
    const byte = unchecked(bytes[i]);
    unchecked((ascii[i * 2] = <u8>HEX_DIGITS.charCodeAt(byte >> 4)));
    unchecked((ascii[i * 2 + 1] = <u8>HEX_DIGITS.charCodeAt(byte & 0x0f)));
  }
  return String.UTF8.decode(ascii.buffer);
}

/**
 * Encodes `text` as UTF-8. An unpaired surrogate becomes U+FFFD (bytes EF BF BD), as
 * JavaScript's TextEncoder does, so the bytes are always valid UTF-8.
 */
export function utf8Bytes(text: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(text, false, String.UTF8.ErrorMode.REPLACE));
}
