/**
 * Child process that runs the fauxqs SQS emulator for the demo, which startFauxqs in
 * start-fauxqs.ts spawns with `node --import tsx`. It listens on 127.0.0.1 only: the
 * fauxqs CLI and its startFauxqs() bind 0.0.0.0, so this calls buildApp and listen itself.
 * It reports the port over IPC as `{ kind: "listening", port }`.
 */
import type { AddressInfo } from "node:net";
import { buildApp } from "fauxqs";

/** Host name fauxqs writes into queue URLs, as `sqs.<region>.localhost:<port>`. */
const QUEUE_URL_HOST = "localhost";
const REGION = "us-west-2";

// fauxqs 1.9.2 accepts only `logger: true`, which logs every request, or false.
const app = buildApp({ logger: false, host: QUEUE_URL_HOST, defaultRegion: REGION });

async function stop(signal: string): Promise<void> {
  try {
    await app.close();
  } catch (error) {
    console.error(`fauxqs: close after ${signal} failed:`, error);
  }
  process.exit(0);
}

process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
// Exit when the parent goes away, so a crashed demo or test leaves no emulator behind.
process.on("disconnect", () => void stop("parent disconnect"));

try {
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  process.send?.({ kind: "listening", port });
} catch (error) {
  console.error("fauxqs: listen on 127.0.0.1 failed:", error);
  process.exit(1);
}
