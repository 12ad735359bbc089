import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runComponent, type RunResult } from "./support/run-module.ts";
import {
  TEST_ACCESS_KEY,
  TEST_SECRET_KEY,
  startSqsServer,
  type ReceivedRequest,
  type SqsTestServer,
} from "./support/sqs-server.ts";

// The component under test is bin/event-pusher.wasm, run through the Node runner against the
// strict SQS server, which verifies every SigV4 signature with @smithy/signature-v4.

/** A vm_name with every character that URL, form or JSON encoding could get wrong. */
const AWKWARD_VM_NAME = `edge "quoted" 'single' !'()*~ a+b 100% x&y=z\nsecond line 🚀`;
const FIFO_GROUP_ID = "edge-group-1";
const MESSAGE_KEYS = ["vm_name", "icon_name", "timestamp", "color", "container_id"];

type ConfigValue = string | number | boolean;

/** Writes a YAML config with every string double-quoted. JSON string escapes are also valid YAML escapes. */
function configYaml(values: Record<string, ConfigValue>): string {
  const lines = Object.entries(values).map(([key, value]) =>
    typeof value === "string" ? `${key}: ${JSON.stringify(value)}` : `${key}: ${value}`,
  );
  return `${lines.join("\n")}\n`;
}

/** Runs the component with a config aimed at `server`, where `overrides` replace or add keys. */
function push(server: SqsTestServer, overrides: Record<string, ConfigValue> = {}, timeoutMs = 60_000): Promise<RunResult> {
  const values: Record<string, ConfigValue> = {
    queue_url: server.queueUrl("events"),
    access_key: TEST_ACCESS_KEY,
    secret_key: TEST_SECRET_KEY,
    max_messages: 3,
    max_interval_seconds: 0,
    vm_name: "edge-1",
    ...overrides,
  };
  return runComponent({ args: ["config.yaml"], files: { "config.yaml": configYaml(values) }, timeoutMs });
}

/** Splits stdout into lines of raw bytes, without the line breaks. */
function stdoutLineBytes(result: RunResult): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let index = 0; index < result.stdoutBytes.length; index++) {
    if (result.stdoutBytes[index] !== 0x0a) continue;
    lines.push(result.stdoutBytes.subarray(start, index));
    start = index + 1;
  }
  if (start < result.stdoutBytes.length) lines.push(result.stdoutBytes.subarray(start));
  return lines;
}

interface Summary {
  sent: number;
  failed: number;
  retried: number;
}

function summaryOf(result: RunResult): Summary | undefined {
  const match = /summary: sent (\d+), failed (\d+), retried (\d+)/.exec(result.stderr);
  if (!match) return undefined;
  return { sent: Number(match[1]), failed: Number(match[2]), retried: Number(match[3]) };
}

function accepted(requests: ReceivedRequest[]): ReceivedRequest[] {
  return requests.filter((request) => request.accepted);
}

/** Returns a 127.0.0.1 port that nothing listens on, found by listening on port 0 and closing. */
function unusedPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const listener = createServer();
    listener.once("error", reject);
    listener.listen(0, "127.0.0.1", () => {
      const { port } = listener.address() as AddressInfo;
      listener.close(() => resolvePort(port));
    });
  });
}

let server: SqsTestServer;

beforeAll(async () => {
  server = await startSqsServer();
});

afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  await server?.reset();
});

const BATCH_CASES = [
  { protocol: "json", queue: "events" },
  { protocol: "json", queue: "events.fifo" },
  { protocol: "query", queue: "events" },
  { protocol: "query", queue: "events.fifo" },
];

