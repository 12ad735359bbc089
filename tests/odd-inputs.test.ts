// Odd but plausible inputs, fed as a user would: config files and variables with unusual bytes,
// numbers and URLs, and SQS or HTTP servers that respond strangely. Each case checks the promise:
// a clear one-line error with a non-zero exit code, no trap or stack dump, a bounded run time,
// and no secret on stdout or stderr. The servers run on 127.0.0.1 in child processes, because
// the module blocks its thread while the host performs a request.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

import { runBacalhauJob } from "../host/bacalhau/run-job.ts";
import { BACALHAU_MODULE, makeWorkDir, NOHTTP_MODULE, runComponent, runPreview1 } from "./support/run-module.ts";

// Room for one rebuild of bin/ on top of the runs themselves, as in the HTTP-mode tests.
vi.setConfig({ testTimeout: 150_000 });

/** Text that a trap, an abort or a host's stack dump would put on stderr. */
const CRASH_TEXT = /internal error|RuntimeError|wasm error|unreachable|^abort: |^\s+at |trapped/im;
const RUN_TIMEOUT_MS = 60_000;
const SECRET_KEY = "OddInputsSecretKey/abc+XYZ0123";
const SESSION_TOKEN = "OddInputsSessionToken0123456789";
const SIMULATION = "simulate: true\nmax_messages: 1\nmax_interval_seconds: 0\n";

interface Run {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line.length > 0);
}

function errorLines(run: Run): string[] {
  return lines(run.stderr).filter((line) => line.includes(" error: "));
}

/** Checks what every run must keep: no crash text, no secret, and a finished process. */
function expectNoCrashOrSecret(run: Run): void {
  expect(run.stderr).not.toMatch(CRASH_TEXT);
  for (const secret of [SECRET_KEY, SESSION_TOKEN]) {
    expect(run.stdout + run.stderr).not.toContain(secret);
  }
  expect(run.exitCode).not.toBeNull();
}

/** Runs the no-http build on `config` as config.yaml, the first argument. */
async function simulate(config: string | Buffer, env: Record<string, string> = {}): Promise<Run> {
  const started = Date.now();
  const result = await runPreview1(NOHTTP_MODULE, { args: ["config.yaml"], files: { "config.yaml": config }, env, timeoutMs: RUN_TIMEOUT_MS });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, elapsedMs: Date.now() - started };
}

/** Runs the no-http build with no config file, so the environment is the whole configuration. */
async function simulateFromEnvironment(env: Record<string, string>): Promise<Run> {
  const started = Date.now();
  const result = await runPreview1(NOHTTP_MODULE, { env, timeoutMs: RUN_TIMEOUT_MS });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, elapsedMs: Date.now() - started };
}

interface Transport {
  name: string;
  /** Exit code of a configuration error: the component can only report failure, which is 1. */
  configErrorExitCode: number;
  run(config: string): Promise<Run>;
}

const component: Transport = {
  name: "component",
  configErrorExitCode: 1,
  async run(config) {
    const started = Date.now();
    const result = await runComponent({ args: ["config.yaml"], files: { "config.yaml": config }, timeoutMs: RUN_TIMEOUT_MS });
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, elapsedMs: Date.now() - started };
  },
};

const bacalhau: Transport = {
  name: "main.wasm",
  configErrorExitCode: 2,
  async run(config) {
    const source = join(mkdtempSync(join(tmpdir(), "odd-inputs-")), "config.yaml");
    writeFileSync(source, config);
    const started = Date.now();
    const result = await runBacalhauJob({
      module: BACALHAU_MODULE,
      inputs: [{ source, target: "/app/config.yaml" }],
      network: "http",
      domains: ["127.0.0.1"],
      requestTimeoutMs: 3000,
      timeoutMs: RUN_TIMEOUT_MS,
    });
    const stderr = result.stderr.toString("utf8") + (result.startError ? `start error: ${result.startError}\n` : "");
    return { exitCode: result.exitCode, stdout: result.stdout.toString("utf8"), stderr, elapsedMs: Date.now() - started };
  },
};

