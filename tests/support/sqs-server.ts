import { spawn, type ChildProcess } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stopChild, waitForListening } from "../../host/process/child-server.ts";

/**
 * A strict SQS test server that runs in a child process. The WASM module under test blocks
 * its thread with Atomics.wait while preview2-shim's worker performs HTTP, so a server in
 * the test's own thread could never respond.
 */

/** Fake access key for tests. It grants nothing anywhere. */
export const TEST_ACCESS_KEY = "AKIDTESTSERVER";
/** Fake secret key for tests. Real secret keys may contain `/` and `+`, so a client that URL-encodes or trims the key fails here. */
export const TEST_SECRET_KEY = "test-secret-key/ForTheStrictServer+0";
export const TEST_REGION = "us-west-2";
/** Account id in every queue URL the server hands out. */
export const TEST_ACCOUNT_ID = "000000000000";

export interface SqsServerOptions {
  accessKey?: string;
  secretKey?: string;
  /** When set, every request must carry this value in X-Amz-Security-Token, and sign it. */
  sessionToken?: string;
  region?: string;
}

/** Credentials and region the server verifies signatures with. */
export interface SqsServerSettings {
  accessKey: string;
  secretKey: string;
  sessionToken?: string;
  region: string;
}

/**
 * One scripted error response. `code` may be the Query protocol code
 * (`AWS.SimpleQueueService.NonExistentQueue`, `RequestThrottled`, `InvalidClientTokenId`)
 * or the JSON `__type` short name (`QueueDoesNotExist`, `ThrottlingException`). The server
 * renders the matching pair in whichever protocol the request used.
 */
export interface ScriptedFailure {
  status: number;
  code: string;
  message: string;
}

/**
 * Scripted behaviour. Each `configure` call replaces the whole behaviour, so a field left
 * out returns to its default.
 */
export interface ServerBehaviour {
  /** Error responses for the next requests, used in order before any other check. Default none. */
  failNext?: ScriptedFailure[];
  /** Offset of the server's clock from real time, in seconds. Default 0. */
  clockSkewSeconds?: number;
  /** Respond to accepted messages with an MD5OfMessageBody that does not match the body. */
  wrongMd5?: boolean;
  /** Milliseconds to wait before responding to each request. Default 0. */
  delayMs?: number;
  /** Read each request and never respond. The server closes each such socket after 120 s. */
  stallForever?: boolean;
}

/** One request as the server received it, with the response it sent. */
export interface ReceivedRequest {
  protocol: "json" | "query";
  method: string;
  /** Request path without the query string. */
  path: string;
  /** SQS action from X-Amz-Target or the Action parameter, or empty when missing. */
  action: string;
  /** QueueUrl parameter, or for the Query protocol the URL the request was posted to, or empty. */
  queueUrl: string;
  /** MessageBody parameter after protocol decoding, or empty when missing. */
  messageBody: string;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  /** Every decoded request parameter, JSON body members or form fields. */
  parameters: Record<string, unknown>;
  signatureValid: boolean;
  /** Reason the signature check failed, in more detail than the response gives the client. */
  signatureError?: string;
  /** Canonical request the server signed, present when the signatures differ. */
  canonicalRequest?: string;
  /** Request headers with lower-case names. */
  headers: Record<string, string>;
  /** X-Amz-Date header, or empty when missing. */
  amzDate: string;
  /** Authorization header, or empty when missing. */
  authorization: string;
  /** True when the server responded 200 to a SendMessage, including duplicates. */
  accepted: boolean;
  /** True when a FIFO queue saw the same MessageDeduplicationId within 5 minutes. */
  duplicate: boolean;
  /** HTTP status of the response, or 0 while none has been sent (for example while stalled). */
  status: number;
  /** Query protocol error code of the response, used for both protocols so tests compare one value. */
  errorCode?: string;
  messageId?: string;
  /** MD5OfMessageBody as sent to the client, which is wrong when `wrongMd5` is set. */
  md5OfMessageBody?: string;
  sequenceNumber?: string;
  /** Arrival time by the real clock, in milliseconds since the epoch. */
  receivedAt: number;
}

