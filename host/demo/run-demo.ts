// `npm run demo`: the whole path on one machine, with no AWS account. It starts the fauxqs
// SQS emulator on 127.0.0.1, creates a queue, runs bin/event-pusher.wasm through the Node
// runner to send 10 signed messages, then receives them back and prints them.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { FAUXQS_CREDENTIALS, startFauxqs } from "./start-fauxqs.ts";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const MESSAGE_COUNT = 10;

function say(text: string): void {
  process.stdout.write(`\n== ${text}\n`);
}

/** Runs the component like a user would, echoing its stdout and stderr as they arrive. */
function runPusher(workDir: string): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(projectRoot, "host", "bin", "event-pusher.mjs"), "config.yaml"], {
      cwd: workDir,
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      process.stdout.write(`  stdout | ${chunk.toString().trimEnd().replaceAll("\n", "\n  stdout | ")}\n`);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
      process.stdout.write(`  stderr | ${chunk.toString().trimEnd().replaceAll("\n", "\n  stderr | ")}\n`);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", reject);
    child.on("close", (exitCode) => {
      clearTimeout(timer);
      resolvePromise({ exitCode, stdout, stderr });
    });
  });
}

const started = Date.now();
say("starting the fauxqs SQS emulator on 127.0.0.1");
const emulator = await startFauxqs();
const workDir = mkdtempSync(join(tmpdir(), "event-pusher-demo-"));
let failed = false;
try {
  const queueUrl = await emulator.createQueue("event-pusher-demo");
  process.stdout.write(`  emulator at ${emulator.endpoint}, queue ${queueUrl}\n`);

  const config = [
    `queue_url: "${queueUrl}"`,
    `endpoint_url: "${emulator.endpoint}"`,
    `region: us-west-2`,
    `access_key: ${FAUXQS_CREDENTIALS.accessKeyId}`,
    `secret_key: ${FAUXQS_CREDENTIALS.secretAccessKey}`,
    `vm_name: demo-node`,
    `color: "#FF5500"`,
    `max_messages: ${MESSAGE_COUNT}`,
    `max_interval_seconds: 0.2`,
    "",
  ].join("\n");
  writeFileSync(join(workDir, "config.yaml"), config);
  say(`config.yaml for this run (fake credentials; fauxqs does not check signatures)\n${config.replace(/^/gm, "  ")}`);

  say(`running bin/event-pusher.wasm (WASI 0.2 component) through the Node runner: event-pusher config.yaml`);
  const run = await runPusher(workDir);
  const sent = run.stdout.split("\n").filter((line) => line.length > 0);
  const messageIds = [...run.stderr.matchAll(/MessageId (\S+)/g)].map((match) => match[1]);
  process.stdout.write(`  exit code ${run.exitCode}, ${sent.length} messages sent, ${messageIds.length} MessageIds reported\n`);

  say("receiving the messages back from the queue");
  const received = await emulator.receiveAll(queueUrl, MESSAGE_COUNT, 20_000);
  for (const message of received) process.stdout.write(`  ${message.messageId}  ${message.body}\n`);

  const sentSet = new Set(sent);
  const matched = received.filter((message) => sentSet.has(message.body) && messageIds.includes(message.messageId)).length;
  failed = run.exitCode !== 0 || sent.length !== MESSAGE_COUNT || matched !== MESSAGE_COUNT;
  say(`${matched} of ${MESSAGE_COUNT} received messages match a sent body and its MessageId; took ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await emulator.close();
  rmSync(workDir, { recursive: true, force: true });
}
if (failed) {
  process.stdout.write("demo failed: see the output above\n");
  process.exitCode = 1;
}
