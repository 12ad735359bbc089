import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAUXQS_CREDENTIALS, startFauxqs, type FauxqsEmulator, type ReceivedMessage } from "../host/demo/start-fauxqs.ts";
import { runComponent, type RunResult } from "./support/run-module.ts";

// The component sends to the fauxqs emulator over the JSON protocol, and the messages are read
// back with the AWS SDK. fauxqs does not verify signatures, so this checks delivery end to end,
// and the strict test server in sqs-sending.test.ts checks the signing.

const MESSAGE_COUNT = 5;
/** A vm_name with characters up to U+FFFF only, because unpatched fauxqs rejects those above. The icons still carry 4-byte emoji. */
const VM_NAME = `fauxqs "edge" 'a' !'()*~ +%&= ünï 漢字\nline two`;

let emulator: FauxqsEmulator;
let result: RunResult;
let received: ReceivedMessage[];

/** Collects the MessageIds the component logged, in the order it logged them. */
function loggedMessageIds(stderr: string): string[] {
  return [...stderr.matchAll(/MessageId (\S+)/g)].map((match) => match[1]);
}

beforeAll(async () => {
  emulator = await startFauxqs();
  const queueUrl = await emulator.createQueue("component-standard");
  const config = [
    `queue_url: ${JSON.stringify(queueUrl)}`,
    `endpoint_url: ${JSON.stringify(emulator.endpoint)}`,
    `access_key: ${JSON.stringify(FAUXQS_CREDENTIALS.accessKeyId)}`,
    `secret_key: ${JSON.stringify(FAUXQS_CREDENTIALS.secretAccessKey)}`,
    "sqs_protocol: json",
    `vm_name: ${JSON.stringify(VM_NAME)}`,
    `max_messages: ${MESSAGE_COUNT}`,
    "max_interval_seconds: 0",
  ].join("\n");
  result = await runComponent({ args: ["config.yaml"], files: { "config.yaml": `${config}\n` } });
  received = await emulator.receiveAll(queueUrl, MESSAGE_COUNT, 10_000);
});

afterAll(async () => {
  await emulator?.close();
});

describe("component sending to fauxqs", () => {
  it("exits 0", () => {
    expect(result.exitCode, result.stderr).toBe(0);
  });

  it("prints five messages", () => {
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(MESSAGE_COUNT);
    for (const line of lines) expect((JSON.parse(line) as { vm_name: string }).vm_name).toBe(VM_NAME);
  });

  it("delivers the printed bodies", () => {
    const lines = result.stdout.trimEnd().split("\n");
    expect(received).toHaveLength(MESSAGE_COUNT);
    expect(received.map((message) => message.body).sort()).toEqual([...lines].sort());
  });

  // fauxqs 1.9.2 hands out a standard queue's messages in the order they arrived, although
  // SQS does not promise that.
  it("delivers them in order", () => {
    const lines = result.stdout.trimEnd().split("\n");
    expect(received.map((message) => message.body)).toEqual(lines);
  });

  it("logs the received MessageIds", () => {
    const logged = loggedMessageIds(result.stderr);
    expect(logged).toHaveLength(MESSAGE_COUNT);
    expect([...logged].sort()).toEqual(received.map((message) => message.messageId).sort());
  });

  it("reports sent 5, failed 0", () => {
    expect(result.stderr).toMatch(/summary: sent 5, failed 0, retried 0/);
  });
});
