// Start-up and shutdown of a server that runs in a child process and reports its port over
// IPC as `{ kind: "listening", port }`. The demo's emulator and the tests' servers run that
// way because the module under test blocks its own thread while it waits for HTTP.
import type { ChildProcess } from "node:child_process";

const START_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 5_000;

/** Waits for the child's "listening" message and returns its port; kills the child after 30 s without one. */
export function waitForListening(child: ChildProcess, serverName: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      child.kill("SIGKILL");
      reject(new Error(`${serverName} did not report its port within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    const onMessage = (message: { kind?: string; port?: number }): void => {
      if (message.kind !== "listening" || typeof message.port !== "number") return;
      cleanup();
      resolvePort(message.port);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      cleanup();
      reject(new Error(`${serverName} exited before listening (code ${code}, signal ${signal}); see its stderr above`));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new Error(`${serverName} failed to start: ${error.message}`));
    };
    function cleanup(): void {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      child.off("error", onError);
    }
    child.on("message", onMessage);
    child.on("exit", onExit);
    child.on("error", onError);
  });
}

/** Sends SIGTERM, then SIGKILL if the child is still running 5 s later. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), EXIT_TIMEOUT_MS);
    child.once("exit", () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill("SIGTERM");
  });
}
