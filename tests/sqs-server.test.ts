import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { startSqsServer, type SqsTestServer } from "./support/sqs-server.ts";

// Requests are built and signed here with @smithy/signature-v4, the signer the AWS SDK for
// JavaScript uses, and sent with Node's fetch, so the server is checked against a known-good
// client rather than against the WASM module it exists to test.

interface SendSpec {
  protocol: "json" | "query";
  queue?: string;
  /** Request parameters besides Action, Version and QueueUrl. */
  parameters?: Record<string, string>;
  /** Raw request body, used in place of the one built from `parameters`. */
  rawBody?: string;
  target?: string;
  action?: string;
  accessKey?: string;
  secretKey?: string;
  sessionToken?: string;
  region?: string;
  signingDate?: Date;
  /** Sign x-amz-content-sha256 as the AWS SDK does. Default true. */
  applyChecksum?: boolean;
  extraSignedHeaders?: Record<string, string>;
  /** Changes the request after signing, to model tampering or a lossy client. */
  afterSigning?: (request: { headers: Record<string, string>; body: string }) => void;
}

interface SqsResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** Encodes one form value the way SigV4 canonical query strings do (RFC 3986 unreserved set kept). */
function encodeFormValue(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

function md5Hex(text: string): string {
  return createHash("md5").update(text, "utf8").digest("hex");
}

async function send(server: SqsTestServer, spec: SendSpec): Promise<SqsResponse> {
  const queue = spec.queue ?? "orders";
  const queueUrl = server.queueUrl(queue);
  const url = new URL(queueUrl);
  const host = `127.0.0.1:${server.port}`;

  let path: string;
  let body: string;
  const headers: Record<string, string> = { host, ...spec.extraSignedHeaders };
  if (spec.protocol === "json") {
    path = "/";
    body = spec.rawBody ?? JSON.stringify({ QueueUrl: queueUrl, ...spec.parameters });
    headers["content-type"] = "application/x-amz-json-1.0";
    headers["x-amz-target"] = spec.target ?? "AmazonSQS.SendMessage";
  } else {
    path = url.pathname;
    const fields = { Action: spec.action ?? "SendMessage", ...spec.parameters, Version: "2012-11-05" };
    body =
      spec.rawBody ??
      Object.entries(fields)
        .map(([name, value]) => `${encodeFormValue(name)}=${encodeFormValue(value)}`)
        .join("&");
    headers["content-type"] = "application/x-www-form-urlencoded";
  }

  const signer = new SignatureV4({
    credentials: {
      accessKeyId: spec.accessKey ?? server.settings.accessKey,
      secretAccessKey: spec.secretKey ?? server.settings.secretKey,
      sessionToken: spec.sessionToken,
    },
    region: spec.region ?? server.settings.region,
    service: "sqs",
    sha256: Sha256,
    applyChecksum: spec.applyChecksum ?? true,
  });
  const signed = await signer.sign(
    { method: "POST", protocol: "http:", hostname: "127.0.0.1", port: server.port, path, query: {}, headers, body },
    { signingDate: spec.signingDate ?? new Date() },
  );

  const outgoing = { headers: { ...signed.headers } as Record<string, string>, body };
  spec.afterSigning?.(outgoing);
  // fetch sets Host itself from the URL, with the same value that was signed.
  delete outgoing.headers.host;
  const response = await fetch(`${server.endpoint}${path}`, { method: "POST", headers: outgoing.headers, body: outgoing.body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function xmlElement(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

let server: SqsTestServer;

beforeAll(async () => {
  server = await startSqsServer();
});

afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  await server.reset();
});

describe("accepted SendMessage", () => {
  it("responds over JSON and records the request", async () => {
    const response = await send(server, { protocol: "json", parameters: { MessageBody: "order 42 created" } });

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-amz-json-1.0");
    expect(response.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    const result = JSON.parse(response.text);
    expect(result.MD5OfMessageBody).toBe(md5Hex("order 42 created"));
    expect(result.MessageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(result.SequenceNumber).toBeUndefined();

    const [record] = await server.received();
    expect(record.protocol).toBe("json");
    expect(record.action).toBe("SendMessage");
    expect(record.queueUrl).toBe(server.queueUrl("orders"));
    expect(record.messageBody).toBe("order 42 created");
    expect(record.signatureValid).toBe(true);
    expect(record.signatureError).toBeUndefined();
    expect(record.accepted).toBe(true);
    expect(record.status).toBe(200);
    expect(record.messageId).toBe(result.MessageId);
    expect(record.amzDate).toMatch(/^\d{8}T\d{6}Z$/);
    expect(record.authorization).toContain("Credential=AKIDTESTSERVER/");
    expect(record.headers["x-amz-target"]).toBe("AmazonSQS.SendMessage");
  });

  it("responds over Query with XML", async () => {
    const response = await send(server, { protocol: "query", parameters: { MessageBody: "order 43 created" } });

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/xml");
    expect(response.text).toContain("<SendMessageResponse");
    expect(xmlElement(response.text, "MD5OfMessageBody")).toBe(md5Hex("order 43 created"));
    expect(xmlElement(response.text, "MessageId")).toMatch(/^[0-9a-f-]{36}$/);
    expect(xmlElement(response.text, "RequestId")).toBe(response.headers.get("x-amzn-requestid"));

    const [record] = await server.received();
    expect(record.protocol).toBe("query");
    expect(record.action).toBe("SendMessage");
    expect(record.queueUrl).toBe(server.queueUrl("orders"));
    expect(record.parameters.Version).toBe("2012-11-05");
    expect(record.messageBody).toBe("order 43 created");
    expect(record.signatureValid).toBe(true);
    expect(record.accepted).toBe(true);
  });

  it("accepts a request signed without x-amz-content-sha256", async () => {
    const response = await send(server, { protocol: "json", applyChecksum: false, parameters: { MessageBody: "plain" } });

    expect(response.status).toBe(200);
    const [record] = await server.received();
    expect(record.headers["x-amz-content-sha256"]).toBeUndefined();
    expect(record.signatureValid).toBe(true);
  });

  it("records requests in arrival order", async () => {
    for (const body of ["first", "second", "third"]) {
      expect((await send(server, { protocol: "json", parameters: { MessageBody: body } })).status).toBe(200);
    }
    const bodies = (await server.received()).map((record) => record.messageBody);
    expect(bodies).toEqual(["first", "second", "third"]);
  });
});

describe("message body round trip", () => {
  const bodies = [
    "two words  and  double spaces",
    `say "hello" and 'bye'`,
    "!'()*~+%&=",
    "a+b=c&d=e%20f",
    "line one\nline two\r\nline three\ttabbed",
    "emoji 🎉🚀 and accents ünïcödé and CJK 漢字",
    '{"event":"created","id":7,"tags":["x","y"]}',
    "<xml attr=\"1\">&amp;</xml>",
  ];

  for (const protocol of ["json", "query"] as const) {
    it(`keeps every character over ${protocol}`, async () => {
      for (const body of bodies) {
        const response = await send(server, { protocol, parameters: { MessageBody: body } });
        expect(response.status, body).toBe(200);
        const md5 = protocol === "json" ? JSON.parse(response.text).MD5OfMessageBody : xmlElement(response.text, "MD5OfMessageBody");
        expect(md5, body).toBe(md5Hex(body));
      }
      const received = (await server.received()).map((record) => record.messageBody);
      expect(received).toEqual(bodies);
    });
  }

  it("decodes + in a form body as a space", async () => {
    const rawBody = "Action=SendMessage&MessageBody=a+b%2Bc&Version=2012-11-05";
    const response = await send(server, { protocol: "query", rawBody });

    expect(response.status).toBe(200);
    const [record] = await server.received();
    expect(record.messageBody).toBe("a b+c");
  });
});

describe("signature checks", () => {
  it("rejects a JSON body changed after signing", async () => {
    const response = await send(server, {
      protocol: "json",
      parameters: { MessageBody: "original" },
      afterSigning: (request) => {
        request.body = request.body.replace("original", "tampered");
      },
    });

    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).__type).toBe("com.amazon.coral.service#InvalidSignatureException");
    expect(response.headers.get("x-amzn-query-error")).toBe("SignatureDoesNotMatch;Sender");
    const [record] = await server.received();
    expect(record.signatureValid).toBe(false);
    expect(record.signatureError).toContain("x-amz-content-sha256");
    expect(record.accepted).toBe(false);
    expect(record.messageBody).toBe("tampered");
  });

  it("rejects a changed body signed without a content hash", async () => {
    const response = await send(server, {
      protocol: "json",
      applyChecksum: false,
      parameters: { MessageBody: "original" },
      afterSigning: (request) => {
        request.body = request.body.replace("original", "tampered");
      },
    });

    expect(response.status).toBe(400);
    const [record] = await server.received();
    expect(record.signatureValid).toBe(false);
    expect(record.signatureError).toMatch(/^Signature [0-9a-f]{64} differs/);
    expect(record.canonicalRequest).toContain("POST\n/\n\ncontent-type:application/x-amz-json-1.0\n");
  });

  it("rejects a wrong secret key over JSON", async () => {
    const response = await send(server, { protocol: "json", secretKey: "not-the-secret", parameters: { MessageBody: "x" } });

    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).message).toContain("does not match the signature you provided");
    const [record] = await server.received();
    expect(record.signatureValid).toBe(false);
    expect(record.signatureError).toContain("differs from the server's");
  });

  it("rejects a wrong secret key over Query with 403 XML", async () => {
    const response = await send(server, { protocol: "query", secretKey: "not-the-secret", parameters: { MessageBody: "x" } });

    expect(response.status).toBe(403);
    expect(response.text).toContain("<ErrorResponse");
    expect(xmlElement(response.text, "Type")).toBe("Sender");
    expect(xmlElement(response.text, "Code")).toBe("SignatureDoesNotMatch");
    expect(xmlElement(response.text, "RequestId")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("rejects a credential scoped to another region", async () => {
    const response = await send(server, { protocol: "json", region: "us-east-1", parameters: { MessageBody: "x" } });

    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).message).toBe("Credential should be scoped to a valid region, not 'us-east-1'.");
    expect((await server.received())[0].signatureValid).toBe(false);
  });

  it("rejects an unknown access key", async () => {
    const response = await send(server, { protocol: "query", accessKey: "AKIDSOMEONEELSE", parameters: { MessageBody: "x" } });

    expect(response.status).toBe(403);
    expect(xmlElement(response.text, "Code")).toBe("InvalidClientTokenId");
    expect((await server.received())[0].signatureError).toContain("AKIDSOMEONEELSE");
  });

  it("rejects a signed header the request lacks", async () => {
    const response = await send(server, {
      protocol: "json",
      extraSignedHeaders: { "x-amz-user-agent": "event-pusher/test" },
      parameters: { MessageBody: "x" },
      afterSigning: (request) => {
        delete request.headers["x-amz-user-agent"];
      },
    });

    expect(response.status).toBe(400);
    const [record] = await server.received();
    expect(record.signatureValid).toBe(false);
    expect(record.signatureError).toBe("header 'x-amz-user-agent' is listed in SignedHeaders but missing from the request");
  });

  it("rejects a signed header changed after signing", async () => {
    const response = await send(server, {
      protocol: "json",
      extraSignedHeaders: { "x-amz-user-agent": "event-pusher/test" },
      parameters: { MessageBody: "x" },
      afterSigning: (request) => {
        request.headers["x-amz-user-agent"] = "event-pusher/other";
      },
    });

    expect(response.status).toBe(400);
    expect((await server.received())[0].signatureValid).toBe(false);
  });

  it("ignores unsigned headers", async () => {
    const response = await send(server, {
      protocol: "json",
      parameters: { MessageBody: "x" },
      afterSigning: (request) => {
        request.headers["x-unsigned-extra"] = "anything";
      },
    });

    expect(response.status).toBe(200);
  });

  it("rejects a request without Authorization", async () => {
    const response = await send(server, {
      protocol: "json",
      parameters: { MessageBody: "x" },
      afterSigning: (request) => {
        delete request.headers.authorization;
      },
    });

    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-query-error")).toBe("MissingAuthenticationToken;Sender");
    expect((await server.received())[0].authorization).toBe("");
  });

  it("rejects a session token the server does not expect", async () => {
    const response = await send(server, { protocol: "json", sessionToken: "token", parameters: { MessageBody: "x" } });

    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-query-error")).toBe("InvalidClientTokenId;Sender");
  });
});

describe("session token", () => {
  let tokenServer: SqsTestServer;

  beforeAll(async () => {
    tokenServer = await startSqsServer({ sessionToken: "FwoGZXIvYXdzEBYaDH+test/token==" });
  });

  afterAll(async () => {
    await tokenServer?.close();
  });

  it("accepts the configured token", async () => {
    const response = await send(tokenServer, {
      protocol: "json",
      sessionToken: "FwoGZXIvYXdzEBYaDH+test/token==",
      parameters: { MessageBody: "x" },
    });

    expect(response.status).toBe(200);
    expect((await tokenServer.received()).at(-1)?.signatureValid).toBe(true);
  });

  it("rejects a missing token", async () => {
    const response = await send(tokenServer, { protocol: "query", parameters: { MessageBody: "x" } });

    expect(response.status).toBe(403);
    expect(xmlElement(response.text, "Code")).toBe("InvalidClientTokenId");
    expect((await tokenServer.received()).at(-1)?.signatureError).toBe("X-Amz-Security-Token is missing");
  });

  it("rejects a different token", async () => {
    const response = await send(tokenServer, { protocol: "json", sessionToken: "other", parameters: { MessageBody: "x" } });

    expect(response.status).toBe(400);
    expect((await tokenServer.received()).at(-1)?.signatureValid).toBe(false);
  });
});

describe("scripted failures", () => {
  it("returns failNext errors in order", async () => {
    await server.configure({
      failNext: [
        { status: 500, code: "InternalError", message: "We encountered an internal error. Please try again." },
        { status: 400, code: "ThrottlingException", message: "Rate exceeded" },
      ],
    });

    const first = await send(server, { protocol: "json", parameters: { MessageBody: "x" } });
    expect(first.status).toBe(500);
    expect(JSON.parse(first.text).__type).toBe("com.amazon.coral.service#InternalFailure");
    expect(first.headers.get("x-amzn-query-error")).toBe("InternalError;Receiver");

    const second = await send(server, { protocol: "json", parameters: { MessageBody: "x" } });
    expect(second.status).toBe(400);
    expect(JSON.parse(second.text)).toEqual({ __type: "com.amazon.coral.availability#ThrottlingException", message: "Rate exceeded" });

    const third = await send(server, { protocol: "json", parameters: { MessageBody: "x" } });
    expect(third.status).toBe(200);

    const records = await server.received();
    expect(records.map((record) => record.status)).toEqual([500, 400, 200]);
    expect(records.map((record) => record.errorCode)).toEqual(["InternalError", "ThrottlingException", undefined]);
    expect(records.every((record) => record.signatureValid)).toBe(true);
  });

  it("renders queue errors in each protocol's form", async () => {
    const failure = { status: 400, code: "AWS.SimpleQueueService.NonExistentQueue", message: "The specified queue does not exist." };
    await server.configure({ failNext: [failure, failure] });

    const json = await send(server, { protocol: "json", parameters: { MessageBody: "x" } });
    expect(json.status).toBe(400);
    expect(JSON.parse(json.text).__type).toBe("com.amazonaws.sqs#QueueDoesNotExist");
    expect(json.headers.get("x-amzn-query-error")).toBe("AWS.SimpleQueueService.NonExistentQueue;Sender");

    const query = await send(server, { protocol: "query", parameters: { MessageBody: "x" } });
    expect(query.status).toBe(400);
    expect(xmlElement(query.text, "Code")).toBe("AWS.SimpleQueueService.NonExistentQueue");
    expect(xmlElement(query.text, "Message")).toBe("The specified queue does not exist.");
  });

  it("maps JSON short names to Query codes", async () => {
    await server.configure({
      failNext: [
        { status: 400, code: "QueueDoesNotExist", message: "gone" },
        { status: 403, code: "InvalidClientTokenId", message: "The security token included in the request is invalid." },
        { status: 403, code: "RequestThrottled", message: "slow down" },
      ],
    });

    const codes: Array<string | undefined> = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await send(server, { protocol: "query", parameters: { MessageBody: "x" } });
      codes.push(xmlElement(response.text, "Code"));
    }
    expect(codes).toEqual(["AWS.SimpleQueueService.NonExistentQueue", "InvalidClientTokenId", "RequestThrottled"]);
  });

  it("sends a wrong MD5OfMessageBody when asked", async () => {
    await server.configure({ wrongMd5: true });

    const response = await send(server, { protocol: "json", parameters: { MessageBody: "check me" } });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text).MD5OfMessageBody).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.parse(response.text).MD5OfMessageBody).not.toBe(md5Hex("check me"));
  });

  it("delays responses by delayMs", async () => {
    await server.configure({ delayMs: 400 });

    const started = performance.now();
    const response = await send(server, { protocol: "json", parameters: { MessageBody: "x" } });
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
  });

  it("never responds while stalled", async () => {
    await server.configure({ stallForever: true });

    const stalled = send(server, { protocol: "json", parameters: { MessageBody: "x" } });
    const outcome = await Promise.race([
      stalled.then(() => "responded"),
      new Promise((resolve) => setTimeout(() => resolve("waiting"), 1_000)),
    ]);
    expect(outcome).toBe("waiting");
    const [record] = await server.received();
    expect(record.status).toBe(0);
    expect(record.messageBody).toBe("x");

    // The stalled request stays open until the server's 120 s limit or its exit. close()
    // in afterAll ends it, so this only checks that a normal response follows.
    stalled.catch(() => undefined);
    await server.configure({});
    expect((await send(server, { protocol: "json", parameters: { MessageBody: "y" } })).status).toBe(200);
  });
});

