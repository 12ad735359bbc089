import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const COMPONENT = join(projectRoot, "bin", "event-pusher.wasm");
export const BACALHAU_MODULE = join(projectRoot, "bin", "main.wasm");
export const NOHTTP_MODULE = join(projectRoot, "bin", "event-pusher-nohttp.wasm");

export interface RunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export interface RunOptions {
  /** Arguments after the program name. */
  args?: string[];
  /** The program's whole environment; nothing is inherited, so a developer's COLOR or HOSTNAME cannot leak in. */
  env?: Record<string, string>;
  /** Working directory, preopened as "."; a fresh temporary one when not given. */
  cwd?: string;
  /** Files to write into the working directory first, by relative path. */
  files?: Record<string, string | Buffer>;
  /** Kills the run after this long; tests should finish far sooner. */
  timeoutMs?: number;
}

/** Creates a fresh temporary working directory containing the given files and returns its path. */
export function makeWorkDir(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "event-pusher-test-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function collect(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const cwd = options.cwd ?? makeWorkDir(options.files);
  if (options.cwd && options.files) {
    for (const [path, content] of Object.entries(options.files)) {
      mkdirSync(dirname(join(cwd, path)), { recursive: true });
      writeFileSync(join(cwd, path), content);
    }
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...(options.env ?? {}) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(stdout);
      resolvePromise({ exitCode: code, stdout: stdoutBytes.toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8"), stdoutBytes });
    });
  });
}

/**
 * Runs bin/event-pusher.wasm through the Node runner in a child process, because
 * preview2-shim's exit ends the whole Node process.
 */
export function runComponent(options: RunOptions = {}): Promise<RunResult> {
  return collect(process.execPath, [join(projectRoot, "host", "bin", "event-pusher.mjs"), ...(options.args ?? [])], options);
}

/** Runs a preview1 build under Node's own node:wasi, with "." preopened like wasmtime --dir=. */
export function runPreview1(module: string, options: RunOptions = {}): Promise<RunResult> {
  return collect(process.execPath, ["--no-warnings", join(projectRoot, "tests", "support", "node-wasi-run.mjs"), module, ...(options.args ?? [])], options);
}

/** Returns the wasmtime executable when one is on PATH, else null; tests that need it skip with a message. */
export function findWasmtime(): string | null {
  const found = spawnSync("sh", ["-c", "command -v wasmtime"], { encoding: "utf8" });
  return found.status === 0 && found.stdout.trim().length > 0 ? found.stdout.trim() : null;
}

export const WASMTIME_SKIP_REASON = "wasmtime is not on PATH, so the wasmtime runs are skipped; put a wasmtime that implements WASI 0.2.12 on PATH to run them";

/** Runs a module or component with the wasmtime CLI: `wasmtime run -S http --dir=. MODULE ARGS`. */
export function runWasmtime(wasmtime: string, module: string, options: RunOptions = {}): Promise<RunResult> {
  const envFlags = Object.keys(options.env ?? {}).flatMap((name) => ["--env", name]);
  const httpFlags = module.endsWith("event-pusher.wasm") ? ["-S", "http"] : [];
  return collect(wasmtime, ["run", ...httpFlags, "--dir=.", ...envFlags, module, ...(options.args ?? [])], options);
}
