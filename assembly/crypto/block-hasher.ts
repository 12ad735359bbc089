// Merkle–Damgård block buffering and padding, shared by MD5 (RFC 1321, section 3) and
// SHA-256 (FIPS 180-4, section 5.1.1). Here the two differ only in byte order, because MD5
// writes the message length and the digest words little-endian and SHA-256 big-endian.

/** Size of an MD5 or SHA-256 message block in bytes. */
export const BLOCK_BYTES: i32 = 64;

/**
 * Incremental hasher over 64-byte blocks, for input that arrives in pieces. Full blocks are
 * hashed straight from the caller's array, so only a partial block (at most 63 bytes) is
 * copied. Subclasses supply the initial state, the byte order and the compression function.
 */
export abstract class BlockHasher {
  protected state: StaticArray<u32>;
  private initialState: StaticArray<u32>;
  private bigEndian: bool;
  private pending: StaticArray<u8> = new StaticArray<u8>(BLOCK_BYTES);
  private pendingLength: i32 = 0;
  private totalLength: u64 = 0;

  /**
   * Creates a hasher whose state starts as a copy of `initialState`. The digest is
   * `initialState.length * 4` bytes long.
   */
  constructor(initialState: StaticArray<u32>, bigEndian: bool) {
    this.initialState = initialState;
    this.bigEndian = bigEndian;
    this.state = new StaticArray<u32>(initialState.length);
    this.reset();
  }

  /**
   * Applies the compression function to `blockCount` consecutive 64-byte blocks starting at
   * `blocksStart`, updating `state` in place. One call covers a whole run of blocks, so
   * `update` makes at most two virtual calls, however many blocks it hashes.
   *
   * UNMANAGED MEMORY: `blocksStart` points at `blockCount * 64` readable bytes inside a live
   * buffer, and implementations must not allocate, so the garbage collector cannot free that
   * buffer during the call.
   */
  protected abstract compress(blocksStart: usize, blockCount: i32): void;

  /** Discards all input so the hasher can start a new message. */
  reset(): void {
    const wordCount = this.state.length;
    for (let i: i32 = 0; i < wordCount; i++) {
      unchecked((this.state[i] = this.initialState[i]));
    }
    this.pendingLength = 0;
    this.totalLength = 0;
  }

  /** Appends `data` to the message. */
  update(data: Uint8Array): void {
    const length = data.length;
    this.totalLength += <u64>length;
    let offset: i32 = 0;

    if (this.pendingLength > 0) {
      const take = min(BLOCK_BYTES - this.pendingLength, length);
      for (let i: i32 = 0; i < take; i++) {
        unchecked((this.pending[this.pendingLength + i] = data[i]));
      }
      this.pendingLength += take;
      offset = take;
      if (this.pendingLength < BLOCK_BYTES) return;
      this.compressPending();
    }

    // UNMANAGED MEMORY: the address covers whole blocks that lie inside `data`, because
    // blockCount * 64 <= length - offset.
    const blockCount = (length - offset) / BLOCK_BYTES;
    if (blockCount > 0) {
      this.compress(data.dataStart + <usize>offset, blockCount);
      offset += blockCount * BLOCK_BYTES;
    }

    for (let i: i32 = offset; i < length; i++) {
      unchecked((this.pending[this.pendingLength++] = data[i]));
    }
  }

  /**
   * Pads the message, returns its digest and resets the hasher, so a later `update` starts
   * a new message.
   */
  digest(): Uint8Array {
    // Padding appends one 1 bit, zeros up to 56 bytes into the last block, then the
    // message length in bits as a 64-bit integer in the subclass's byte order.
    const bitLength = this.totalLength << 3;
    unchecked((this.pending[this.pendingLength++] = 0x80));
    if (this.pendingLength > BLOCK_BYTES - 8) {
      this.zeroPendingUpTo(BLOCK_BYTES);
      this.compressPending();
    }
    this.zeroPendingUpTo(BLOCK_BYTES - 8);
    const orderedLength = this.bigEndian ? bswap<u64>(bitLength) : bitLength;
    for (let i: i32 = 0; i < 8; i++) {
      unchecked((this.pending[BLOCK_BYTES - 8 + i] = <u8>(orderedLength >>> (<u64>i << 3))));
    }
    this.compressPending();

    const wordCount = this.state.length;
    const output = new Uint8Array(wordCount * 4);
    for (let i: i32 = 0; i < wordCount; i++) {
      const word = unchecked(this.state[i]);
      const ordered = this.bigEndian ? bswap<u32>(word) : word;
      unchecked((output[i * 4] = <u8>ordered));
      unchecked((output[i * 4 + 1] = <u8>(ordered >>> 8)));
      unchecked((output[i * 4 + 2] = <u8>(ordered >>> 16)));
      unchecked((output[i * 4 + 3] = <u8>(ordered >>> 24)));
    }
    this.reset();
    return output;
  }

  /** Compresses the full pending block and empties it. */
  private compressPending(): void {
    // UNMANAGED MEMORY: `pending` is a live field of exactly one block.
    this.compress(changetype<usize>(this.pending), 1);
    this.pendingLength = 0;
  }

  private zeroPendingUpTo(end: i32): void {
    for (let i: i32 = this.pendingLength; i < end; i++) {
      unchecked((this.pending[i] = 0));
    }
    this.pendingLength = end;
  }
}