describe("clock skew", () => {
  it("rejects a client clock 10 minutes behind the server", async () => {
    await server.configure({ clockSkewSeconds: 600 });

    const response = await send(server, { protocol: "json", parameters: { MessageBody: "x" } });
    expect(response.status).toBe(400);
    const error = JSON.parse(response.text);
    expect(error.__type).toBe("com.amazon.coral.service#InvalidSignatureException");
    expect(error.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);

    const serverDate = Date.parse(response.headers.get("date") ?? "");
    expect(Math.abs(serverDate - (Date.now() + 600_000))).toBeLessThan(5_000);
    expect((await server.received())[0].signatureValid).toBe(false);
  });

  it("accepts a request signed at the server's Date", async () => {
    await server.configure({ clockSkewSeconds: 600 });

    const rejected = await send(server, { protocol: "query", parameters: { MessageBody: "x" } });
    expect(rejected.status).toBe(403);
    expect(xmlElement(rejected.text, "Code")).toBe("SignatureDoesNotMatch");
    expect(xmlElement(rejected.text, "Message")).toMatch(/^Signature expired: /);

    const serverDate = new Date(rejected.headers.get("date") ?? "");
    const retried = await send(server, { protocol: "query", signingDate: serverDate, parameters: { MessageBody: "x" } });
    expect(retried.status).toBe(200);
  });

  it("rejects a client clock 10 minutes ahead", async () => {
    await server.configure({ clockSkewSeconds: -600 });

    const response = await send(server, { protocol: "json", parameters: { MessageBody: "x" } });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).message).toMatch(/^Signature not yet current: \d{8}T\d{6}Z is still later than /);
  });

  it("accepts a client clock 4 minutes off", async () => {
    await server.configure({ clockSkewSeconds: 240 });

    expect((await send(server, { protocol: "json", parameters: { MessageBody: "x" } })).status).toBe(200);
  });
});

