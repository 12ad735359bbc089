// Tests for the Bacalhau WASM executor emulation in host/bacalhau/, run against a small WASI
// fixture (tests/wasm/bacalhau-fixture.ts) and a test HTTP server in a child process. The server
// cannot run in this process: the job thread blocks in Atomics.wait during a request, and the
// HTTP worker must reach a server whose event loop is free.
import asc from "assemblyscript/asc";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { matchesDomainPattern, parseGoUrl } from "../host/bacalhau/go-net.ts";
import { type BacalhauJobOptions, type BacalhauJobResult, runBacalhauJob } from "../host/bacalhau/run-job.ts";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const fixtureSource = join(projectRoot, "tests", "wasm", "bacalhau-fixture.ts");
const buildDir = join(projectRoot, "build", "test");
const fixtureWithHttp = join(buildDir, "bacalhau-fixture.wasm");
const fixtureWithoutHttp = join(buildDir, "bacalhau-fixture-nohttp.wasm");

async function buildFixture(outFile: string, extraFlags: string[]): Promise<void> {
  try {
    if (statSync(outFile).mtimeMs >= statSync(fixtureSource).mtimeMs) return;
  } catch {
    // Not built yet.
  }
  const { error, stderr } = await asc.main([
    fixtureSource,
    "--config", relative(process.cwd(), join(projectRoot, "node_modules/@assemblyscript/wasi-shim/asconfig.json")),
    "--outFile", outFile,
    "--optimizeLevel", "1",
    ...extraFlags,
  ]);
  if (error) throw new Error(`asc failed on the fixture:\n${stderr.toString()}`);
}

// The test server: routes under /echo, /status/N, /never, /stall-body, /big/N, /redirect/N and
// /gzip, and /log, which returns every request it has seen. It exits when its stdin closes.
const SERVER_SOURCE = String.raw`
import http from "node:http";
import { gzipSync } from "node:zlib";
const log = [];
const sockets = new Set();
const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const url = new URL(request.url, "http://test");
    const body = Buffer.concat(chunks).toString();
    if (url.pathname === "/log") return response.end(JSON.stringify(log));
    log.push({ method: request.method, path: url.pathname, token: url.searchParams.get("t"), headers: request.rawHeaders, body });
    const [, route, argument] = url.pathname.split("/");
    if (route === "echo") {
      response.setHeader("Content-Type", "application/json");
      response.setHeader("X-Multi", ["one", "two"]);
      return response.end(JSON.stringify({ method: request.method, body }));
    }
    if (route === "status") {
      response.statusCode = Number(argument);
      return response.end("status " + argument);
    }
    if (route === "never") return;
    if (route === "stall-body") {
      response.writeHead(200, { "Content-Length": "100" });
      return response.write("partial");
    }
    if (route === "big") {
      response.setHeader("Content-Length", argument);
      return response.end("0123456789".repeat(Math.ceil(Number(argument) / 10)).slice(0, Number(argument)));
    }
    if (route === "redirect") {
      const remaining = Number(argument);
      if (remaining === 0) return response.end(JSON.stringify({ arrived: true, method: request.method, body }));
      response.statusCode = Number(url.searchParams.get("code") ?? 302);
      response.setHeader("Location", "/redirect/" + (remaining - 1) + url.search);
      return response.end();
    }
    if (route === "gzip") {
      response.setHeader("Content-Encoding", "gzip");
      return response.end(gzipSync("compressed hello"));
    }
    response.statusCode = 500;
    response.end("unknown route");
  });
});
server.on("connection", (socket) => {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
});
server.listen(0, "127.0.0.1", () => process.stdout.write(JSON.stringify({ port: server.address().port }) + "\n"));
process.stdin.on("end", () => {
  for (const socket of sockets) socket.destroy();
  server.close();
  process.exit(0);
});
process.stdin.resume();
`;

let server: ChildProcess;
let baseUrl = "";
let tokenCounter = 0;

