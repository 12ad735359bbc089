import { proc_exit } from "bindings/wasi_snapshot_preview1";
import { printErrorLine } from "./output";

/** Ends the run with an explicit proc_exit, which Bacalhau needs to record the exit code. */
export function exit(code: i32): void {
  proc_exit(code);
}

/**
 * Handles an abort (installed with asc --use abort=...): an internal invariant failed, so it
 * prints one line and exits 1, instead of the trap or stack dump a host would print.
 */
export function abortRun(message: string | null, fileName: string | null, line: u32, column: u32): void {
  const reason = message != null ? message! : "unknown";
  const where = fileName != null ? fileName! + ":" + line.toString() : "unknown place";
  printErrorLine("event-pusher: internal error: " + reason + " at " + where + "; please report this with your config (secrets removed)");
  proc_exit(1);
}
