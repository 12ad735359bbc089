import { Settings } from "../config/settings";
import { HttpTransport } from "../http/types";
import { SqsClient } from "../sqs/client";
import { log } from "../app/log";
import { monotonicMs, sleepMs, wallClockMs } from "../platform/clock";
import { randomBelow } from "../platform/random";
import { printLine } from "../platform/output";
import { buildMessage } from "./message";

export const EXIT_OK: i32 = 0;
export const EXIT_FAILURE: i32 = 1;

/** Counts for the summary line. */
class Tally {
  sent: i64 = 0;
  failed: i64 = 0;
  retried: i64 = 0;
}

function intervalMs(settings: Settings): i64 {
  if (settings.maxIntervalMs == 0) return 0;
  if (settings.randomOff) return settings.maxIntervalMs;
  return <i64>randomBelow(<u32>min<i64>(settings.maxIntervalMs, 0xffffffff) + 1);
}

function formatElapsed(ms: i64): string {
  return (ms / 1000).toString() + "." + ((ms % 1000) / 100).toString() + " s";
}

function formatRate(count: i64, ms: i64): string {
  if (ms <= 0) return count.toString() + " msg/s";
  const hundredths = count * 100000 / ms;
  return (hundredths / 100).toString() + "." + (hundredths % 100).toString().padStart(2, "0") + " msg/s";
}

/**
 * Generates messages and sends each to the queue, or prints it when simulating, until
 * max_messages have been handled (never, when it is 0). Returns the exit code.
 */
export function runPusher(settings: Settings, transport: HttpTransport | null): i32 {
  const tally = new Tally();
  const started = monotonicMs();
  let client: SqsClient | null = null;
  if (!settings.simulate && transport != null) client = new SqsClient(settings, transport);

  const limit = settings.maxMessages;
  log.info((settings.simulate ? "simulating" : "sending to " + settings.queueUrl) + ", " +
    (limit == 0 ? "without a message limit" : limit.toString() + " message" + (limit == 1 ? "" : "s")) +
    ", at most " + formatElapsed(settings.maxIntervalMs) + " apart");

  let stopped = false;
  for (let index: i64 = 0; limit == 0 || index < limit; index++) {
    if (index > 0) sleepMs(intervalMs(settings));
    const message = buildMessage(settings.vmName, settings.color, wallClockMs());

    if (client == null) {
      printLine(message);
      tally.sent++;
      continue;
    }

    const outcome = client.send(message);
    tally.retried += outcome.retries;
    if (outcome.delivered) {
      printLine(message);
      tally.sent++;
      log.info("sent message " + (index + 1).toString() + (limit > 0 ? " of " + limit.toString() : "") + ", MessageId " + outcome.messageId);
      continue;
    }
    tally.failed++;
    log.error("message " + (index + 1).toString() + " not delivered: " + outcome.failure);
    log.error("undelivered message body: " + message);
    if (outcome.permanent) {
      log.error("stopping, because sending again would fail the same way");
      stopped = true;
      break;
    }
  }

  const elapsed = monotonicMs() - started;
  log.info("summary: sent " + tally.sent.toString() + ", failed " + tally.failed.toString() + ", retried " + tally.retried.toString() +
    ", elapsed " + formatElapsed(elapsed) + ", rate " + formatRate(tally.sent, elapsed) + (stopped ? ", stopped early" : ""));
  return tally.failed > 0 ? EXIT_FAILURE : EXIT_OK;
}
