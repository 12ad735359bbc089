import { spawn, type ChildProcess } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stopChild, waitForListening } from "../process/child-server.ts";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";

/**
 * Starts the fauxqs 1.9.2 SQS emulator in a child process on 127.0.0.1 for the demo. It
 * runs in its own process because the WASM module blocks its thread while preview2-shim's
 * worker performs HTTP, so a server in the module's thread could never respond.
 *
 * fauxqs does not verify SigV4 signatures: it reads only the region from the Authorization
 * header's credential scope, and accepts wrong keys and unsigned requests. It speaks only
 * the JSON protocol for SQS. A Query protocol SendMessage posted to `/` reaches its SNS
 * handler and fails with InvalidAction. Posted to the queue path, it reaches its S3 routes,
 * which respond 200 with an S3 DeleteResult and queue nothing.
 *
 * fauxqs also rejects message bodies with characters above U+FFFF, such as emoji, which
 * SQS accepts, and prefixes every Query error code with `AWS.SimpleQueueService.`.
 */

export const FAUXQS_REGION = "us-west-2";
/** Fake credentials. fauxqs accepts any, but the SDK needs some to sign with. */
export const FAUXQS_CREDENTIALS = { accessKeyId: "AKIDEXAMPLEDEMO", secretAccessKey: "demo-secret" };

export interface ReceivedMessage {
  messageId: string;
  body: string;
  /** MD5OfBody as fauxqs reports it. */
  md5: string;
}

export interface FauxqsEmulator {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  /** SDK client aimed at `endpoint`, for sending and inspecting. */
  readonly client: SQSClient;
  /**
   * Creates a queue and returns its QueueUrl exactly as fauxqs returns it, for example
   * `http://sqs.us-west-2.localhost:PORT/000000000000/NAME`. That host need not resolve,
   * so requests go to `endpoint` with this URL in the QueueUrl parameter, and fauxqs
   * looks queues up by the exact URL. A FIFO queue's name must end in `.fifo`.
   */
  createQueue(name: string, fifo?: boolean): Promise<string>;
  /**
   * Receives and deletes messages until `expected` have arrived or `timeoutMs` has passed,
   * and returns those received, which are fewer than `expected` on timeout.
   */
  receiveAll(queueUrl: string, expected: number, timeoutMs: number): Promise<ReceivedMessage[]>;
  /** Stops the emulator process. */
  close(): Promise<void>;
}

const childEntry = fileURLToPath(new URL("./fauxqs-server.ts", import.meta.url));
const projectRoot = resolve(dirname(childEntry), "../..");

// Starting node with tsx and loading fauxqs took about 2.6 s on an idle 2-core machine.
const EMPTY_POLL_PAUSE_MS = 50;
const MAX_RECEIVE_ROUNDS = 1_000;

/** Starts fauxqs in a child process and resolves once it listens on 127.0.0.1. */
export async function startFauxqs(): Promise<FauxqsEmulator> {
  const child = spawn(process.execPath, ["--import", "tsx", childEntry], {
    cwd: projectRoot,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await waitForListening(child, "fauxqs");
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SQSClient({
    region: FAUXQS_REGION,
    endpoint,
    credentials: FAUXQS_CREDENTIALS,
    // Without this the SDK sends each request to the host named in QueueUrl.
    useQueueUrlAsEndpoint: false,
  });

  return {
    endpoint,
    client,
    createQueue: async (name, fifo = false) => {
      const output = await client.send(
        new CreateQueueCommand({ QueueName: name, Attributes: fifo ? { FifoQueue: "true" } : undefined }),
      );
      if (!output.QueueUrl) throw new Error(`fauxqs returned no QueueUrl for CreateQueue ${name}`);
      return output.QueueUrl;
    },
    receiveAll: (queueUrl, expected, timeoutMs) => receiveAll(client, queueUrl, expected, timeoutMs),
    close: async () => {
      client.destroy();
      await stopChild(child);
    },
  };
}

async function receiveAll(
  client: SQSClient,
  queueUrl: string,
  expected: number,
  timeoutMs: number,
): Promise<ReceivedMessage[]> {
  const deadline = Date.now() + timeoutMs;
  const messages: ReceivedMessage[] = [];
  for (let round = 0; round < MAX_RECEIVE_ROUNDS && messages.length < expected; round++) {
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) break;
    const output = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, expected - messages.length),
        // Long-poll in 1 s steps so the call never runs far past the deadline.
        WaitTimeSeconds: remainingMs >= 1_000 ? 1 : 0,
      }),
    );
    const batch = output.Messages ?? [];
    for (const message of batch) {
      messages.push({ messageId: message.MessageId ?? "", body: message.Body ?? "", md5: message.MD5OfBody ?? "" });
      // Deleting frees the message group of a FIFO queue for its next message.
      await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
    if (batch.length === 0 && remainingMs < 1_000) {
      await new Promise((wake) => setTimeout(wake, EMPTY_POLL_PAUSE_MS));
    }
  }
  return messages;
}