export interface SqsTestServer {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  readonly port: number;
  readonly settings: SqsServerSettings;
  /** URL of queue `name`. Every name exists, and names ending in `.fifo` are FIFO queues. */
  queueUrl(name: string): string;
  /** Every request since the start or the last `reset`, in arrival order. */
  received(): Promise<ReceivedRequest[]>;
  configure(behaviour: ServerBehaviour): Promise<void>;
  /** Forget recorded requests, deduplication ids and scripted behaviour. */
  reset(): Promise<void>;
  /** Stop the child process. */
  close(): Promise<void>;
}

/** Requests from the test process to the server process. */
export type ParentRequest = { kind: "received" } | { kind: "configure"; behaviour: ServerBehaviour } | { kind: "reset" };

/** A request as sent over IPC, with the id its reply carries. */
export type ParentMessage = ParentRequest & { id: number };

/** Messages from the server process to the test process. */
export type ChildMessage =
  | { kind: "listening"; port: number }
  | { kind: "reply"; id: number; result?: unknown; error?: string };

/** Environment variable that carries the JSON-encoded SqsServerSettings to the child. */
export const SETTINGS_ENVIRONMENT_VARIABLE = "SQS_TEST_SERVER_SETTINGS";

const childEntry = fileURLToPath(new URL("./sqs-server-process.ts", import.meta.url));
const projectRoot = resolve(dirname(childEntry), "../..");

// Starting node with tsx took about a second on an idle 2-core machine, and a loaded CI
// runner can be several times slower.
const CALL_TIMEOUT_MS = 10_000;

/** Starts the strict SQS server in a child process and resolves once it listens on 127.0.0.1. */
export async function startSqsServer(options: SqsServerOptions = {}): Promise<SqsTestServer> {
  const settings: SqsServerSettings = {
    accessKey: options.accessKey ?? TEST_ACCESS_KEY,
    secretKey: options.secretKey ?? TEST_SECRET_KEY,
    sessionToken: options.sessionToken,
    region: options.region ?? TEST_REGION,
  };
  const child = spawn(process.execPath, ["--import", "tsx", childEntry], {
    cwd: projectRoot,
    env: { ...process.env, [SETTINGS_ENVIRONMENT_VARIABLE]: JSON.stringify(settings) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });

  const port = await waitForListening(child, "SQS test server");
  const endpoint = `http://127.0.0.1:${port}`;
  const call = createIpcCaller(child);

  return {
    endpoint,
    port,
    settings,
    queueUrl: (name) => `${endpoint}/${TEST_ACCOUNT_ID}/${name}`,
    received: async () => (await call({ kind: "received" })) as ReceivedRequest[],
    configure: async (behaviour) => {
      await call({ kind: "configure", behaviour });
    },
    reset: async () => {
      await call({ kind: "reset" });
    },
    close: () => stopChild(child),
  };
}

/** Returns a function that sends one request to the child and resolves with its reply. */
function createIpcCaller(child: ChildProcess): (request: ParentRequest) => Promise<unknown> {
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  child.on("message", (message: ChildMessage) => {
    if (message.kind !== "reply") return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(message.error));
    else waiter.resolve(message.result);
  });
  child.on("exit", (code, signal) => {
    for (const waiter of pending.values()) {
      waiter.reject(new Error(`SQS test server exited (code ${code}, signal ${signal}) before replying`));
    }
    pending.clear();
  });

  return (request) =>
    new Promise((resolveCall, rejectCall) => {
      if (child.exitCode !== null || child.signalCode !== null || !child.connected) {
        rejectCall(new Error("SQS test server is not running"));
        return;
      }
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        rejectCall(new Error(`SQS test server did not reply to ${request.kind} within ${CALL_TIMEOUT_MS} ms`));
      }, CALL_TIMEOUT_MS);
      pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolveCall(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          rejectCall(error);
        },
      });
      const message: ParentMessage = { ...request, id };
      child.send(message);
    });
}