async function startServer(): Promise<void> {
  server = spawn(process.execPath, ["--input-type=module", "-e", SERVER_SOURCE], { stdio: ["pipe", "pipe", "inherit"] });
  const line = await new Promise<string>((resolveLine, reject) => {
    const timer = setTimeout(() => reject(new Error("the test server did not start within 10 s")), 10_000);
    server.stdout!.once("data", (chunk: Buffer) => {
      clearTimeout(timer);
      resolveLine(chunk.toString());
    });
  });
  baseUrl = `http://127.0.0.1:${JSON.parse(line).port}`;
}

interface LoggedRequest {
  method: string;
  path: string;
  token: string | null;
  headers: string[];
  body: string;
}

/** Returns the requests the server received that carried `token` in their query string. */
async function requestsWithToken(token: string): Promise<LoggedRequest[]> {
  const all = (await (await fetch(`${baseUrl}/log`)).json()) as LoggedRequest[];
  return all.filter((entry) => entry.token === token);
}

/** Returns a fresh token and a URL on the test server carrying it. */
function serverUrl(path: string): { url: string; token: string } {
  const token = `t${++tokenCounter}`;
  const separator = path.includes("?") ? "&" : "?";
  return { url: `${baseUrl}${path}${separator}t=${token}`, token };
}

function headerValues(rawHeaders: string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === name.toLowerCase()) values.push(rawHeaders[i + 1]);
  }
  return values;
}

interface HttpCallOutput {
  result: number;
  status: string;
  headersLength: number;
  bodyLength: number;
  elapsedMs: number;
  headers: string;
  body: string;
}

/** Parses every `http` step printed by the fixture, keyed by step name ("" for a plain `http`). */
function parseHttpCalls(stdout: string): Map<string, HttpCallOutput> {
  const calls = new Map<string, HttpCallOutput>();
  const pattern =
    /^http(?::(\S+))? result=(\d+) status=(\S+) headers_len=(\d+) body_len=(\d+) elapsed_ms=(\d+)\n--headers--\n([\s\S]*?)\n--body--\n([\s\S]*?)\n--end--$/gm;
  for (const match of stdout.matchAll(pattern)) {
    calls.set(match[1] ?? "", {
      result: Number(match[2]),
      status: match[3],
      headersLength: Number(match[4]),
      bodyLength: Number(match[5]),
      elapsedMs: Number(match[6]),
      headers: match[7],
      body: match[8],
    });
  }
  return calls;
}

const localHttp: Partial<BacalhauJobOptions> = { network: "http", domains: ["127.0.0.1"] };

/** Runs the fixture with one http step configured by `env` and returns the printed call. */
async function callOnce(env: Record<string, string>, options: Partial<BacalhauJobOptions> = localHttp) {
  const job = await runBacalhauJob({ module: fixtureWithHttp, parameters: ["http", "exit:0"], env, ...options });
  expect(job.startError).toBeUndefined();
  const call = parseHttpCalls(job.stdout.toString()).get("");
  if (!call) throw new Error(`the fixture printed no http call; stdout:\n${job.stdout}\nstderr:\n${job.stderr}`);
  return { call, job };
}

/** Builds a minimal module that imports one function of `importModule` and exports memory and _start. */
function moduleImporting(importModule: string, importName: string, paramCount: number, resultCount: number): Uint8Array {
  const I32 = 0x7f;
  const name = (text: string): number[] => [text.length, ...Buffer.from(text)];
  const section = (id: number, content: number[]): number[] => [id, content.length, ...content];
  const types = [2, 0x60, paramCount, ...Array(paramCount).fill(I32), resultCount, ...Array(resultCount).fill(I32), 0x60, 0, 0];
  const imports = [1, ...name(importModule), ...name(importName), 0x00, 0];
  const functions = [1, 1];
  const memory = [1, 0x00, 1];
  const exports = [2, ...name("memory"), 0x02, 0, ...name("_start"), 0x00, 1];
  const code = [1, 2, 0, 0x0b];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, types), ...section(2, imports), ...section(3, functions),
    ...section(5, memory), ...section(7, exports), ...section(10, code),
  ]);
}

let scratchDir = "";

