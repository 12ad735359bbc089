import { type ChildProcess, spawn } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

/**
 * A recording HTTP test server in a child process, for the HTTP-mode tests. It must not run in
 * the test's own thread: the module blocks its thread while the host performs a request, and the
 * host's HTTP worker needs a server whose event loop is free. Routes are listed in
 * http-test-server-process.mjs.
 */

/** One request as the server received it. */
export interface RecordedRequest {
  method: string;
  /** Request target as sent: the path with any query string. */
  path: string;
  /** Header names and values in arrival order, alternating, as Node's rawHeaders. */
  rawHeaders: string[];
  /** The body bytes, exactly as received. */
  body: Buffer;
}

export interface HttpTestServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** Requests recorded under `id`, the first path segment, in arrival order. */
  requests(id: string): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;
const EXIT_TIMEOUT_MS = 5_000;
const childEntry = fileURLToPath(new URL("./http-test-server-process.mjs", import.meta.url));

/** Starts the server and resolves once it listens on 127.0.0.1. */
export async function startHttpTestServer(): Promise<HttpTestServer> {
  const child = spawn(process.execPath, [childEntry], { stdio: ["pipe", "pipe", "inherit"] });
  const port = await readPort(child);
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    requests: async (id) => {
      const response = await fetch(`${origin}/_requests/${encodeURIComponent(id)}`);
      const list = (await response.json()) as Array<Omit<RecordedRequest, "body"> & { body: string }>;
      return list.map((entry) => ({ ...entry, body: Buffer.from(entry.body, "base64") }));
    },
    close: () => stopChild(child),
  };
}

function readPort(child: ChildProcess): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the HTTP test server did not report its port within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the HTTP test server exited with code ${code} before listening`));
    });
    child.stdout!.once("data", (chunk: Buffer) => {
      clearTimeout(timer);
      resolvePort(JSON.parse(chunk.toString()).port);
    });
  });
}

/** Closes the child's stdin, which makes it exit, and kills it if it is still alive after EXIT_TIMEOUT_MS. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), EXIT_TIMEOUT_MS);
    child.once("exit", () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.stdin!.end();
  });
}

/** Returns a 127.0.0.1 port that nothing listens on, found by listening on port 0 and closing. */
export function unusedPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const listener = createServer();
    listener.once("error", reject);
    listener.listen(0, "127.0.0.1", () => {
      const { port } = listener.address() as AddressInfo;
      listener.close(() => resolvePort(port));
    });
  });
}

/** Returns the first value of header `name`, compared without case, or undefined. */
export function headerValue(request: RecordedRequest, name: string): string | undefined {
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    if (request.rawHeaders[index].toLowerCase() === name.toLowerCase()) return request.rawHeaders[index + 1];
  }
  return undefined;
}
