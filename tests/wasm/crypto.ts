// Test harness for assembly/crypto: plain exports that the ESM bindings can call.

import { Md5, Sha256, sha256 } from "../../assembly/crypto";

export { sha256, hmacSha256, md5, toHex, utf8Bytes } from "../../assembly/crypto";

/** Hashes `data` with one Sha256 hasher, feeding it in pieces that end at each offset in `cuts`. */
export function sha256Pieces(data: Uint8Array, cuts: Int32Array): Uint8Array {
  const hasher = new Sha256();
  let start: i32 = 0;
  for (let i: i32 = 0; i < cuts.length; i++) {
    hasher.update(data.subarray(start, cuts[i]));
    start = cuts[i];
  }
  hasher.update(data.subarray(start));
  return hasher.digest();
}

/** Hashes `data` with one Md5 hasher, feeding it in pieces that end at each offset in `cuts`. */
export function md5Pieces(data: Uint8Array, cuts: Int32Array): Uint8Array {
  const hasher = new Md5();
  let start: i32 = 0;
  for (let i: i32 = 0; i < cuts.length; i++) {
    hasher.update(data.subarray(start, cuts[i]));
    start = cuts[i];
  }
  hasher.update(data.subarray(start));
  return hasher.digest();
}

/** Hashes `first`, then `second` with the same Sha256 hasher, and returns the second digest. */
export function sha256AfterReuse(first: Uint8Array, second: Uint8Array): Uint8Array {
  const hasher = new Sha256();
  hasher.update(first);
  hasher.digest();
  hasher.update(second);
  return hasher.digest();
}

/** Hashes `data` `count` times inside WebAssembly, to time hashing without the copy across the boundary. */
export function sha256Repeatedly(data: Uint8Array, count: i32): Uint8Array {
  let digest = new Uint8Array(0);
  for (let i: i32 = 0; i < count; i++) {
    digest = sha256(data);
  }
  return digest;
}