beforeAll(async () => {
  mkdirSync(buildDir, { recursive: true });
  scratchDir = mkdtempSync(join(tmpdir(), "bacalhau-host-test-"));
  const serverStarted = startServer();
  // asc keeps global state, so the two builds run one after the other.
  await buildFixture(fixtureWithHttp, []);
  await buildFixture(fixtureWithoutHttp, ["--use", "WITHOUT_HTTP=1"]);
  await serverStarted;
});

afterAll(() => {
  server?.stdin?.end();
  if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
});

describe("runBacalhauJob", () => {
  test("passes argv, env, inputs and outputs", async () => {
    const configFile = join(scratchDir, "config.yaml");
    writeFileSync(configFile, "queue: events\n");
    const dataDir = join(scratchDir, "data");
    mkdirSync(join(dataDir, "nested"), { recursive: true });
    writeFileSync(join(dataDir, "nested", "b.txt"), "from a directory");
    const outputDir = join(scratchDir, "collected");

    const job = await runBacalhauJob({
      module: fixtureWithoutHttp,
      parameters: ["args", "env", "cat:/app/config.yaml", "cat:/data/nested/b.txt", "write:/outputs/result.txt=done", "exit:0"],
      env: { ZED: "last", ALPHA: "first", MIXED: "a=b" },
      inputs: [
        { source: configFile, target: "/app/config.yaml" },
        { source: dataDir, target: "/data" },
      ],
      outputDir,
    });
    const stdout = job.stdout.toString();

    expect(job.startError).toBeUndefined();
    expect(job.exitCode).toBe(0);
    expect(stdout).toContain("argc=7\nargv[0]=<>\nargv[1]=<args>\n");
    expect(stdout).toContain("env ALPHA=first\nenv MIXED=a=b\nenv ZED=last\n");
    expect(stdout).toContain("file /app/config.yaml:\nqueue: events\n");
    expect(stdout).toContain("file /data/nested/b.txt:\nfrom a directory");
    expect(readFileSync(join(outputDir, "result.txt"), "utf8")).toBe("done");
    expect(job.stderr.toString()).toBe("");
  });

  test("empty environment is readable", async () => {
    const job = await runBacalhauJob({ module: fixtureWithoutHttp, parameters: ["env", "exit:5"] });

    expect(job.exitCode).toBe(5);
    expect(job.stdout.toString()).toBe("");
    expect(job.stderr.toString()).toBe("");
  });

  test("exit codes follow the executor", async () => {
    const cases: Array<[string[], number]> = [
      [["exit:0"], 0],
      [["exit:2"], 2],
      [["trap"], 1],
      [["stderr:no proc_exit"], -1],
      [["exit:4294967295"], 4294967295],
    ];
    const jobs = await Promise.all(
      cases.map(([parameters]) => runBacalhauJob({ module: fixtureWithoutHttp, parameters })),
    );

    jobs.forEach((job, index) => {
      expect(job.exitCode, `parameters ${cases[index][0].join(" ")}`).toBe(cases[index][1]);
    });
    expect(jobs[2].stderr.toString()).toMatch(/^execution ended with exit code 1: wasm error: unreachable\n/);
    expect(jobs[3].stderr.toString()).toBe("no proc_exit\n");
  });

  test("sleep uses a real clock", async () => {
    const job = await runBacalhauJob({ module: fixtureWithoutHttp, parameters: ["sleep:200", "exit:0"] });

    const slept = Number(/slept=(\d+)ms/.exec(job.stdout.toString())?.[1]);
    // The fixture truncates both clock readings to whole milliseconds, so 200 ms can read as 199.
    expect(slept).toBeGreaterThanOrEqual(195);
    expect(slept).toBeLessThan(2_000);
  });

  test("http import without networking fails to start", async () => {
    const job = await runBacalhauJob({ module: fixtureWithHttp, parameters: ["args", "exit:0"] });

    expect(job.exitCode).toBe(1);
    expect(job.stdout.toString()).toBe("");
    expect(job.startError).toContain("imports wasi:http/requests.http_request");
    expect(job.startError).toContain("--network http --domain HOST");
  });

  test("imports the executor lacks fail to start", async () => {
    const wrongSignature = join(scratchDir, "wrong-signature.wasm");
    writeFileSync(wrongSignature, moduleImporting("wasi:http/requests", "http_request", 1, 1));
    const oldFunction = join(scratchDir, "old-function.wasm");
    writeFileSync(oldFunction, moduleImporting("wasi:http/requests", "http_get_response_size", 5, 2));
    const unknownModule = join(scratchDir, "unknown-module.wasm");
    writeFileSync(unknownModule, moduleImporting("env", "abort", 4, 0));

    const [signature, old, unknown] = await Promise.all(
      [wrongSignature, oldFunction, unknownModule].map((module) => runBacalhauJob({ module, network: "full" })),
    );

    expect(signature.exitCode).toBe(1);
    expect(signature.startError).toContain("signature mismatch");
    expect(old.startError).toContain('"http_get_response_size" is not exported in module "wasi:http/requests"');
    expect(unknown.startError).toContain("module[env] not instantiated");
  });

  test("missing input source fails to start", async () => {
    const job = await runBacalhauJob({
      module: fixtureWithoutHttp,
      inputs: [{ source: join(scratchDir, "absent.yaml"), target: "/app/config.yaml" }],
    });

    expect(job.exitCode).toBe(1);
    expect(job.startError).toContain("input source not found");
  });

  test("job timeout stops a sleeping module", async () => {
    const started = Date.now();
    // The sleep outlasts the timeout, and the worker left sleeping delays this process's exit.
    const job = await runBacalhauJob({ module: fixtureWithoutHttp, parameters: ["sleep:6000"], timeoutMs: 1_000 });

    expect(job.exitCode).toBe(1);
    expect(job.stderr.toString()).toContain("execution timed out after 1000 ms");
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe("http_request", () => {
  test("GET sends parsed headers", async () => {
    const { url, token } = serverUrl("/echo");
    const { call } = await callOnce({
      HTTP_URL: url,
      HTTP_HEADERS: "X-One: 1\n\n  x-two :  two  \nno colon here\nX-One: again",
    });
    const [request] = await requestsWithToken(token);

    expect(call.result).toBe(0);
    expect(call.status).toBe("200");
    expect(request.method).toBe("GET");
    expect(headerValues(request.headers, "X-One")).toEqual(["1", "again"]);
    expect(headerValues(request.headers, "X-Two")).toEqual(["two"]);
    expect(request.headers.join("\n")).not.toContain("no colon");
    expect(headerValues(request.headers, "User-Agent")).toEqual(["Go-http-client/1.1"]);
    expect(headerValues(request.headers, "Accept-Encoding")).toEqual(["gzip"]);
  });

  test("response status, headers and body come back", async () => {
    const { url } = serverUrl("/echo");
    const { call } = await callOnce({ HTTP_URL: url });
    const headerLines = call.headers.split("\n");

    expect(call.result).toBe(0);
    expect(headerLines).toContain("Content-Type: application/json");
    expect(headerLines).toContain("X-Multi: one");
    expect(headerLines).toContain("X-Multi: two");
    expect(headerLines.some((line) => line.startsWith("Transfer-Encoding"))).toBe(false);
    expect(call.headersLength).toBe(Buffer.byteLength(call.headers));
    expect(JSON.parse(call.body)).toEqual({ method: "GET", body: "" });
    expect(call.bodyLength).toBe(Buffer.byteLength(call.body));
  });

  test("POST body arrives intact", async () => {
    const { url, token } = serverUrl("/echo");
    const body = '{"event":"héllo"}';
    const { call } = await callOnce({
      HTTP_URL: url,
      HTTP_METHOD: "1",
      HTTP_BODY: body,
      HTTP_HEADERS: "Content-Type: application/json",
    });
    const [request] = await requestsWithToken(token);

    expect(call.result).toBe(0);
    expect(request.method).toBe("POST");
    expect(request.body).toBe(body);
    expect(headerValues(request.headers, "Content-Length")).toEqual([String(Buffer.byteLength(body))]);
    expect(headerValues(request.headers, "Content-Type")).toEqual(["application/json"]);
  });

  test("method codes map to methods", async () => {
    const { url, token } = serverUrl("/echo");
    const codes = ["0", "1", "2", "3", "4", "5", "6", "99"];
    const env: Record<string, string> = { HTTP_URL: url };
    for (const code of codes) env[`HTTP_METHOD_m${code}`] = code;

    const job = await runBacalhauJob({
      module: fixtureWithHttp,
      parameters: [...codes.map((code) => `http:m${code}`), "exit:0"],
      env,
      ...localHttp,
    });
    const calls = parseHttpCalls(job.stdout.toString());
    const requests = await requestsWithToken(token);

    expect([...calls.values()].map((call) => call.result)).toEqual(codes.map(() => 0));
    expect(requests.map((request) => request.method)).toEqual(["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "GET"]);
  });

  test("404 is result 0 with status", async () => {
    const { url } = serverUrl("/status/404");
    const { call } = await callOnce({ HTTP_URL: url });

    expect(call.result).toBe(0);
    expect(call.status).toBe("404");
    expect(call.body).toBe("status 404");
  });

  test("gzip response is decoded", async () => {
    const { url } = serverUrl("/gzip");
    const { call } = await callOnce({ HTTP_URL: url });

    expect(call.result).toBe(0);
    expect(call.body).toBe("compressed hello");
    expect(call.headers).not.toContain("Content-Encoding");
  });

  test("host outside allowed domains is result 4", async () => {
    const { url, token } = serverUrl("/echo");
    const { call } = await callOnce({ HTTP_URL: url }, { network: "http", domains: ["example.com", "*.example.com"] });

    expect(call.result).toBe(4);
    expect(await requestsWithToken(token)).toEqual([]);
  });

  test("wildcard and port-bearing domains match", async () => {
    const { url } = serverUrl("/echo");
    const [wildcard, withPort, full] = await Promise.all([
      callOnce({ HTTP_URL: url }, { network: "http", domains: ["*.0.0.1"] }),
      callOnce({ HTTP_URL: url }, { network: "http", domains: ["  127.0.0.1:1 "] }),
      callOnce({ HTTP_URL: url }, { network: "full" }),
    ]);

    expect(wildcard.call.result).toBe(0);
    expect(withPort.call.result).toBe(0);
    expect(full.call.result).toBe(0);
  });

  test("unanswered request times out with 3", async () => {
    const { url } = serverUrl("/never");
    const { call } = await callOnce({ HTTP_URL: url }, { ...localHttp, requestTimeoutMs: 500 });

    expect(call.result).toBe(3);
    expect(call.elapsedMs).toBeGreaterThanOrEqual(450);
    expect(call.elapsedMs).toBeLessThan(3_000);
  });

  test("body stalled past timeout is 2", async () => {
    const { url } = serverUrl("/stall-body");
    const { call } = await callOnce({ HTTP_URL: url }, { ...localHttp, requestTimeoutMs: 500 });

    expect(call.result).toBe(2);
  });

  test("refused connection is 2", async () => {
    const { call } = await callOnce({ HTTP_URL: "http://127.0.0.1:1/" });

    expect(call.result).toBe(2);
  });

  test("oversized response truncates by default", async () => {
    const { url } = serverUrl("/big/5000");
    const { call } = await callOnce({ HTTP_URL: url, HTTP_BODY_CAPACITY: "1000", HTTP_HEADERS_CAPACITY: "10" });

    expect(call.result).toBe(0);
    expect(call.bodyLength).toBe(1000);
    expect(call.body).toBe("0123456789".repeat(100));
    expect(call.headersLength).toBe(10);
    expect(call.status).toBe("200");
  });

  test("oversized response is 5 in error mode", async () => {
    const { url } = serverUrl("/big/5000");
    const { call } = await callOnce({ HTTP_URL: url, HTTP_BODY_CAPACITY: "1000" }, { ...localHttp, tooLarge: "error" });

    expect(call.result).toBe(5);
    expect(call.status).toBe("unset");
    expect(call.bodyLength).toBe(1000);
  });

  test("response limit cuts the body silently", async () => {
    const { url } = serverUrl("/big/5000");
    const { call } = await callOnce({ HTTP_URL: url }, { ...localHttp, responseLimitBytes: 100 });

    expect(call.result).toBe(0);
    expect(call.bodyLength).toBe(100);
  });

  test("error mode checks size with HEAD first", async () => {
    const { url, token } = serverUrl("/big/5000");
    const { call } = await callOnce({ HTTP_URL: url }, { ...localHttp, tooLarge: "error", responseLimitBytes: 100 });
    const requests = await requestsWithToken(token);

    expect(call.result).toBe(5);
    expect(requests.map((request) => request.method)).toEqual(["HEAD"]);
  });

  test("redirects followed up to 10", async () => {
    const three = serverUrl("/redirect/3");
    const ten = serverUrl("/redirect/10");
    const eleven = serverUrl("/redirect/11");
    const job = await runBacalhauJob({
      module: fixtureWithHttp,
      parameters: ["http:three", "http:ten", "http:eleven", "exit:0"],
      env: { HTTP_URL_three: three.url, HTTP_URL_ten: ten.url, HTTP_URL_eleven: eleven.url },
      ...localHttp,
    });
    const calls = parseHttpCalls(job.stdout.toString());

    expect(calls.get("three")?.result).toBe(0);
    expect(JSON.parse(calls.get("three")!.body)).toMatchObject({ arrived: true });
    const hops = await requestsWithToken(three.token);
    expect(hops.map((request) => request.path)).toEqual(["/redirect/3", "/redirect/2", "/redirect/1", "/redirect/0"]);
    expect(headerValues(hops[1].headers, "Referer")).toEqual([three.url]);
    expect(calls.get("ten")?.result).toBe(0);
    expect(calls.get("eleven")?.result).toBe(2);
    expect(await requestsWithToken(eleven.token)).toHaveLength(11);
  });

  test("redirect codes treat POST like Go", async () => {
    const found = serverUrl("/redirect/1?code=302");
    const temporary = serverUrl("/redirect/1?code=307");
    const job = await runBacalhauJob({
      module: fixtureWithHttp,
      parameters: ["http:found", "http:temporary", "exit:0"],
      env: { HTTP_METHOD: "1", HTTP_BODY: "payload", HTTP_URL_found: found.url, HTTP_URL_temporary: temporary.url },
      ...localHttp,
    });
    const calls = parseHttpCalls(job.stdout.toString());

    expect(JSON.parse(calls.get("found")!.body)).toEqual({ arrived: true, method: "GET", body: "" });
    expect(JSON.parse(calls.get("temporary")!.body)).toEqual({ arrived: true, method: "POST", body: "payload" });
  });

  test("bad pointers give 1, 6 or 7", async () => {
    const { url, token } = serverUrl("/big/100");
    const faults: Record<string, number> = {
      "no-response-body-buffer": 6,
      "url-out-of-bounds": 1,
      "body-out-of-bounds": 6,
      "response-body-out-of-bounds": 7,
      "body-length-pointer-out-of-bounds": 7,
      "headers-out-of-bounds": 0,
      "no-status": 0,
    };
    const env: Record<string, string> = { HTTP_URL: url, HTTP_METHOD: "1", HTTP_BODY: "x" };
    for (const fault of Object.keys(faults)) env[`HTTP_FAULT_${fault}`] = fault;

    const job = await runBacalhauJob({
      module: fixtureWithHttp,
      parameters: [...Object.keys(faults).map((fault) => `http:${fault}`), "exit:0"],
      env,
      ...localHttp,
    });
    const calls = parseHttpCalls(job.stdout.toString());
    const requests = await requestsWithToken(token);

    for (const [fault, expected] of Object.entries(faults)) {
      expect(calls.get(fault)?.result, fault).toBe(expected);
    }
    expect(calls.get("no-status")?.status).toBe("unset");
    expect(calls.get("no-status")?.bodyLength).toBe(100);
    // Only the calls whose pointers fail after the exchange reach the server.
    expect(requests).toHaveLength(4);
  });

  test("invalid URLs are 1, unusable ones 2", async () => {
    const urls: Record<string, [string, number]> = {
      bracket: ["http://[::1", 1],
      space: ["http://a b/", 1],
      noscheme: ["::x", 1],
      escape: ["http://127.0.0.1/%zz", 1],
      ftp: ["ftp://127.0.0.1/", 2],
      relative: ["127.0.0.1/x", 2],
    };
    const env: Record<string, string> = {};
    for (const [name, [url]] of Object.entries(urls)) env[`HTTP_URL_${name}`] = url;

    const job = await runBacalhauJob({
      module: fixtureWithHttp,
      parameters: [...Object.keys(urls).map((name) => `http:${name}`), "exit:0"],
      env,
      network: "full",
    });
    const calls = parseHttpCalls(job.stdout.toString());

    for (const [name, [url, expected]] of Object.entries(urls)) {
      expect(calls.get(name)?.result, url).toBe(expected);
    }
  });
});

describe("Go URL and domain rules", () => {
  test("parseGoUrl keeps Go's host", () => {
    expect(parseGoUrl("https://user:pw@API.example.com:8443/a?b#c")).toEqual({ scheme: "https", host: "API.example.com:8443" });
    expect(parseGoUrl("example.com/path")).toEqual({ scheme: "", host: "" });
    expect(parseGoUrl("mailto:someone@example.com")).toEqual({ scheme: "mailto", host: "" });
    expect(parseGoUrl("http://example.com:80a/")).toHaveProperty("error");
    expect(parseGoUrl("http://exa%41mple.com/")).toHaveProperty("error");
    expect(parseGoUrl("http://ex\tample.com/")).toHaveProperty("error");
  });

  test("domain patterns match like the executor", () => {
    const cases: Array<[string, string, boolean]> = [
      ["*", "anything.example:81", true],
      ["api.example.com", "api.example.com:443", true],
      ["api.example.com", "API.example.com", false],
      ["*.example.com", "API.example.com", true],
      ["*.example.com", "example.com", false],
      ["*.example.com", "a.b.example.com:8080", true],
      ["api.*", "api.internal", true],
      ["api.*.org", "api.mirror.org", true],
      ["api.*.org", "www.mirror.org", false],
      ["example.com", "badexample.com", false],
    ];
    for (const [pattern, host, expected] of cases) {
      expect(matchesDomainPattern(pattern, host), `${pattern} vs ${host}`).toBe(expected);
    }
  });
});

describe("cli.ts", () => {
  const runCli = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolveRun) => {
      const child = spawn(process.execPath, ["--import", "tsx", join(projectRoot, "host/bacalhau/cli.ts"), ...args], {
        cwd: projectRoot,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      const timer = setTimeout(() => child.kill(), 30_000);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolveRun({ code, stdout, stderr });
      });
    });

  test("runs a job end to end", async () => {
    const input = join(scratchDir, "cli-input.txt");
    writeFileSync(input, "cli input");
    const { url, token } = serverUrl("/echo");

    const result = await runCli([
      "--network", "http", "--domain", "127.0.0.1",
      "-e", `HTTP_URL=${url}`, "-e", "GREETING=hi",
      "-i", `${input}:/app/input.txt`,
      fixtureWithHttp, "args", "env", "cat:/app/input.txt", "http", "stderr:to stderr", "exit:3",
    ]);

    expect(result.code).toBe(3);
    expect(result.stdout).toContain("argv[0]=<>\nargv[1]=<args>\n");
    expect(result.stdout).toContain("env GREETING=hi\n");
    expect(result.stdout).toContain("file /app/input.txt:\ncli input");
    expect(parseHttpCalls(result.stdout).get("")?.result).toBe(0);
    expect(await requestsWithToken(token)).toHaveLength(1);
    expect(result.stderr).toBe("to stderr\n");
  });

  test("bad flag is a usage error", async () => {
    const result = await runCli(["--network", "wifi", fixtureWithHttp]);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe('bacalhau: invalid --network "wifi": expected none, http or full (run with --help for usage)\n');
    expect(result.stdout).toBe("");
  });
});