describe("config file with odd bytes", () => {
  test("Latin-1 byte names its line", async () => {
    // A file saved as Latin-1: "café" ends in the single byte 0xE9, which once swallowed the
    // line break after it and turned the next setting into part of vm_name.
    const run = await simulate(Buffer.from(`${SIMULATION}vm_name: caf\xe9\nrandom_off: true\n`, "latin1"));

    const offset = Buffer.byteLength(`${SIMULATION}vm_name: caf`);
    expect(errorLines(run)).toEqual([`event-pusher error: configuration error: config.yaml line 4: invalid UTF-8 byte 0xE9 at byte offset ${offset}: save the file as UTF-8`]);
    expect(run.stdout).toBe("");
    expect(run.exitCode).toBe(2);
    expectNoCrashOrSecret(run);
  });

  test.each([
    ["overlong slash C0 AF", [0xc0, 0xaf]],
    ["encoded surrogate ED A0 80", [0xed, 0xa0, 0x80]],
    ["lone continuation byte 80", [0x80]],
    ["byte FF", [0xff]],
  ])("invalid UTF-8 %s is rejected", async (_name, bytes) => {
    const run = await simulate(Buffer.concat([Buffer.from(`${SIMULATION}vm_name: a`), Buffer.from(bytes), Buffer.from("b\n")]));

    expect(errorLines(run)).toHaveLength(1);
    expect(run.stderr).toContain("config.yaml line 4: invalid UTF-8 byte");
    expect(run.stdout).toBe("");
    expect(run.exitCode).toBe(2);
    expectNoCrashOrSecret(run);
  });

  test("sequence cut off at the end is rejected", async () => {
    const run = await simulate(Buffer.concat([Buffer.from(`${SIMULATION}vm_name: a`), Buffer.from([0xc3])]));

    expect(run.stderr).toContain("config.yaml line 4: invalid UTF-8 byte 0xC3");
    expect(run.exitCode).toBe(2);
  });

  test("valid multi-byte text is kept", async () => {
    const run = await simulate(`${SIMULATION}vm_name: "édge-🚀-日本"\n`);

    expect(JSON.parse(lines(run.stdout)[0]).vm_name).toBe("édge-🚀-日本");
    expect(run.exitCode).toBe(0);
  });

  test("NUL byte names its line", async () => {
    const run = await simulate(Buffer.concat([Buffer.from(`${SIMULATION}vm_name: a`), Buffer.from([0]), Buffer.from("b\n")]));

    expect(errorLines(run)).toHaveLength(1);
    expect(run.stderr).toContain("config.yaml line 4: invalid control character U+0000");
    expect(run.exitCode).toBe(2);
    expectNoCrashOrSecret(run);
  });

  test("5 MiB of comments is read", async () => {
    // The component, because Node 20.20.2's node:wasi can segfault at proc_exit once a preview1
    // module that called fd_write has grown its memory to about 40 MiB, as this file makes it do.
    const comments = "# a comment line, padded to about sixty bytes ...............\n".repeat(86_000);
    const run = await component.run(`${SIMULATION}${comments}`);

    expect(lines(run.stdout)).toHaveLength(1);
    expect(run.exitCode).toBe(0);
    expectNoCrashOrSecret(run);
  });
});

