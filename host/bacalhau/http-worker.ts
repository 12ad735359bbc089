// Worker thread that performs the HTTP requests of every job in the process, as one Go client
// serves every job of a Bacalhau node: connections are pooled and reused across jobs. A job
// thread is blocked in Atomics.wait during each request, so the request runs here, on an event
// loop of its own.
//
// Each job connects with a MessagePort sent through parentPort as { port }. Per request, the job
// posts { call, signal } on its port; this worker posts the outcome back on the same port, then
// sets signal[0] to 1 and notifies, so the job thread wakes and reads the outcome with
// receiveMessageOnPort.
import { type MessagePort, parentPort } from "node:worker_threads";

import { type HttpCall, type HttpOutcome, performHttpCall } from "./go-http-client.ts";

export interface HttpWorkerRequest {
  call: HttpCall;
  signal: SharedArrayBuffer;
}

async function respond(port: MessagePort, { call, signal }: HttpWorkerRequest): Promise<void> {
  let outcome: HttpOutcome;
  try {
    outcome = await performHttpCall(call);
  } catch (error) {
    // performHttpCall turns every expected failure into an outcome, so this is a host bug.
    process.stderr.write(`bacalhau host: HTTP request to ${call.url} failed unexpectedly: ${String(error)}\n`);
    outcome = { kind: "network-error", message: `unexpected client failure: ${String(error)}` };
  }
  port.postMessage(outcome);
  const flag = new Int32Array(signal);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

parentPort!.on("message", ({ port }: { port: MessagePort }) => {
  port.on("message", (request: HttpWorkerRequest) => void respond(port, request));
  port.on("close", () => port.removeAllListeners());
});