describe("FIFO queues", () => {
  it("require MessageGroupId", async () => {
    const response = await send(server, {
      protocol: "json",
      queue: "orders.fifo",
      parameters: { MessageBody: "x", MessageDeduplicationId: "d1" },
    });

    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-query-error")).toBe("MissingParameter;Sender");
    expect(JSON.parse(response.text).message).toBe("The request must contain the parameter MessageGroupId.");
  });

  it("require MessageDeduplicationId", async () => {
    const response = await send(server, {
      protocol: "query",
      queue: "orders.fifo",
      parameters: { MessageBody: "x", MessageGroupId: "g1" },
    });

    expect(response.status).toBe(400);
    expect(xmlElement(response.text, "Code")).toBe("InvalidParameterValue");
  });

  it("return a SequenceNumber", async () => {
    const response = await send(server, {
      protocol: "json",
      queue: "orders.fifo",
      parameters: { MessageBody: "x", MessageGroupId: "g1", MessageDeduplicationId: "d1" },
    });

    expect(response.status).toBe(200);
    expect(JSON.parse(response.text).SequenceNumber).toMatch(/^\d{20}$/);
    const [record] = await server.received();
    expect(record.messageGroupId).toBe("g1");
    expect(record.messageDeduplicationId).toBe("d1");
    expect(record.duplicate).toBe(false);
  });

  it("accept a duplicate and record it", async () => {
    const parameters = { MessageBody: "x", MessageGroupId: "g1", MessageDeduplicationId: "same-id" };
    const first = await send(server, { protocol: "query", queue: "orders.fifo", parameters });
    const second = await send(server, { protocol: "query", queue: "orders.fifo", parameters });
    const otherQueue = await send(server, { protocol: "query", queue: "audit.fifo", parameters });

    expect([first.status, second.status, otherQueue.status]).toEqual([200, 200, 200]);
    expect(xmlElement(second.text, "MessageId")).toBe(xmlElement(first.text, "MessageId"));
    const records = await server.received();
    expect(records.map((record) => record.duplicate)).toEqual([false, true, false]);
    expect(records.every((record) => record.accepted)).toBe(true);
  });

  it("reject MessageDeduplicationId on a standard queue", async () => {
    const response = await send(server, {
      protocol: "json",
      parameters: { MessageBody: "x", MessageDeduplicationId: "d1" },
    });

    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-query-error")).toBe("InvalidParameterValue;Sender");
  });
});

