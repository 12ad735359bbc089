import { fd_write, iovec } from "bindings/wasi_snapshot_preview1";

const STDOUT: u32 = 1;
const STDERR: u32 = 2;

/**
 * Writes every byte to a file descriptor, looping because fd_write may accept fewer bytes
 * than offered. Returns false when the host reports an error, which leaves nowhere to say so.
 */
function writeAll(fd: u32, data: usize, length: usize): bool {
  // Unmanaged scratch: one iovec and the count written, freed before returning.
  const scratch = heap.alloc(offsetof<iovec>() + sizeof<usize>());
  const iov = changetype<iovec>(scratch);
  const writtenPtr = scratch + offsetof<iovec>();
  let offset: usize = 0;
  let ok = true;
  while (offset < length) {
    iov.buf = data + offset;
    iov.buf_len = length - offset;
    if (fd_write(fd, scratch, 1, writtenPtr) != 0) {
      ok = false;
      break;
    }
    const written = load<usize>(writtenPtr);
    if (written == 0) {
      ok = false;
      break;
    }
    offset += written;
  }
  heap.free(scratch);
  return ok;
}

function writeText(fd: u32, text: string): void {
  const bytes = String.UTF8.encode(text);
  writeAll(fd, changetype<usize>(bytes), <usize>bytes.byteLength);
}

/** Writes raw bytes to stdout, unchanged. */
export function writeStdoutBytes(bytes: Uint8Array): void {
  writeAll(STDOUT, bytes.dataStart, <usize>bytes.length);
}

/** Writes one line to stdout. */
export function printLine(text: string): void {
  writeText(STDOUT, text + "\n");
}

/** Writes one line to stderr. */
export function printErrorLine(text: string): void {
  writeText(STDERR, text + "\n");
}
