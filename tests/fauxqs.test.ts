import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { startFauxqs, type FauxqsEmulator } from "../host/demo/start-fauxqs.ts";

function md5Hex(text: string): string {
  return createHash("md5").update(text, "utf8").digest("hex");
}

let emulator: FauxqsEmulator;

beforeAll(async () => {
  emulator = await startFauxqs();
});

afterAll(async () => {
  await emulator?.close();
});

describe("fauxqs launcher", () => {
  it("listens on 127.0.0.1", async () => {
    expect(emulator.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${emulator.endpoint}/health`);
    expect(health.status).toBe(200);
  });

  it("returns queue URLs under sqs.us-west-2.localhost", async () => {
    const port = new URL(emulator.endpoint).port;

    const queueUrl = await emulator.createQueue("url-shape");
    expect(queueUrl).toBe(`http://sqs.us-west-2.localhost:${port}/000000000000/url-shape`);
  });

  it("round-trips a standard queue", async () => {
    const queueUrl = await emulator.createQueue("demo-standard");
    const bodies = ["plain", `quotes " and ' and !'()*~+%&=`, "line\nbreak\tand ünïcödé 漢字", '{"id":1}'];

    const sentIds: string[] = [];
    for (const body of bodies) {
      const output = await emulator.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
      expect(output.MD5OfMessageBody, body).toBe(md5Hex(body));
      sentIds.push(output.MessageId ?? "");
    }

    const received = await emulator.receiveAll(queueUrl, bodies.length, 10_000);
    expect(received).toHaveLength(bodies.length);
    // A standard queue does not promise order.
    expect(received.map((message) => message.body).sort()).toEqual([...bodies].sort());
    expect(received.map((message) => message.messageId).sort()).toEqual([...sentIds].sort());
    for (const message of received) expect(message.md5, message.body).toBe(md5Hex(message.body));
  });

  it("round-trips a FIFO queue in order and drops a duplicate", async () => {
    const queueUrl = await emulator.createQueue("demo-ordered.fifo", true);
    expect(queueUrl.endsWith("/000000000000/demo-ordered.fifo")).toBe(true);

    const sends = [
      { body: "first", deduplicationId: "d1" },
      { body: "second", deduplicationId: "d2" },
      { body: "second again", deduplicationId: "d2" },
      { body: "third", deduplicationId: "d3" },
    ];
    for (const { body, deduplicationId } of sends) {
      const output = await emulator.client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          MessageGroupId: "orders",
          MessageDeduplicationId: deduplicationId,
        }),
      );
      expect(output.SequenceNumber, body).toMatch(/^\d+$/);
    }

    // Ask for one more than can arrive, so a delivered duplicate would show up.
    const received = await emulator.receiveAll(queueUrl, 4, 2_000);
    expect(received.map((message) => message.body)).toEqual(["first", "second", "third"]);
  });

  it("rejects a FIFO send without MessageGroupId", async () => {
    const queueUrl = await emulator.createQueue("demo-strict.fifo", true);

    const send = emulator.client.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "x", MessageDeduplicationId: "d1" }),
    );
    // Real SQS names this error MissingParameter, but fauxqs prefixes every code with AWS.SimpleQueueService.
    await expect(send).rejects.toMatchObject({
      name: "AWS.SimpleQueueService.MissingParameter",
      message: "The request must contain the parameter MessageGroupId.",
    });
  });

  it("matches queues by the exact QueueUrl", async () => {
    const queueUrl = await emulator.createQueue("demo-exact");
    const sameQueueOtherHost = queueUrl.replace(/sqs\.us-west-2\.localhost/, "127.0.0.1");

    const send = emulator.client.send(new SendMessageCommand({ QueueUrl: sameQueueOtherHost, MessageBody: "x" }));
    await expect(send).rejects.toMatchObject({ name: "QueueDoesNotExist" });
  });
});

// These record what fauxqs 1.9.2 does, so the demo's choices stay explained: signature
// errors only show up against the strict test server, and the demo must use the JSON protocol.
describe("fauxqs 1.9.2 limits", () => {
  it("accepts a wrong secret key", async () => {
    const queueUrl = await emulator.createQueue("demo-unverified");
    const wrongSecret = new SQSClient({
      region: "us-west-2",
      endpoint: emulator.endpoint,
      credentials: { accessKeyId: "AKIDEXAMPLEDEMO", secretAccessKey: "not-the-secret" },
      useQueueUrlAsEndpoint: false,
    });

    try {
      const output = await wrongSecret.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "unverified" }));
      expect(output.MessageId).toBeTruthy();
    } finally {
      wrongSecret.destroy();
    }
    const received = await emulator.receiveAll(queueUrl, 1, 5_000);
    expect(received.map((message) => message.body)).toEqual(["unverified"]);
  });

  it("accepts characters above U+FFFF once patched", async () => {
    const queueUrl = await emulator.createQueue("demo-emoji");

    // Unpatched, fauxqs 1.9.2 rejects these; the demo's emulator process applies SQS's rule.
    const sent = await emulator.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "party 🎉" }));
    expect(sent.MD5OfMessageBody).toBe(md5Hex("party 🎉"));
    const [received] = await emulator.receiveAll(queueUrl, 1, 5_000);
    expect(received?.body).toBe("party 🎉");
  });

  it("still rejects characters SQS forbids", async () => {
    const queueUrl = await emulator.createQueue("demo-forbidden");

    const send = emulator.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "bell \u0007" }));
    await expect(send).rejects.toMatchObject({ name: "AWS.SimpleQueueService.InvalidMessageContents" });
  });

  it("accepts an unsigned JSON request", async () => {
    const queueUrl = await emulator.createQueue("demo-unsigned");

    const response = await fetch(`${emulator.endpoint}/`, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.SendMessage" },
      body: JSON.stringify({ QueueUrl: queueUrl, MessageBody: "no signature" }),
    });
    expect(response.status).toBe(200);
    expect((await response.json()).MD5OfMessageBody).toBe(md5Hex("no signature"));
  });

  it("does not queue a Query protocol SendMessage", async () => {
    const queueUrl = await emulator.createQueue("demo-query");
    const form = "Action=SendMessage&MessageBody=query%20protocol&Version=2012-11-05";

    const toRoot = await fetch(`${emulator.endpoint}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `${form}&QueueUrl=${encodeURIComponent(queueUrl)}`,
    });
    expect(toRoot.status).toBe(400);
    expect(await toRoot.text()).toContain("<Code>InvalidAction</Code>");

    const toQueuePath = await fetch(`${emulator.endpoint}${new URL(queueUrl).pathname}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
    });
    expect(toQueuePath.status).toBe(200);
    expect(await toQueuePath.text()).toContain("<DeleteResult");

    expect(await emulator.receiveAll(queueUrl, 1, 1_500)).toEqual([]);
  });
});
