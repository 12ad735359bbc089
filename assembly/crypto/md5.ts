// MD5 as specified in RFC 1321. MD5 is broken for collision resistance, and it is here
// only because SQS reports MD5 checksums of message bodies and attributes.

import { BlockHasher, BLOCK_BYTES } from "./block-hasher";

/** Size of an MD5 digest in bytes. */
export const MD5_DIGEST_BYTES: i32 = 16;

// T[i] = floor(2^32 * abs(sin(i + 1))) for i in 0..63 (RFC 1321, section 3.4). Both tables
// live in static memory rather than managed arrays, so reading them in the inner loop does
// not also write the array reference to the incremental runtime's shadow stack.
const SINE_TABLE: usize = memory.data<u32>([
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
  0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
  0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
  0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
  0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
  0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
  0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
  0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
]);

// Left-rotation amounts, four per round, each used for every fourth step of that round.
const ROTATIONS: usize = memory.data<u32>([7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]);

// Initial buffer A, B, C, D (RFC 1321, section 3.3).
const INITIAL_STATE: StaticArray<u32> = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];

/**
 * Applies the MD5 block function to `blockCount` consecutive 64-byte blocks starting at
 * `blocksStart`, updating the four words of `state` in place.
 *
 * UNMANAGED MEMORY: reads `blockCount * 64` raw bytes from `blocksStart`. Callers must pass
 * an address inside a live buffer with at least that many bytes after it. Nothing here
 * allocates, so the garbage collector cannot free the buffer during the call. The static
 * SINE_TABLE and ROTATIONS regions are read only here.
 */
function compressBlocks(state: StaticArray<u32>, blocksStart: usize, blockCount: i32): void {
  let a0 = unchecked(state[0]);
  let b0 = unchecked(state[1]);
  let c0 = unchecked(state[2]);
  let d0 = unchecked(state[3]);
  let blockStart = blocksStart;

  for (let block: i32 = 0; block < blockCount; block++) {
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;

    // Each round mixes in all 16 message words (little-endian, like WebAssembly loads) in
    // its own order, given by wordIndex.
    for (let step: i32 = 0; step < 64; step++) {
      const round = step >> 4;
      let mixed: u32;
      let wordIndex: i32;
      if (round == 0) {
        mixed = (b & c) | (~b & d);
        wordIndex = step;
      } else if (round == 1) {
        mixed = (d & b) | (~d & c);
        wordIndex = (5 * step + 1) & 15;
      } else if (round == 2) {
        mixed = b ^ c ^ d;
        wordIndex = (3 * step + 5) & 15;
      } else {
        mixed = c ^ (b | ~d);
        wordIndex = (7 * step) & 15;
      }
      const word = load<u32>(blockStart + (<usize>wordIndex << 2));
      const sum = a + mixed + load<u32>(SINE_TABLE + (<usize>step << 2)) + word;
      const rotation = load<u32>(ROTATIONS + (<usize>((round << 2) | (step & 3)) << 2));
      a = d;
      d = c;
      c = b;
      b = b + rotl<u32>(sum, rotation);
    }

    a0 += a;
    b0 += b;
    c0 += c;
    d0 += d;
    blockStart += <usize>BLOCK_BYTES;
  }

  unchecked((state[0] = a0));
  unchecked((state[1] = b0));
  unchecked((state[2] = c0));
  unchecked((state[3] = d0));
}

/** Incremental MD5 hasher, for input that arrives in pieces. */
export class Md5 extends BlockHasher {
  constructor() {
    super(INITIAL_STATE, false);
  }

  protected compress(blocksStart: usize, blockCount: i32): void {
    compressBlocks(this.state, blocksStart, blockCount);
  }
}

/** Returns the 16-byte MD5 digest of `data`. */
export function md5(data: Uint8Array): Uint8Array {
  const hasher = new Md5();
  hasher.update(data);
  return hasher.digest();
}
