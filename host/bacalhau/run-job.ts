// Runs a WASI preview1 module as `bacalhau wasm run` would, so that a module that works here
// works on Bacalhau's WASM executor. The module runs in a worker thread, and its HTTP requests in
// a second one, so the calling thread stays free while the job runs.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix, resolve } from "node:path";
import { MessageChannel, type MessagePort, type Worker } from "node:worker_threads";

import { normalizeDomains } from "./go-net.ts";
import type { JobWorkerData, JobWorkerResult } from "./job-worker.ts";
import { startTypeScriptWorker } from "./typescript-worker.ts";

export type NetworkMode = "none" | "http" | "full";

export interface BacalhauJobInput {
  /** File or directory on this machine. */
  source: string;
  /** Absolute path inside the job's filesystem, such as /app/config.yaml. */
  target: string;
}

export interface BacalhauJobOptions {
  /** Path to the .wasm module. */
  module: string;
  /** Arguments after argv[0], which is always the empty string. */
  parameters?: string[];
  /** Environment variables, passed to the module sorted by name. */
  env?: Record<string, string>;
  /** Files and directories copied into the job's filesystem before the run. */
  inputs?: BacalhauJobInput[];
  /** Networking of the job. The HTTP host function exists only with "http" or "full". Default "none". */
  network?: NetworkMode;
  /** Allowed-domain patterns for network "http", such as api.example.com or *.example.com. */
  domains?: string[];
  /** Per-request timeout of the HTTP host function in milliseconds. Default 30000. */
  requestTimeoutMs?: number;
  /** Cap on a response body in bytes. Default: 80% of the module's memory, at most 100 MiB, at least 64 KiB with "truncate". */
  responseLimitBytes?: number;
  /** Response larger than the guest's buffer: "truncate" (2025 executors, default) or "error" (older, result 5). */
  tooLarge?: "truncate" | "error";
  /** Directory that receives a copy of the job's /outputs after the run. */
  outputDir?: string;
  /** Stops the job after this many milliseconds, as a job timeout would. Default: no limit. */
  timeoutMs?: number;
}

export interface BacalhauJobResult {
  /** The proc_exit code; 1 after a trap or a start failure; -1 when _start returned without proc_exit. */
  exitCode: number;
  stdout: Buffer;
  /** The module's stderr, followed by what the executor would log about a trap or a timeout. */
  stderr: Buffer;
  /** Reason the module could not be started, for example a missing import. */
  startError?: string;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Compares strings by their UTF-8 bytes, the order of Go's sort.Strings. */
const compareBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

function checkOptions(options: BacalhauJobOptions): void {
  const network = options.network ?? "none";
  if (!["none", "http", "full"].includes(network)) {
    throw new TypeError(`invalid network "${network}": expected none, http or full`);
  }
  for (const [name, value] of [["requestTimeoutMs", options.requestTimeoutMs], ["timeoutMs", options.timeoutMs]] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw new TypeError(`invalid ${name} ${value}: expected a positive number of milliseconds`);
    }
  }
  if (options.responseLimitBytes !== undefined && !(Number.isInteger(options.responseLimitBytes) && options.responseLimitBytes >= 0)) {
    throw new TypeError(`invalid responseLimitBytes ${options.responseLimitBytes}: expected a non-negative integer`);
  }
  if (options.tooLarge !== undefined && !["truncate", "error"].includes(options.tooLarge)) {
    throw new TypeError(`invalid tooLarge "${options.tooLarge}": expected truncate or error`);
  }
}

/**
 * Copies the inputs under `rootDir`, returning an error message for a missing source or bad target.
 * NOTE: Bacalhau mounts inputs read-only, but these copies are writable, so a module that writes
 * outside /outputs succeeds here and fails there.
 */
function mountInputs(rootDir: string, inputs: readonly BacalhauJobInput[]): string | undefined {
  for (const { source, target } of inputs) {
    if (!posix.isAbsolute(target) || posix.normalize(target) === "/") {
      return `invalid input target "${target}": expected an absolute path below /, such as /app/config.yaml`;
    }
    if (!existsSync(source)) return `input source not found: ${source}`;
    const destination = join(rootDir, posix.normalize(target));
    mkdirSync(resolve(destination, ".."), { recursive: true });
    cpSync(source, destination, { recursive: true });
  }
  return undefined;
}

interface JobOutcome extends JobWorkerResult {
  /** Whether the job was stopped by `timeoutMs`. */
  timedOut?: boolean;
}

