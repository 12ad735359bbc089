// HTTP mode (one request, then `STATUS REASON`, the body bytes and an exit code) through both
// networked builds: the WASI 0.2 component on the Node runner, and bin/main.wasm on the
// Bacalhau-like host. Every request goes to a recording test server on 127.0.0.1 in its own
// child process, so each test can check what arrived byte for byte.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

import { runBacalhauJob } from "../host/bacalhau/run-job.ts";
import { headerValue, type HttpTestServer, startHttpTestServer, unusedPort } from "./support/http-test-server.ts";
import { BACALHAU_MODULE, NOHTTP_MODULE, projectRoot, runComponent, runPreview1 } from "./support/run-module.ts";

/** What one run produced, whichever transport ran it. */
interface ProbeRun {
  exitCode: number | null;
  stdout: Buffer;
  stderr: string;
  elapsedMs: number;
}

interface ProbeOptions {
  /** Contents of the config file; without it the run gets no file and no argument. */
  config?: string;
  env?: Record<string, string>;
  /** Per-request timeout of Bacalhau's host function; the component ignores it. */
  hostRequestTimeoutMs?: number;
}

interface Transport {
  name: string;
  /** Exit code of a configuration error: the component can only report failure, which is 1. */
  configErrorExitCode: number;
  /** Whether the host follows redirects, so the module receives only the final response. */
  followsRedirects: boolean;
  /** Config lines and host options that make a request time out after about 1 s. */
  oneSecondTimeout: { config: string; hostRequestTimeoutMs?: number };
  run(options: ProbeOptions): Promise<ProbeRun>;
}

const RUN_TIMEOUT_MS = 60_000;
const execFileAsync = promisify(execFile);

// Room for one rebuild of bin/ (about a minute on 2 loaded cores) on top of the runs themselves.
vi.setConfig({ testTimeout: 150_000 });

const component: Transport = {
  name: "component (wasi:http)",
  configErrorExitCode: 1,
  followsRedirects: false,
  oneSecondTimeout: { config: "request_timeout_seconds: 1\n" },
  async run({ config, env }) {
    // Each component run first rebuilds bin/ when assembly/ changed, waiting for a build lock,
    // which can take a minute. Doing that before the clock starts keeps elapsedMs the run's own.
    await execFileAsync(process.execPath, [join(projectRoot, "host", "build", "ensure-built.mjs")]);
    const started = Date.now();
    const result = await runComponent({
      args: config === undefined ? [] : ["config.yaml"],
      files: config === undefined ? {} : { "config.yaml": config },
      env,
      timeoutMs: RUN_TIMEOUT_MS,
    });
    return { exitCode: result.exitCode, stdout: result.stdoutBytes, stderr: result.stderr, elapsedMs: Date.now() - started };
  },
};

const bacalhau: Transport = {
  name: "main.wasm on Bacalhau (http_request)",
  configErrorExitCode: 2,
  followsRedirects: true,
  oneSecondTimeout: { config: "", hostRequestTimeoutMs: 1000 },
  async run({ config, env, hostRequestTimeoutMs }) {
    const inputs = [];
    if (config !== undefined) {
      const source = join(mkdtempSync(join(tmpdir(), "http-mode-config-")), "config.yaml");
      writeFileSync(source, config);
      inputs.push({ source, target: "/app/config.yaml" });
    }
    const started = Date.now();
    const result = await runBacalhauJob({
      module: BACALHAU_MODULE,
      parameters: config === undefined ? [] : ["/app/config.yaml"],
      inputs,
      env,
      network: "http",
      domains: ["127.0.0.1"],
      requestTimeoutMs: hostRequestTimeoutMs,
      timeoutMs: RUN_TIMEOUT_MS,
    });
    const stderr = result.stderr.toString("utf8") + (result.startError ? `start error: ${result.startError}\n` : "");
    return { exitCode: result.exitCode, stdout: result.stdout, stderr, elapsedMs: Date.now() - started };
  },
};