describe("config values at the edges", () => {
  test.each([
    ["100,000-character value", `vm_name: ${"x".repeat(100_000)}\n`, "key vm_name: vm_name is longer than 64 KiB"],
    ["key with unicode", "vm_nämé: edge\n", 'key vm_nämé: unknown key; did you mean "vm_name"?'],
    ["value of only spaces", "vm_name:      \n", "key vm_name: empty value"],
    ["max_messages beyond 64 bits", "max_messages: 99999999999999999999\n", 'key max_messages: "99999999999999999999" is too large'],
    ["exponent in seconds", "max_interval_seconds: 1e3\n", 'key max_interval_seconds: invalid number of seconds "1e3"'],
    ["timeout below a millisecond", "request_timeout_seconds: 0.0001\n", "key request_timeout_seconds: request_timeout_seconds 0.0001 is shorter than 1 ms"],
    ["unquoted colour", "color: #FF5500\n", "key color: empty value"],
    ["queue URL with a space", 'queue_url: "http://127.0.0.1:9/000000000000/my queue"\n', "URL contains a space"],
    ["IPv6 host never closed", 'queue_url: "http://[::1:9/000000000000/q"\n', "never closes it"],
    ["port 0", 'queue_url: "http://127.0.0.1:0/000000000000/q"\n', 'URL port "0" is invalid'],
    ["port 70000", 'queue_url: "http://127.0.0.1:70000/000000000000/q"\n', 'URL port "70000" is invalid'],
    ["https with an empty host", 'queue_url: "https:///000000000000/q"\n', "URL has an empty host"],
  ])("%s is a one-line error", async (_name, line, expected) => {
    // Each odd line goes after the simulation settings, so a duplicate key cannot hide it.
    const config = SIMULATION.split("\n").filter((setting) => !line.startsWith(setting.split(":")[0] + ":")).join("\n") + line;
    const run = await simulate(config);

    expect(errorLines(run)).toHaveLength(1);
    expect(run.stderr).toContain("config.yaml line ");
    expect(run.stderr).toContain(expected);
    expect(run.exitCode).toBe(2);
    expectNoCrashOrSecret(run);
  });

  test.each([
    ["max_interval_seconds: .5", "at most 0.5 s apart"],
    ["max_interval_seconds: 5.", "at most 5.0 s apart"],
    ['queue_url: "http://[::1]:9/000000000000/q"', "simulating, 1 message"],
    ['queue_url: "http://127.0.0.1:9/000000000000/.fifo"', "simulating, 1 message"],
    ['queue_url: "http://127.0.0.1:9/000000000000/a:b@c"', "simulating, 1 message"],
  ])("%s is accepted", async (line, expected) => {
    const config = SIMULATION.replace("max_interval_seconds: 0\n", "") + line + "\n";
    const run = await simulate(config);

    expect(run.stderr).toContain(expected);
    expect(lines(run.stdout)).toHaveLength(1);
    expect(run.exitCode).toBe(0);
  });

  test("user info in a URL is not echoed", async () => {
    const run = await simulate(`${SIMULATION}queue_url: "http://user:${SECRET_KEY}@127.0.0.1:9/000000000000/q"\n`);

    expect(errorLines(run)).toEqual([
      'event-pusher error: configuration error: config.yaml line 4, key queue_url: invalid URL "http://****@127.0.0.1:9/000000000000/q": URL contains user info before "@": remove it and pass credentials in a header',
    ]);
    expect(run.exitCode).toBe(2);
    expectNoCrashOrSecret(run);
  });

  test.each([["empty file", ""], ["only ---", "---\n"], ["only a byte order mark", "\ufeff"]])("%s leaves the environment in charge", async (_name, config) => {
    const run = await simulate(config, { SIMULATE: "true", MAX_MESSAGES: "1", MAX_INTERVAL_SECONDS: "0", VM_NAME: "from-env" });

    expect(JSON.parse(lines(run.stdout)[0]).vm_name).toBe("from-env");
    expect(run.exitCode).toBe(0);
  });

  test("directory as the config path", async () => {
    const cwd = makeWorkDir();
    mkdirSync(join(cwd, "settings"));
    const result = await runPreview1(NOHTTP_MODULE, { args: ["settings"], cwd, env: { SIMULATE: "true" }, timeoutMs: RUN_TIMEOUT_MS });

    expect(lines(result.stderr)).toEqual(["event-pusher error: configuration error: config file settings could not be read: it is a directory; give the path of a YAML file"]);
    expect(result.exitCode).toBe(2);
  });
});

