// HMAC-SHA256 as specified in RFC 2104, with SHA-256 as the hash function.

import { Sha256, sha256, SHA256_BLOCK_BYTES } from "./sha256";

const INNER_PAD: u8 = 0x36;
const OUTER_PAD: u8 = 0x5c;

/** Returns the 32-byte HMAC-SHA256 of `data` under `key`. Any key length is accepted. */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  // Keys longer than one block are replaced by their digest, and shorter keys are
  // zero-padded to one block.
  const blockKey = new Uint8Array(SHA256_BLOCK_BYTES);
  blockKey.set(key.length > SHA256_BLOCK_BYTES ? sha256(key) : key);

  const padded = new Uint8Array(SHA256_BLOCK_BYTES);
  for (let i: i32 = 0; i < SHA256_BLOCK_BYTES; i++) {
    unchecked((padded[i] = blockKey[i] ^ INNER_PAD));
  }
  const hasher = new Sha256();
  hasher.update(padded);
  hasher.update(data);
  const innerDigest = hasher.digest();

  for (let i: i32 = 0; i < SHA256_BLOCK_BYTES; i++) {
    unchecked((padded[i] = blockKey[i] ^ OUTER_PAD));
  }
  hasher.update(padded);
  hasher.update(innerDigest);
  return hasher.digest();
}