let server: HttpTestServer;

beforeAll(async () => {
  server = await startHttpTestServer();
});

afterAll(async () => {
  await server?.close();
});

/** Writes a config with every string double-quoted; JSON string escapes are valid YAML escapes. */
function configYaml(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => (typeof value === "string" ? `${key}: ${JSON.stringify(value)}` : `${key}: ${value}`))
    .join("\n") + "\n";
}

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line.length > 0);
}

function errorLines(run: ProbeRun): string[] {
  return lines(run.stderr).filter((line) => line.includes(" error: "));
}

/** Returns a test-server path segment unique to one test and transport, so concurrent tests never share records. */
function uniqueId(transport: Transport, name: string): string {
  return `${transport === component ? "component" : "bacalhau"}-${name}`;
}

const METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"];
const MULTI_BYTE_BODY = "héllo wörld — 🚀 日本語 ✓ \"quoted\" back\\slash";
const ONE_MIB = 1024 * 1024;

describe.concurrent.each([component, bacalhau])("HTTP mode, $name", (transport) => {
  test.each(METHODS)("method %s reaches the server", async (method) => {
    const id = uniqueId(transport, `method-${method}`);
    const run = await transport.run({ config: configYaml({ method, url: `${server.origin}/${id}/reply?body=hello` }) });

    const received = await server.requests(id);
    expect(received.map((request) => request.method)).toEqual([method]);
    expect(run.stdout.toString()).toBe(method === "HEAD" ? "200 OK\n" : "200 OK\nhello");
    expect(run.exitCode).toBe(0);
  });

  test.each([
    ["config file", { config: 'headers: "X-A: 1\\nX-B: two"\n' }],
    ["environment, real newline", { env: { HTTP_HEADERS: "X-A: 1\nX-B: two" } }],
    ["environment, literal \\n", { env: { HTTP_HEADERS: "X-A: 1\\nX-B: two" } }],
  ] as const)("multi-line headers from %s", async (_source, setting) => {
    const id = uniqueId(transport, `headers-${_source.replace(/\W+/g, "-")}`);
    const url = `${server.origin}/${id}/reply`;
    const options: ProbeOptions =
      "config" in setting ? { config: `url: ${JSON.stringify(url)}\n${setting.config}` } : { env: { HTTP_URL: url, ...setting.env } };
    const run = await transport.run(options);

    const [request] = await server.requests(id);
    expect(headerValue(request, "X-A")).toBe("1");
    expect(headerValue(request, "X-B")).toBe("two");
    expect(run.exitCode).toBe(0);
  });

  test.each([
    ["empty", "POST", ""],
    ["1 MiB", "PUT", "0123456789abcdef".repeat(ONE_MIB / 16)],
    ["multi-byte UTF-8", "POST", MULTI_BYTE_BODY],
  ])("request body %s arrives byte-exact", async (name, method, body) => {
    const id = uniqueId(transport, `body-${name.replace(/\W+/g, "-")}`);
    const run = await transport.run({ config: configYaml({ method, url: `${server.origin}/${id}/reply`, body }) });

    const received = await server.requests(id);
    expect(received, run.stderr).toHaveLength(1);
    const [request] = received;
    const expected = Buffer.from(body, "utf8");
    expect(request.body.length).toBe(expected.length);
    expect(request.body.equals(expected)).toBe(true);
    expect(headerValue(request, "Content-Length")).toBe(String(expected.length));
    expect(headerValue(request, "Transfer-Encoding")).toBeUndefined();
    expect(run.exitCode).toBe(0);
  });

  test("response body with every byte value passes through unchanged", async () => {
    const id = uniqueId(transport, "bytes");
    const run = await transport.run({ config: configYaml({ url: `${server.origin}/${id}/bytes`, log_level: "debug" }) });

    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, value) => value));
    expect(run.stdout.equals(Buffer.concat([Buffer.from("200 OK\n"), everyByte]))).toBe(true);
    // Response headers go to stderr at log_level debug, never to stdout.
    expect(run.stderr).toMatch(/x-probe: bytes/i);
    expect(run.exitCode).toBe(0);
  });

  test.each([
    [204, "No Content", "", 0],
    [404, "Not Found", "no such thing", 1],
    [503, "Service Unavailable", "try later", 1],
  ])("status %i gives the status line and exit code", async (status, phrase, body, exitCode) => {
    const id = uniqueId(transport, `status-${status}`);
    const run = await transport.run({ config: configYaml({ url: `${server.origin}/${id}/reply?status=${status}&body=${encodeURIComponent(body)}` }) });

    expect(run.stdout.toString()).toBe(`${status} ${phrase}\n${body}`);
    expect(run.exitCode).toBe(exitCode);
  });

  test("301 redirect", async () => {
    const id = uniqueId(transport, "redirect");
    const run = await transport.run({ config: configYaml({ url: `${server.origin}/${id}/redirect` }) });

    const paths = (await server.requests(id)).map((request) => request.path);
    if (transport.followsRedirects) {
      expect(paths).toEqual([`/${id}/redirect`, `/${id}/landed`]);
      expect(run.stdout.toString()).toBe("200 OK\nlanded");
    } else {
      expect(paths).toEqual([`/${id}/redirect`]);
      expect(run.stdout.toString()).toBe("301 Moved Permanently\nmoved");
      expect(run.stderr).toContain("redirect not followed");
      expect(run.stderr).toContain(`/${id}/landed`);
    }
    expect(run.exitCode).toBe(0);
  });

  // The 100 KiB body is larger than preview2-shim's stream buffer (about 32 KiB), so the component
  // must stop writing when the connection fails instead of waiting for the buffer to drain.
  test.each([
    ["no body", "GET", ""],
    ["100 KiB body", "PUT", "x".repeat(100 * 1024)],
  ])("refused connection with %s gives a one-line reason", async (_name, method, body) => {
    const port = await unusedPort();
    const run = await transport.run({ config: configYaml({ method, url: `http://127.0.0.1:${port}/nobody`, body, request_timeout_seconds: 20 }) });

    expect(run.stdout.length).toBe(0);
    expect(errorLines(run)).toHaveLength(1);
    expect(errorLines(run)[0]).toMatch(/refused/i);
    expect(run.exitCode).toBe(1);
    // Well inside request_timeout_seconds: a refusal is reported as soon as it arrives.
    expect(run.elapsedMs).toBeLessThan(15_000);
  });

  test("server that never answers times out", async () => {
    const id = uniqueId(transport, "never");
    const { config, hostRequestTimeoutMs } = transport.oneSecondTimeout;
    const run = await transport.run({ config: config + configYaml({ url: `${server.origin}/${id}/never` }), hostRequestTimeoutMs });

    expect(await server.requests(id)).toHaveLength(1);
    expect(run.stdout.length).toBe(0);
    expect(errorLines(run)).toHaveLength(1);
    expect(errorLines(run)[0]).toMatch(/timed out|no answer within 1000 ms/);
    expect(run.exitCode).toBe(1);
    // About 1 s for the request, plus start-up on a loaded machine; far below the 30 s default.
    expect(run.elapsedMs).toBeLessThan(15_000);
  });

  test("slow answer within the timeout succeeds", async () => {
    const id = uniqueId(transport, "slow");
    const url = `${server.origin}/${id}/reply?delay=500&body=late`;
    const run = await transport.run({ config: configYaml({ url, request_timeout_seconds: 5 }), hostRequestTimeoutMs: 5000 });

    expect(run.stdout.toString()).toBe("200 OK\nlate");
    expect(run.exitCode).toBe(0);
  });

  test("mode auto picks HTTP when only url is set", async () => {
    const id = uniqueId(transport, "auto");
    const httpRun = await transport.run({ config: configYaml({ url: `${server.origin}/${id}/reply` }) });
    expect(await server.requests(id)).toHaveLength(1);
    expect(httpRun.stdout.toString()).toBe("200 OK\nok");
    expect(httpRun.exitCode).toBe(0);

    // With queue_url set as well, auto means event-pusher mode: a simulated message, no request.
    const pusherRun = await transport.run({
      config: configYaml({
        url: `${server.origin}/${id}/reply`,
        queue_url: "http://127.0.0.1:9/000000000000/events",
        simulate: "true",
        max_messages: 1,
      }),
    });
    expect(await server.requests(id)).toHaveLength(1);
    expect(Object.keys(JSON.parse(pusherRun.stdout.toString()))).toEqual(["vm_name", "icon_name", "timestamp", "color", "container_id"]);
    expect(pusherRun.exitCode).toBe(0);
  });

  test.each([
    ["invalid method", (url: string) => configYaml({ method: "FETCH", url }), /HTTP_METHOD|key method/, /FETCH/],
    ["URL without scheme", () => configYaml({ url: "127.0.0.1:8080/x" }), /key url/, /no scheme/],
    ["URL without host", () => configYaml({ url: "http:///x" }), /key url/, /empty host/],
    ["header line without colon", (url: string) => configYaml({ url, headers: "X-A 1" }), /key headers/, /"X-A 1"/],
  ])("%s is a configuration error", async (name, makeConfig, place, detail) => {
    const id = uniqueId(transport, `config-${name.replace(/\W+/g, "-")}`);
    const run = await transport.run({ config: makeConfig(`${server.origin}/${id}/reply`) });

    expect(await server.requests(id)).toHaveLength(0);
    expect(run.stdout.length).toBe(0);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toContain("configuration error");
    expect(run.stderr).toMatch(place);
    expect(run.stderr).toMatch(detail);
    expect(run.exitCode).toBe(transport.configErrorExitCode);
  });

  test("body with GET is sent with a warning", async () => {
    const id = uniqueId(transport, "get-body");
    const run = await transport.run({ config: configYaml({ method: "GET", url: `${server.origin}/${id}/reply`, body: "payload" }) });

    const [request] = await server.requests(id);
    expect(request.method).toBe("GET");
    expect(request.body.toString()).toBe("payload");
    expect(run.stderr).toMatch(/warn.*sending a body with GET/);
    expect(run.exitCode).toBe(0);
  });
});