describe("environment-only odd values", () => {
  const quick = { SIMULATE: "true", MAX_MESSAGES: "1", MAX_INTERVAL_SECONDS: "0" };

  test.each([
    ["MAX_MESSAGES", "99999999999999999999", '"99999999999999999999" is too large'],
    ["MAX_INTERVAL_SECONDS", "1e3", 'invalid number of seconds "1e3"'],
    ["REQUEST_TIMEOUT_SECONDS", "0.0001", "shorter than 1 ms"],
    ["COLOR", "   ", "empty value"],
    ["SQS_QUEUE_URL", "http://127.0.0.1:70000/0/q", 'URL port "70000" is invalid'],
    ["AWS_ENDPOINT_URL", "https://", "URL has an empty host"],
    ["HTTP_METHOD", "CONNECT", 'invalid value "CONNECT"'],
  ])("%s=%j names the variable", async (name, value, expected) => {
    const run = await simulateFromEnvironment({ ...quick, [name]: value });

    expect(errorLines(run)).toHaveLength(1);
    expect(run.stderr).toContain(`configuration error: environment variable ${name}: `);
    expect(run.stderr).toContain(expected);
    expect(run.exitCode).toBe(2);
    expectNoCrashOrSecret(run);
  });

  test("URL password in a variable is not echoed", async () => {
    const run = await simulateFromEnvironment({ ...quick, SQS_QUEUE_URL: `http://u:${SESSION_TOKEN}@127.0.0.1:9/0/q` });

    expect(run.stderr).toContain('invalid URL "http://****@127.0.0.1:9/0/q"');
    expect(run.exitCode).toBe(2);
    expectNoCrashOrSecret(run);
  });

  test.each([["MAX_INTERVAL_SECONDS", ".5"], ["MAX_INTERVAL_SECONDS", "5."], ["MAX_MESSAGES", " 1 "], ["SIMULATE", "YES"], ["LOG_LEVEL", "DEBUG"]])(
    "%s=%j is accepted",
    async (name, value) => {
      const run = await simulateFromEnvironment({ ...quick, [name]: value });

      expect(lines(run.stdout)).toHaveLength(1);
      expect(run.exitCode).toBe(0);
    },
  );
});

// A scripted SQS stand-in: the queue name (the last segment of the queue URL, in the JSON body or
// the query protocol's path) picks the response. Secrets echoed by "echo-token" must be masked.
const ODD_SQS_SERVER = String.raw`
import http from "node:http";
import { createHash } from "node:crypto";
const md5 = (text) => createHash("md5").update(text, "utf8").digest("hex");
const sockets = new Set();
const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const text = Buffer.concat(chunks).toString("utf8");
    let queueUrl = request.url, body = "";
    if ((request.headers["content-type"] ?? "").includes("json")) {
      try { const parsed = JSON.parse(text); queueUrl = parsed.QueueUrl ?? ""; body = parsed.MessageBody ?? ""; } catch {}
    } else {
      body = new URLSearchParams(text).get("MessageBody") ?? "";
    }
    const name = queueUrl.split("/").filter(Boolean).pop() ?? "";
    const sum = md5(body);
    const json = (status, text, headers = {}) => {
      response.writeHead(status, { "Content-Type": "application/x-amz-json-1.0", ...headers });
      response.end(text);
    };
    const xml = (status, text) => {
      response.writeHead(status, { "Content-Type": "text/xml" });
      response.end(text);
    };
    switch (name) {
      case "ok": return json(200, JSON.stringify({ MessageId: "m-1", MD5OfMessageBody: sum }));
      case "empty-200": response.writeHead(200); return response.end();
      case "html-200": response.writeHead(200, { "Content-Type": "text/html" }); return response.end("<html><body><h1>Welcome to nginx!</h1></body></html>");
      case "message-id-number": return json(200, '{"MD5OfMessageBody":"' + sum + '","MessageId":123}');
      case "message-id-null": return json(200, '{"MessageId":null,"MD5OfMessageBody":"' + sum + '"}');
      case "message-id-object": return json(200, '{"MessageId":{"a":[1,2]},"MD5OfMessageBody":"' + sum + '"}');
      case "md5-object": return json(200, '{"MD5OfMessageBody":{"a":1},"MessageId":"m-1"}');
      case "huge-200": return json(200, '{"Pad":"' + "x".repeat(2 * 1024 * 1024) + '","MessageId":"m-1","MD5OfMessageBody":"' + sum + '"}');
      case "truncated-200": return json(200, '{"MessageId":"m-1","MD5Of');
      case "short-content-length":
        response.socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 1000\r\n\r\n{"MessageId":"m-1"');
        setTimeout(() => response.socket.destroy(), 50);
        return;
      case "unknown-type": return json(400, JSON.stringify({ __type: "com.amazonaws.sqs#SomethingBrandNew", message: "A brand new failure" }));
      case "type-number": return json(400, '{"__type":5,"message":"x"}');
      case "message-null": return json(400, '{"__type":"com.amazonaws.sqs#InvalidParameterValue","message":null}');
      case "message-object": return json(400, '{"__type":"com.amazonaws.sqs#InvalidParameterValue","message":{"nested":true}}');
      case "multi-line-message": return json(400, JSON.stringify({ __type: "com.amazonaws.sqs#InvalidParameterValue", message: "line one\nline two\r\n\u001b[31mred" }));
      case "echo-token": return json(403, JSON.stringify({ __type: "com.amazonaws.sqs#InvalidClientTokenId", message: "token " + (request.headers["x-amz-security-token"] ?? "") + " is invalid" }));
      case "forbidden-empty": response.writeHead(403); return response.end();
      case "expired-strange-date": return json(400, JSON.stringify({ __type: "com.amazonaws.sqs#InvalidSignatureException", message: "Signature expired: 20200101T000000Z is now earlier than 20260101T000000Z" }), { Date: "Tuesday, 99-Foo-26 25:61:61 XYZ" });
      case "redirect": response.writeHead(307, { Location: "/elsewhere" }); return response.end();
      case "xml-missing": return xml(200, "<SendMessageResponse><SendMessageResult></SendMessageResult></SendMessageResponse>");
      case "xml-unclosed": return xml(200, "<SendMessageResponse><SendMessageResult><MessageId>m-1");
      case "xml-multi-line-message": return xml(400, "<ErrorResponse><Error><Code>InvalidParameterValue</Code><Message>one\ntwo</Message></Error></ErrorResponse>");
      default: return json(400, JSON.stringify({ __type: "com.amazonaws.sqs#QueueDoesNotExist", message: "no scenario " + name }));
    }
  });
});
server.on("connection", (socket) => { sockets.add(socket); socket.on("close", () => sockets.delete(socket)); });
server.listen(0, "127.0.0.1", () => process.stdout.write(JSON.stringify({ port: server.address().port }) + "\n"));
process.stdin.on("end", () => { for (const socket of sockets) socket.destroy(); server.close(); process.exit(0); });
process.stdin.resume();
`;

