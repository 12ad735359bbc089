// Worker thread that runs one module the way Bacalhau's WASM executor does: WASI preview1,
// argv and environment as given, the job directory preopened as "/", the HTTP host function
// only with networking, and the executor's exit-code rules. It posts one JobWorkerResult.
import { closeSync, openSync, readFileSync } from "node:fs";
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { WASI } from "node:wasi";

import type { HttpCall, HttpOutcome } from "./go-http-client.ts";
import { createHttpRequestFunction, type HttpHostOptions } from "./http-host-function.ts";
import type { HttpWorkerRequest } from "./http-worker.ts";
import { type FunctionSignature, formatSignature, importedFunctionSignatures } from "./module-imports.ts";

export interface JobWorkerData {
  modulePath: string;
  /** Full argv, argv[0] included. */
  args: string[];
  /** Environment variables, already in the order the guest should see them. */
  env: Array<[string, string]>;
  rootDir: string;
  stdinPath: string;
  stdoutPath: string;
  stderrPath: string;
  /** HTTP host function settings, absent when networking is off. */
  http?: HttpHostOptions & { port: MessagePort };
}

export interface JobWorkerResult {
  exitCode: number;
  startError?: string;
  /** Executor log lines about the run, such as a trap, appended to the job's stderr. */
  hostLog: string;
}

const HTTP_MODULE = "wasi:http/requests";
const HTTP_FUNCTION = "http_request";
const HTTP_SIGNATURE: FunctionSignature = { params: Array(12).fill("i32"), results: ["i32"] };
const ENTRY_POINT = "_start";

// V8 trap messages and the wazero messages Bacalhau logs for the same traps.
const TRAP_MESSAGES: Array<[RegExp, string]> = [
  [/unreachable/, "unreachable"],
  [/memory access out of bounds/, "out of bounds memory access"],
  [/(divide|remainder) by zero/, "integer divide by zero"],
  [/divide result unrepresentable|integer overflow/, "integer overflow"],
  [/float unrepresentable|invalid conversion/, "invalid conversion to integer"],
  [/function signature mismatch/, "indirect call type mismatch"],
  [/table index is out of bounds|null function/, "invalid table access"],
  [/Maximum call stack size exceeded/, "stack overflow"],
];

/** Returns why the executor would refuse to instantiate `module`, or undefined if it would not. */
function checkImports(module: WebAssembly.Module, binary: Uint8Array, wasiFunctions: object, networking: boolean): string | undefined {
  let signatures: Map<string, FunctionSignature> | undefined;
  for (const { module: moduleName, name, kind } of WebAssembly.Module.imports(module)) {
    if (moduleName === "wasi_snapshot_preview1") {
      if (kind !== "function" || !(name in wasiFunctions)) return `"${name}" is not exported in module "${moduleName}"`;
      continue;
    }
    if (moduleName !== HTTP_MODULE) {
      return `module[${moduleName}] not instantiated: the executor provides only wasi_snapshot_preview1 and, with networking, ${HTTP_MODULE}`;
    }
    if (!networking) {
      return (
        `module[${HTTP_MODULE}] not instantiated: the module imports ${HTTP_MODULE}.${name}, ` +
        "which Bacalhau registers only when networking is enabled; run with --network http --domain HOST or --network full"
      );
    }
    if (kind !== "function" || name !== HTTP_FUNCTION) {
      return `"${name}" is not exported in module "${HTTP_MODULE}": current executors export only ${HTTP_FUNCTION}`;
    }
    signatures ??= importedFunctionSignatures(binary);
    const actual = signatures.get(`${HTTP_MODULE}.${HTTP_FUNCTION}`);
    if (actual && formatSignature(actual) !== formatSignature(HTTP_SIGNATURE)) {
      return `import func[${HTTP_MODULE}.${HTTP_FUNCTION}]: signature mismatch: ${formatSignature(HTTP_SIGNATURE)} != ${formatSignature(actual)}`;
    }
  }
  return undefined;
}

function describeTrap(error: unknown): string {
  if (!(error instanceof Error)) return `execution failed: ${String(error)}`;
  if (!(error instanceof WebAssembly.RuntimeError) && !(error instanceof RangeError)) {
    return `execution failed: ${error.message}`;
  }
  const known = TRAP_MESSAGES.find(([pattern]) => pattern.test(error.message));
  const frames = (error.stack ?? "")
    .split("\n")
    .filter((line) => line.includes("wasm://") || line.includes("wasm-function"))
    .map((line) => `\t${line.trim().replace(/^at /, "")}`);
  return [`wasm error: ${known ? known[1] : error.message}`, ...(frames.length > 0 ? ["wasm stack trace:", ...frames] : [])].join("\n");
}