describe("invalid requests", () => {
  const invalidBodies = [
    ["control character", "bell \u0007"],
    ["lone surrogate", "half \ud800 pair"],
    ["U+FFFE", "not a character \ufffe"],
  ];

  for (const [name, body] of invalidBodies) {
    it(`rejects a body with a ${name}`, async () => {
      const json = await send(server, { protocol: "json", parameters: { MessageBody: body } });
      expect(json.status).toBe(400);
      expect(JSON.parse(json.text).__type).toBe("com.amazonaws.sqs#InvalidMessageContents");

      // A lone surrogate has no UTF-8 form, so it cannot travel in a form body.
      if (name === "lone surrogate") return;
      const query = await send(server, { protocol: "query", parameters: { MessageBody: body } });
      expect(query.status).toBe(400);
      expect(xmlElement(query.text, "Code")).toBe("InvalidMessageContents");
    });
  }

  it("rejects a missing MessageBody", async () => {
    const response = await send(server, { protocol: "json", parameters: {} });

    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).message).toBe("The request must contain the parameter MessageBody.");
  });

  it("rejects an unknown JSON operation", async () => {
    const response = await send(server, { protocol: "json", target: "AmazonSQS.ReceiveMessage", parameters: {} });

    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-query-error")).toBe("InvalidAction;Sender");
  });

  it("rejects an unknown Query action", async () => {
    const response = await send(server, { protocol: "query", action: "PurgeEverything", parameters: {} });

    expect(response.status).toBe(400);
    expect(xmlElement(response.text, "Code")).toBe("InvalidAction");
    expect(xmlElement(response.text, "Message")).toBe("The action PurgeEverything is not valid for this endpoint.");
  });

  it("rejects a queue URL with another account", async () => {
    const rawBody = JSON.stringify({ QueueUrl: `${server.endpoint}/123456789012/orders`, MessageBody: "x" });
    const response = await send(server, { protocol: "json", rawBody });

    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).__type).toBe("com.amazonaws.sqs#QueueDoesNotExist");
  });

  it("rejects a body that is not JSON", async () => {
    const response = await send(server, { protocol: "json", rawBody: "QueueUrl=x" });

    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-query-error")).toBe("MalformedQueryString;Sender");
  });

  it("rejects a message over 256 KiB", async () => {
    const response = await send(server, { protocol: "json", parameters: { MessageBody: "x".repeat(262_145) } });

    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).message).toContain("shorter than 262144 bytes");
  });

  it("accepts a message of exactly 256 KiB", async () => {
    const response = await send(server, { protocol: "json", parameters: { MessageBody: "x".repeat(262_144) } });

    expect(response.status).toBe(200);
  });
});