// Raw HTTP responses for HTTP mode, picked by the request path.
const ODD_HTTP_SERVER = String.raw`
import net from "node:net";
const sockets = new Set();
const server = net.createServer((socket) => {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
  socket.on("error", () => {});
  let head = "";
  socket.on("data", (chunk) => {
    if (head.includes("\r\n\r\n")) return;
    head += chunk.toString("latin1");
    if (!head.includes("\r\n\r\n")) return;
    const [method, path] = head.split("\r\n")[0].split(" ");
    switch (path.slice(1)) {
      case "method":
        socket.end("HTTP/1.1 200 OK\r\nContent-Length: " + method.length + "\r\n\r\n" + method);
        return;
      case "big-header":
        socket.end("HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(100 * 1024) + "\r\nContent-Length: 2\r\n\r\nok");
        return;
      case "many-headers": {
        let text = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n";
        for (let i = 0; i < 10000; i++) text += "X-H" + i + ": v" + i + "\r\n";
        socket.end(text + "\r\nok");
        return;
      }
      case "big-body": {
        const total = 50 * 1024 * 1024;
        socket.write("HTTP/1.1 200 OK\r\nContent-Length: " + total + "\r\n\r\n");
        const block = Buffer.alloc(1024 * 1024, 0x61);
        let sent = 0;
        const pump = () => {
          while (sent < total) {
            sent += block.length;
            if (!socket.write(block)) return socket.once("drain", pump);
          }
          socket.end();
        };
        pump();
        return;
      }
      case "status-then-stall":
        socket.write("HTTP/1.1 200 OK\r\n");
        return;
      default:
        socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    }
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(JSON.stringify({ port: server.address().port }) + "\n"));
process.stdin.on("end", () => { for (const socket of sockets) socket.destroy(); server.close(); process.exit(0); });
process.stdin.resume();
`;

interface ScriptServer {
  origin: string;
  child: ChildProcess;
}

