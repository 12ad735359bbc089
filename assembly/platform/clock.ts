import {
  clock_time_get,
  clockid,
  eventtype,
  poll_oneoff,
} from "bindings/wasi_snapshot_preview1";

/** Wall-clock time in milliseconds since the Unix epoch, or 0 when the host has no clock. */
export function wallClockMs(): i64 {
  const out = heap.alloc(8);
  const err = clock_time_get(clockid.REALTIME, 1000000, out);
  const nanos = err == 0 ? load<u64>(out) : 0;
  heap.free(out);
  return <i64>(nanos / 1000000);
}

/** Monotonic time in milliseconds, for measuring durations. */
export function monotonicMs(): i64 {
  const out = heap.alloc(8);
  const err = clock_time_get(clockid.MONOTONIC, 1000, out);
  const nanos = err == 0 ? load<u64>(out) : 0;
  heap.free(out);
  return <i64>(nanos / 1000000);
}

/** Blocks for the given time with poll_oneoff on a relative monotonic clock subscription. */
export function sleepMs(milliseconds: i64): void {
  if (milliseconds <= 0) return;

  // Unmanaged scratch in the preview1 layout. A 48-byte subscription comes first: userdata
  // u64 at 0, tag u8 at 8, clock id u32 at 16, timeout u64 at 24, precision u64 at 32 and
  // flags u16 at 40. A 32-byte event and the u32 count of events follow.
  const scratch = heap.alloc(48 + 32 + 8);
  memory.fill(scratch, 0, 48 + 32 + 8);
  store<u64>(scratch, 1);
  store<u8>(scratch, eventtype.CLOCK, 8);
  store<u32>(scratch, clockid.MONOTONIC, 16);
  store<u64>(scratch, <u64>milliseconds * 1000000, 24);
  store<u64>(scratch, 1000000, 32);

  poll_oneoff(scratch, scratch + 48, 1, scratch + 80);
  heap.free(scratch);
}
