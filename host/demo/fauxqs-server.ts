/**
 * Child process that runs the fauxqs SQS emulator for the demo, which startFauxqs in
 * start-fauxqs.ts spawns with `node --import tsx`. It listens on 127.0.0.1 only: the
 * fauxqs CLI and its startFauxqs() bind 0.0.0.0, so this calls buildApp and listen itself.
 * It reports the port over IPC as `{ kind: "listening", port }`.
 */
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildApp } from "fauxqs";

// fauxqs 1.9.2 checks message bodies with a regular expression that lacks the `u` flag, so
// it treats each character above U+FFFF (every emoji icon) as two forbidden surrogates and
// returns InvalidMessageContents, although SQS accepts them. Its package exports do not
// expose that module, so it is reached by file path and its test() replaced with the rule
// SQS documents.
const fauxqsDist = dirname(fileURLToPath(import.meta.resolve("fauxqs")));
const sqsTypes = await import(pathToFileURL(join(fauxqsDist, "sqs", "sqsTypes.js")).href);
const sqsAllowedCharacters = /^[\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
sqsTypes.INVALID_MESSAGE_BODY_CHAR.test = (body: string): boolean => !sqsAllowedCharacters.test(body);

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
