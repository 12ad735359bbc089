import { random_get } from "bindings/wasi_snapshot_preview1";

/** Fills a new buffer from the host's random_get. */
export function randomBytes(count: i32): Uint8Array {
  const bytes = new Uint8Array(count);
  if (count > 0) random_get(bytes.dataStart, <usize>count);
  return bytes;
}

/** Returns a uniformly distributed integer in [0, bound), from host randomness; 0 when bound is 0. */
export function randomBelow(bound: u32): u32 {
  if (bound == 0) return 0;
  // Rejection sampling keeps the result unbiased when bound does not divide 2^32.
  const limit: u32 = <u32>(0x100000000 - (<u64>0x100000000 % <u64>bound)) - 1;
  const scratch = randomBytes(4);
  for (let attempt = 0; attempt < 64; attempt++) {
    random_get(scratch.dataStart, 4);
    const value = load<u32>(scratch.dataStart);
    if (value <= limit) return value % bound;
  }
  return load<u32>(scratch.dataStart) % bound;
}