/** Starts `source` as an ES module in a child process and waits for the port it prints. */
function startScriptServer(source: string): Promise<ScriptServer> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", source], { stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolveServer, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("the test server did not report its port within 10 s"));
    }, 10_000);
    child.once("exit", (code) => reject(new Error(`the test server exited with code ${code} before listening`)));
    child.stdout!.once("data", (chunk: Buffer) => {
      clearTimeout(timer);
      resolveServer({ origin: `http://127.0.0.1:${JSON.parse(chunk.toString()).port}`, child });
    });
  });
}

function stopScriptServer(server: ScriptServer | undefined): void {
  if (!server || server.child.exitCode !== null) return;
  server.child.stdin!.end();
  setTimeout(() => server.child.kill("SIGKILL"), 5000).unref();
}

let sqsServer: ScriptServer;
let httpServer: ScriptServer;

beforeAll(async () => {
  [sqsServer, httpServer] = await Promise.all([startScriptServer(ODD_SQS_SERVER), startScriptServer(ODD_HTTP_SERVER)]);
});

afterAll(() => {
  stopScriptServer(sqsServer);
  stopScriptServer(httpServer);
});

function sqsConfig(queue: string, protocol = "json"): string {
  return [
    `queue_url: "${sqsServer.origin}/000000000000/${queue}"`,
    "access_key: AKIDODDINPUTS",
    `secret_key: "${SECRET_KEY}"`,
    `session_token: "${SESSION_TOKEN}"`,
    "max_messages: 1",
    "max_interval_seconds: 0",
    "max_retries: 1",
    "request_timeout_seconds: 5",
    `sqs_protocol: ${protocol}`,
  ].join("\n") + "\n";
}

describe.each([component, bacalhau])("odd SQS responses, $name", (transport) => {
  test("plain response is delivered", async () => {
    const run = await transport.run(sqsConfig("ok"));

    expect(run.stderr).toContain("MessageId m-1");
    expect(run.exitCode).toBe(0);
    expectNoCrashOrSecret(run);
  });

  test.each([
    ["empty-200", "HTTP 200 (empty body)"],
    ["html-200", 'HTTP 200 "<html><body><h1>Welcome to nginx!</h1></body></html>"'],
    ["message-id-number", '"MessageId":123'],
    ["message-id-null", '"MessageId":null'],
    ["message-id-object", '"MessageId":{"a":[1,2]}'],
    ["truncated-200", '{"MessageId":"m-1","MD5Of'],
    ["type-number", '"__type":5'],
    ["forbidden-empty", "HTTP 403 (empty body)"],
    ["redirect", transport === component ? "HTTP 307 (empty body)" : "network error"],
  ])("%s is one clear failure", async (queue, expected) => {
    const run = await transport.run(sqsConfig(queue));

    expect(run.stderr).toContain("message 1 not delivered: ");
    expect(run.stderr).toContain(expected);
    expect(run.stderr).toContain("undelivered message body: {");
    expect(run.exitCode).toBe(1);
    expectNoCrashOrSecret(run);
  });

  test.each([
    ["message-null", "SQS answered HTTP 400 InvalidParameterValue: ; "],
    ["message-object", "SQS answered HTTP 400 InvalidParameterValue: ; "],
    ["unknown-type", "SQS answered HTTP 400 SomethingBrandNew: A brand new failure; "],
    ["expired-strange-date", "SQS answered HTTP 400 InvalidSignatureException: Signature expired"],
  ])("%s error response is reported", async (queue, expected) => {
    // json-as 1.6.0 aborted the module ("abort: Incomplete or malformed JSON value", exit 255
    // from main.wasm) on null, a number or an object where SQS sends a string.
    const run = await transport.run(sqsConfig(queue));

    expect(errorLines(run)[0]).toContain(expected);
    expect(run.exitCode).toBe(1);
    expectNoCrashOrSecret(run);
  });

  test("md5 that is not a string fails the message", async () => {
    const run = await transport.run(sqsConfig("md5-object"));

    expect(run.stderr).toContain("SQS answered MessageId m-1 with MD5OfMessageBody ");
    expect(run.stderr).toContain("counted as failed and not re-sent");
    expect(run.exitCode).toBe(1);
    expectNoCrashOrSecret(run);
  });

  test("2 MiB response is read", async () => {
    const run = await transport.run(sqsConfig("huge-200"));

    expect(run.stderr).toContain("MessageId m-1");
    expect(run.exitCode).toBe(0);
    expectNoCrashOrSecret(run);
  });

  test("body shorter than Content-Length is retried", async () => {
    const run = await transport.run(sqsConfig("short-content-length"));

    expect(run.stderr).toContain("attempt 1 failed: ");
    expect(run.stderr).toContain("(gave up after 2 attempts)");
    expect(run.exitCode).toBe(1);
    expectNoCrashOrSecret(run);
  });

  test("multi-line error message stays on one line", async () => {
    const run = await transport.run(sqsConfig("multi-line-message"));

    const failure = errorLines(run).find((line) => line.includes("not delivered"));
    expect(failure).toContain("line one\\u000aline two\\u000d\\u000a\\u001b[31mred");
    expect(run.stderr).not.toContain("\u001b");
    expect(run.exitCode).toBe(1);
  });

  test("echoed session token is masked", async () => {
    const run = await transport.run(sqsConfig("echo-token"));

    expect(run.stderr).toContain("token ****(session token) is invalid");
    expect(run.exitCode).toBe(1);
    expectNoCrashOrSecret(run);
  });

  test.each([
    ["xml-missing", "<SendMessageResponse><SendMessageResult></SendMessageResult></SendMessageResponse>"],
    ["xml-unclosed", "<SendMessageResponse><SendMessageResult><MessageId>m-1"],
    ["xml-multi-line-message", "InvalidParameterValue: one\\u000atwo"],
  ])("query response %s is one clear failure", async (queue, expected) => {
    const run = await transport.run(sqsConfig(queue, "query"));

    expect(run.stderr).toContain(expected);
    expect(errorLines(run).every((line) => line.startsWith("event-pusher error: "))).toBe(true);
    expect(run.exitCode).toBe(1);
    expectNoCrashOrSecret(run);
  });
});