describe("sending a batch", () => {
  const results = new Map<string, RunResult>();
  const requestsByCase = new Map<string, ReceivedRequest[]>();
  const caseKey = (protocol: string, queue: string): string => `${protocol} ${queue}`;

  // The four runs go to different protocol and queue pairs, so they can share the server at once.
  beforeAll(async () => {
    await server.reset();
    const runs = BATCH_CASES.map(async ({ protocol, queue }) => {
      const overrides: Record<string, ConfigValue> = {
        queue_url: server.queueUrl(queue),
        sqs_protocol: protocol,
        vm_name: AWKWARD_VM_NAME,
      };
      if (queue.endsWith(".fifo")) overrides.message_group_id = FIFO_GROUP_ID;
      results.set(caseKey(protocol, queue), await push(server, overrides));
    });
    await Promise.all(runs);

    const all = await server.received();
    for (const { protocol, queue } of BATCH_CASES) {
      const mine = all.filter((request) => request.protocol === protocol && request.queueUrl.endsWith(`/${queue}`));
      requestsByCase.set(caseKey(protocol, queue), mine);
    }
  });

  describe.each(BATCH_CASES)("over $protocol to $queue", ({ protocol, queue }) => {
    const fifo = queue.endsWith(".fifo");
    let result: RunResult;
    let requests: ReceivedRequest[];

    beforeAll(() => {
      result = results.get(caseKey(protocol, queue))!;
      requests = requestsByCase.get(caseKey(protocol, queue))!;
    });

    it("exits 0", () => {
      expect(result.exitCode, result.stderr).toBe(0);
    });

    it("sends three signed requests", () => {
      expect(requests).toHaveLength(3);
      for (const request of requests) expect(request.signatureValid, request.signatureError).toBe(true);
      for (const request of requests) expect(request.accepted).toBe(true);
    });

    it("prints only the sent messages on stdout", () => {
      const lines = stdoutLineBytes(result);
      expect(lines).toHaveLength(3);
      expect(result.stdout.endsWith("\n")).toBe(true);
      for (const line of lines) expect(() => JSON.parse(line.toString("utf8"))).not.toThrow();
    });

    it("sends each stdout line byte for byte, in order", () => {
      const lines = stdoutLineBytes(result);
      expect(lines).toHaveLength(requests.length);
      requests.forEach((request, index) => {
        expect(Buffer.from(request.messageBody, "utf8").equals(lines[index]), `message ${index + 1}`).toBe(true);
      });
    });

    it("sends bodies with the five fields in order", () => {
      for (const request of requests) {
        const message = JSON.parse(request.messageBody) as Record<string, unknown>;
        expect(Object.keys(message)).toEqual(MESSAGE_KEYS);
        expect(message.vm_name).toBe(AWKWARD_VM_NAME);
      }
    });

    it.runIf(fifo)("sets the FIFO group and deduplication ids", () => {
      for (const request of requests) expect(request.messageGroupId).toBe(FIFO_GROUP_ID);
      const deduplicationIds = requests.map((request) => request.messageDeduplicationId);
      for (const id of deduplicationIds) expect(id).toMatch(/^\S+$/);
      expect(new Set(deduplicationIds).size).toBe(3);
    });

    it.runIf(!fifo)("sends no FIFO ids to a standard queue", () => {
      for (const request of requests) expect(request.messageDeduplicationId).toBeUndefined();
    });

    it("logs each MessageId on stderr", () => {
      for (const request of requests) {
        expect(request.messageId).toBeTruthy();
        expect(result.stderr).toContain(`MessageId ${request.messageId}`);
      }
    });

    it("reports sent 3, failed 0", () => {
      expect(summaryOf(result)).toMatchObject({ sent: 3, failed: 0 });
    });
  });
});

describe("session token", () => {
  const SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLE/session+token==";
  let tokenServer: SqsTestServer;

  beforeAll(async () => {
    tokenServer = await startSqsServer({ sessionToken: SESSION_TOKEN });
  });

  afterAll(async () => {
    await tokenServer?.close();
  });

  beforeEach(async () => {
    await tokenServer.reset();
  });

  it("sends and signs X-Amz-Security-Token", async () => {
    const result = await push(tokenServer, { session_token: SESSION_TOKEN, max_messages: 1, log_level: "debug" });
    const requests = await tokenServer.received();

    expect(result.exitCode, result.stderr).toBe(0);
    expect(requests).toHaveLength(1);
    expect(requests[0].headers["x-amz-security-token"]).toBe(SESSION_TOKEN);
    expect(requests[0].authorization).toMatch(/SignedHeaders=[^,]*x-amz-security-token/);
    expect(requests[0].signatureValid, requests[0].signatureError).toBe(true);
    expect(result.stdout + result.stderr).not.toContain(SESSION_TOKEN);
    expect(result.stdout + result.stderr).not.toContain(TEST_SECRET_KEY);
  });

  it("debug log shows signing steps, token masked", async () => {
    const result = await push(tokenServer, { session_token: SESSION_TOKEN, max_messages: 1, log_level: "debug" });

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain("canonical request:\nPOST\n/\n\n");
    expect(result.stderr).toContain("x-amz-security-token:****(session token)");
    expect(result.stderr).toMatch(/string to sign:\nAWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-west-2\/sqs\/aws4_request\n[0-9a-f]{64}/);
    expect(result.stderr).not.toContain(SESSION_TOKEN);
  });

  it("fails with a wrong token", async () => {
    const result = await push(tokenServer, { session_token: "wrong-token", max_messages: 1, log_level: "debug" });
    const requests = await tokenServer.received();

    expect(result.exitCode).toBe(1);
    expect(requests).toHaveLength(1);
    expect(requests[0].errorCode).toBe("InvalidClientTokenId");
    expect(result.stderr).toContain("InvalidClientTokenId");
    expect(result.stderr).toContain("not delivered");
    expect(result.stdout).toBe("");
    expect(result.stdout + result.stderr).not.toContain("wrong-token");
    expect(result.stdout + result.stderr).not.toContain(TEST_SECRET_KEY);
  });
});