describe("HTTP mode, no-http build", () => {
  const expectBuildAdvice = (stderr: string): void => {
    const errors = lines(stderr).filter((line) => line.includes(" error: "));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("cannot make HTTP requests");
    expect(errors[0]).toContain("bin/event-pusher.wasm");
    expect(errors[0]).toContain("bin/main.wasm");
  };

  test("on Bacalhau without networking exits 2", async () => {
    const id = "nohttp-bacalhau";
    const result = await runBacalhauJob({ module: NOHTTP_MODULE, env: { HTTP_URL: `${server.origin}/${id}/reply` }, network: "none" });

    expect(result.startError).toBeUndefined();
    expect(result.stdout.length).toBe(0);
    expectBuildAdvice(result.stderr.toString());
    expect(await server.requests(id)).toHaveLength(0);
    expect(result.exitCode).toBe(2);
  });

  test("under node:wasi with mode http exits 2", async () => {
    const id = "nohttp-node-wasi";
    const result = await runPreview1(NOHTTP_MODULE, {
      args: ["config.yaml"],
      files: { "config.yaml": configYaml({ mode: "http", url: `${server.origin}/${id}/reply` }) },
    });

    expect(result.stdout).toBe("");
    expectBuildAdvice(result.stderr);
    expect(await server.requests(id)).toHaveLength(0);
    expect(result.exitCode).toBe(2);
  });
});