function httpConfig(path: string, extra = ""): string {
  return `mode: http\nurl: "${httpServer.origin}/${path}"\nrequest_timeout_seconds: 3\nheaders: "Authorization: Bearer ${SECRET_KEY}"\n${extra}`;
}

describe.each([component, bacalhau])("odd HTTP responses, $name", (transport) => {
  test("lower-case method is sent upper-case", async () => {
    const run = await transport.run(httpConfig("method", "method: get\n"));

    expect(run.stdout).toBe("200 OK\nGET");
    expect(run.exitCode).toBe(0);
  });

  test.each(["big-header", "many-headers"])("%s response is one clear failure", async (path) => {
    const run = await transport.run(httpConfig(path));

    expect(errorLines(run)).toHaveLength(1);
    expect(errorLines(run)[0]).toContain(`GET ${httpServer.origin}/${path} failed: `);
    expect(run.stdout).toBe("");
    expect(run.exitCode).toBe(1);
    expectNoCrashOrSecret(run);
  });

  test("status line then silence times out", async () => {
    const run = await transport.run(httpConfig("status-then-stall"));

    expect(errorLines(run)).toHaveLength(1);
    expect(errorLines(run)[0]).toContain("timed out");
    expect(run.elapsedMs).toBeLessThan(30_000);
    expect(run.exitCode).toBe(1);
    expectNoCrashOrSecret(run);
  });
});

describe("50 MiB HTTP response", () => {
  test("component prints it whole", async () => {
    const run = await component.run(httpConfig("big-body"));

    expect(run.stdout.length).toBe("200 OK\n".length + 50 * 1024 * 1024);
    expect(run.exitCode).toBe(0);
  });

  // Known bug: the Bacalhau host cuts a body at 80% of the module's memory (about 8 MiB here),
  // below the module's 8 MiB buffer, so the module's "may be cut short" check never fires.
  test("main.wasm warns that the body was cut short", async () => {
    const run = await bacalhau.run(httpConfig("big-body"));

    expect(run.stdout.length).toBeLessThan(50 * 1024 * 1024);
    expect(run.stderr).toContain("cut short");
  });
});