describe("retries", () => {
  it("retries a 500 and a throttle, then delivers once", async () => {
    await server.configure({
      failNext: [
        { status: 500, code: "InternalError", message: "We encountered an internal error. Please try again." },
        { status: 400, code: "ThrottlingException", message: "Rate exceeded" },
      ],
    });
    const result = await push(server, { max_messages: 1 });
    const requests = await server.received();

    expect(result.exitCode, result.stderr).toBe(0);
    expect(requests).toHaveLength(3);
    expect(accepted(requests)).toHaveLength(1);
    expect(accepted(requests)[0].messageBody).toBe(result.stdout.trimEnd());
    expect(result.stderr).toContain("InternalError");
    expect(result.stderr).toContain("ThrottlingException");
    expect(result.stderr.match(/retrying in \d+ ms/g)).toHaveLength(2);
    expect(summaryOf(result)).toMatchObject({ sent: 1, failed: 0, retried: 2 });
  });

  it("reports the body after max_retries failures", async () => {
    const failure = { status: 503, code: "ServiceUnavailable", message: "Service is unavailable. Try again later." };
    await server.configure({ failNext: [failure, failure, failure] });
    const result = await push(server, { max_messages: 1, max_retries: 1 });
    const requests = await server.received();
    const body = requests[0]?.messageBody ?? "(no request)";

    expect(result.exitCode).toBe(1);
    expect(requests).toHaveLength(2);
    expect(accepted(requests)).toHaveLength(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("ServiceUnavailable");
    expect(result.stderr).toContain("gave up after 2 attempts");
    expect(result.stderr).toContain(`undelivered message body: ${body}`);
    expect(summaryOf(result)).toMatchObject({ sent: 0, failed: 1, retried: 1 });
  });
});

describe("permanent errors", () => {
  it.each([
    {
      code: "InvalidClientTokenId",
      status: 403,
      message: "The security token included in the request is invalid.",
      advice: "check access_key",
      protocol: "json",
    },
    {
      code: "AWS.SimpleQueueService.NonExistentQueue",
      status: 400,
      message: "The specified queue does not exist.",
      advice: "check queue_url",
      protocol: "query",
    },
  ])("stops at $code over $protocol", async ({ code, status, message, advice, protocol }) => {
    await server.configure({ failNext: [{ status, code, message }] });
    const result = await push(server, { sqs_protocol: protocol });
    const requests = await server.received();
    const body = requests[0]?.messageBody ?? "(no request)";

    expect(result.exitCode).toBe(1);
    expect(requests).toHaveLength(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(code);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain(advice);
    expect(result.stderr).toContain("stopping, because sending again would fail the same way");
    expect(result.stderr).toContain(`undelivered message body: ${body}`);
    expect(summaryOf(result)).toMatchObject({ sent: 0, failed: 1 });
  });
});

describe("response checks", () => {
  it("counts an MD5 mismatch as failed", async () => {
    await server.configure({ wrongMd5: true });
    const result = await push(server, { max_messages: 1 });
    const requests = await server.received();

    expect(result.exitCode).toBe(1);
    expect(requests).toHaveLength(1);
    expect(result.stderr).toMatch(/MD5OfMessageBody [0-9a-f]{32} but the body sent has MD5 [0-9a-f]{32}/);
    expect(result.stderr).toContain("undelivered message body");
    expect(summaryOf(result)).toMatchObject({ sent: 0, failed: 1 });
  });
});

describe.each([
  { protocol: "json", skewSeconds: 900, direction: "behind" },
  { protocol: "json", skewSeconds: -900, direction: "ahead of" },
  { protocol: "query", skewSeconds: 900, direction: "behind" },
  { protocol: "query", skewSeconds: -900, direction: "ahead of" },
])("clock skew of $skewSeconds s over $protocol", ({ protocol, skewSeconds, direction }) => {
  let result: RunResult;
  let requests: ReceivedRequest[];

  beforeAll(async () => {
    await server.reset();
    await server.configure({ clockSkewSeconds: skewSeconds });
    result = await push(server, { sqs_protocol: protocol });
    requests = await server.received();
  });

  it("exits 0", () => {
    expect(result.exitCode, result.stderr).toBe(0);
  });

  it("rejects only the first request as expired", () => {
    expect(requests).toHaveLength(4);
    expect(requests[0].accepted).toBe(false);
    expect(requests[0].errorCode).toBe("SignatureDoesNotMatch");
    expect(requests[0].signatureError).toMatch(/Signature (expired|not yet current)/);
  });

  it("delivers each message once", () => {
    expect(accepted(requests)).toHaveLength(3);
    for (const request of accepted(requests)) expect(request.signatureValid, request.signatureError).toBe(true);
    expect(accepted(requests).map((request) => request.messageBody)).toEqual(result.stdout.trimEnd().split("\n"));
  });

  it("warns once with the offset", () => {
    const warnings = result.stderr.split("\n").filter((line) => line.includes("clock is"));
    expect(warnings).toHaveLength(1);
    // The server's Date has whole seconds and a loaded machine adds latency, so allow ±5 s.
    const reported = Number(new RegExp(`clock is (\\d+) s ${direction}`).exec(warnings[0])?.[1]);
    expect(reported, warnings[0]).toBeGreaterThanOrEqual(895);
    expect(reported, warnings[0]).toBeLessThanOrEqual(905);
  });

  it("reports sent 3, failed 0", () => {
    expect(summaryOf(result)).toMatchObject({ sent: 3, failed: 0 });
  });
});

describe("network failures", () => {
  it("times out a stalled request", async () => {
    await server.configure({ stallForever: true });
    const started = Date.now();
    const result = await push(server, { max_messages: 1, max_retries: 0, request_timeout_seconds: 1 }, 30_000);
    const elapsedMs = Date.now() - started;

    expect(result.exitCode).toBe(1);
    expect(elapsedMs).toBeLessThan(15_000);
    expect(result.stderr).toContain("timed out: no answer within 1000 ms");
    expect(result.stderr).toContain("undelivered message body");
  });

  it("reports connection refused", async () => {
    const port = await unusedPort();
    const result = await push(server, {
      queue_url: `http://127.0.0.1:${port}/000000000000/events`,
      max_messages: 1,
      max_retries: 0,
    });
    const errorLines = result.stderr.split("\n").filter((line) => line.includes("not delivered"));

    expect(result.exitCode).toBe(1);
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain("connection refused");
    expect(errorLines[0]).toContain(`127.0.0.1:${port}`);
  });
});

describe("region", () => {
  it("sends to queue_url through endpoint_url", async () => {
    const result = await push(server, {
      queue_url: server.queueUrl("events"),
      endpoint_url: server.endpoint,
      max_messages: 1,
    });
    const requests = await server.received();

    expect(result.exitCode, result.stderr).toBe(0);
    expect(requests).toHaveLength(1);
    expect(requests[0].signatureValid, requests[0].signatureError).toBe(true);
  });

  describe.each(["json", "query"])("AWS queue URL over %s", (protocol) => {
    let eastServer: SqsTestServer;

    beforeAll(async () => {
      eastServer = await startSqsServer({ region: "us-east-1" });
    });

    afterAll(async () => {
      await eastServer?.close();
    });

    it("signs for the queue URL's region", async () => {
      // endpoint_url is 127.0.0.1, so nothing goes to AWS.
      const result = await push(eastServer, {
        queue_url: "https://sqs.us-east-1.amazonaws.com/000000000000/events",
        endpoint_url: eastServer.endpoint,
        region: "eu-west-1",
        sqs_protocol: protocol,
        max_messages: 1,
      });
      const requests = await eastServer.received();
      const warnings = result.stderr.split("\n").filter((line) => line.includes(" warn: "));

      expect(result.exitCode, result.stderr).toBe(0);
      expect(requests).toHaveLength(1);
      expect(requests[0].authorization).toContain("/us-east-1/sqs/aws4_request");
      expect(requests[0].signatureValid, requests[0].signatureError).toBe(true);
      expect(warnings.some((line) => line.includes("eu-west-1") && line.includes("us-east-1"))).toBe(true);
    });
  });
});