/** Sends `call` to the HTTP worker and blocks this thread until its outcome arrives. */
function performBlocking(port: MessagePort, call: HttpCall): HttpOutcome {
  const signal = new SharedArrayBuffer(4);
  const flag = new Int32Array(signal);
  port.postMessage({ call, signal } satisfies HttpWorkerRequest);
  // The HTTP worker enforces the request timeout (twice when a HEAD precedes the request).
  // This wait only guards against a worker that died, so it allows a generous margin.
  const waitLimitMs = 2 * call.timeoutMs + 10_000;
  const state = Atomics.wait(flag, 0, 0, waitLimitMs);
  const message = receiveMessageOnPort(port);
  if (state === "timed-out" || !message) {
    return { kind: "network-error", message: `the HTTP worker did not respond within ${waitLimitMs} ms` };
  }
  return message.message as HttpOutcome;
}

function run(data: JobWorkerData): JobWorkerResult {
  let binary: Buffer<ArrayBuffer>;
  let module: WebAssembly.Module;
  try {
    binary = readFileSync(data.modulePath);
    module = new WebAssembly.Module(binary);
  } catch (error) {
    return { exitCode: 1, startError: `failed to load the module ${data.modulePath}: ${(error as Error).message}`, hostLog: "" };
  }

  const exports = WebAssembly.Module.exports(module);
  if (!exports.some((item) => item.name === ENTRY_POINT && item.kind === "function")) {
    return { exitCode: 1, startError: `unable to find the entrypoint '${ENTRY_POINT}' in the WASM module`, hostLog: "" };
  }
  if (!exports.some((item) => item.name === "memory" && item.kind === "memory")) {
    return { exitCode: 1, startError: "the module does not export its memory as \"memory\", which WASI requires", hostLog: "" };
  }

  const stdin = openSync(data.stdinPath, "r");
  const stdout = openSync(data.stdoutPath, "w");
  const stderr = openSync(data.stderrPath, "w");
  try {
    const wasi = new WASI({
      version: "preview1",
      args: data.args,
      env: Object.fromEntries(data.env),
      preopens: { "/": data.rootDir },
      returnOnExit: true,
      stdin,
      stdout,
      stderr,
    });
    const wasiFunctions = wasi.wasiImport as Record<string, (...args: number[]) => number>;

    const importError = checkImports(module, binary, wasiFunctions, data.http !== undefined);
    if (importError) return { exitCode: 1, startError: `failed to instantiate the module: ${importError}`, hostLog: "" };

    // proc_exit is wrapped to tell "exited with 0" apart from "returned from _start".
    let exitCode: number | undefined;
    const imports: WebAssembly.Imports = {
      wasi_snapshot_preview1: {
        ...wasiFunctions,
        proc_exit: (code: number) => {
          exitCode = code >>> 0;
          return wasiFunctions.proc_exit(code);
        },
        // With no variables, Node 20's environ_get returns EINVAL because its buffer is empty,
        // while wazero succeeds and writes nothing.
        environ_get: data.env.length === 0 ? () => 0 : wasiFunctions.environ_get,
      },
    };
    let instance: WebAssembly.Instance | undefined;
    if (data.http) {
      const { port, ...options } = data.http;
      const memory = (): WebAssembly.Memory => instance!.exports.memory as WebAssembly.Memory;
      imports[HTTP_MODULE] = {
        [HTTP_FUNCTION]: createHttpRequestFunction(options, memory, (call) => performBlocking(port, call)),
      };
    }

    try {
      instance = new WebAssembly.Instance(module, imports);
    } catch (error) {
      return { exitCode: 1, startError: `failed to instantiate the module: ${(error as Error).message}`, hostLog: "" };
    }

    try {
      wasi.start(instance);
    } catch (error) {
      // The executor records exit code 1 for a trap and logs the error.
      return { exitCode: 1, hostLog: `execution ended with exit code 1: ${describeTrap(error)}\n` };
    }
    // Returning from _start without proc_exit leaves the executor's exit code at its initial -1.
    return { exitCode: exitCode ?? -1, hostLog: "" };
  } finally {
    closeSync(stdin);
    closeSync(stdout);
    closeSync(stderr);
  }
}

parentPort!.postMessage(run(workerData as JobWorkerData));