function waitForJob(worker: Worker, timeoutMs: number | undefined): Promise<JobOutcome> {
  return new Promise((resolvePromise) => {
    let timer: NodeJS.Timeout | undefined;
    const settle = (outcome: JobOutcome): void => {
      clearTimeout(timer);
      resolvePromise(outcome);
    };
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        settle({ exitCode: 1, hostLog: `execution timed out after ${timeoutMs} ms\n`, timedOut: true });
      }, timeoutMs);
    }
    worker.once("message", settle);
    worker.once("error", (error) => settle({ exitCode: 1, hostLog: `execution failed: host error: ${error.message}\n` }));
    worker.once("exit", (code) => settle({ exitCode: 1, hostLog: `execution failed: the job worker exited with code ${code}\n` }));
  });
}

// One HTTP worker serves every job of the process, started with the first job that has networking.
let httpWorker: Worker | undefined;

/** Returns a port on which a job thread can send requests to the shared HTTP worker. */
function connectToHttpWorker(): MessagePort {
  if (!httpWorker) {
    const worker = startTypeScriptWorker(new URL("./http-worker.ts", import.meta.url), undefined);
    // Idle between jobs, it must not keep the process alive.
    worker.unref();
    const forget = (): void => {
      if (httpWorker === worker) httpWorker = undefined;
    };
    worker.once("error", forget);
    worker.once("exit", forget);
    httpWorker = worker;
  }
  const channel = new MessageChannel();
  httpWorker.postMessage({ port: channel.port2 }, [channel.port2]);
  return channel.port1;
}

/**
 * Runs `options.module` like Bacalhau's WASM executor and returns its exit code and output.
 * Problems that Bacalhau would report as a failed job (a missing import, no _start, an input
 * that does not exist) come back as `startError` with exit code 1. Invalid option values throw.
 */
export async function runBacalhauJob(options: BacalhauJobOptions): Promise<BacalhauJobResult> {
  checkOptions(options);
  const network = options.network ?? "none";
  const jobDir = mkdtempSync(join(tmpdir(), "bacalhau-job-"));
  const removeJobDir = (): void => rmSync(jobDir, { recursive: true, force: true });
  let jobWorker: Worker | undefined;
  let outcome: JobOutcome | undefined;
  try {
    const rootDir = join(jobDir, "root");
    mkdirSync(join(rootDir, "outputs"), { recursive: true });
    const stdinPath = join(jobDir, "stdin");
    const stdoutPath = join(jobDir, "stdout");
    const stderrPath = join(jobDir, "stderr");
    writeFileSync(stdinPath, "");
    writeFileSync(stdoutPath, "");
    writeFileSync(stderrPath, "");

    const inputError = mountInputs(rootDir, options.inputs ?? []);
    if (inputError) return { exitCode: 1, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), startError: inputError };

    // NOTE: node:wasi takes the environment as an object, so names that are array indices
    // ("1", "42") reach the module before the others whatever their sorted position.
    const env = Object.entries(options.env ?? {}).sort(([a], [b]) => compareBytes(a, b));
    const data: JobWorkerData = {
      modulePath: resolve(options.module),
      args: ["", ...(options.parameters ?? [])],
      env,
      rootDir,
      stdinPath,
      stdoutPath,
      stderrPath,
    };
    if (network !== "none") {
      data.http = {
        port: connectToHttpWorker(),
        network,
        domains: normalizeDomains(options.domains ?? []),
        requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        responseLimitBytes: options.responseLimitBytes,
        tooLarge: options.tooLarge ?? "truncate",
      };
    }
    jobWorker = startTypeScriptWorker(new URL("./job-worker.ts", import.meta.url), data, data.http ? [data.http.port] : []);
    outcome = await waitForJob(jobWorker, options.timeoutMs);

    if (options.outputDir) {
      mkdirSync(options.outputDir, { recursive: true });
      cpSync(join(rootDir, "outputs"), options.outputDir, { recursive: true });
    }
    return {
      exitCode: outcome.exitCode,
      stdout: readFileSync(stdoutPath),
      stderr: Buffer.concat([readFileSync(stderrPath), Buffer.from(outcome.hostLog)]),
      startError: outcome.startError,
    };
  } finally {
    if (jobWorker && outcome?.timedOut) {
      // terminate() cannot interrupt a blocking WASI call such as a long poll_oneoff sleep, so a
      // timed-out job is left to stop in the background without holding the process open.
      // NOTE: if the process exits first, the job directory stays behind in the temp directory.
      jobWorker.unref();
      void jobWorker.terminate().finally(removeJobDir);
    } else {
      await jobWorker?.terminate();
      removeJobDir();
    }
  }
}
