// bin/main.wasm and bin/event-pusher-nohttp.wasm as Bacalhau runs them: through runBacalhauJob,
// which gives argv ["", ...Parameters], the job's environment, inputs mounted under "/", and the
// wasi:http/requests.http_request host function only when the job has networking.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { type BacalhauJobOptions, type BacalhauJobResult, runBacalhauJob } from "../host/bacalhau/run-job.ts";
import { BACALHAU_MODULE, NOHTTP_MODULE, runPreview1 } from "./support/run-module.ts";
import { TEST_ACCESS_KEY, TEST_SECRET_KEY, type SqsTestServer, startSqsServer } from "./support/sqs-server.ts";

const MESSAGE_KEYS = ["vm_name", "icon_name", "timestamp", "color", "container_id"];

/** The variables that existing Bacalhau jobs pass, plus no wait between messages to keep the test short. */
const SIMULATION_ENV = {
  SIMULATE: "true",
  MAX_MESSAGES: "10",
  COLOR: "#FF5500",
  VM_NAME: "bacalhau-node",
  MAX_INTERVAL_SECONDS: "0",
};

interface Message {
  vm_name: string;
  icon_name: string;
  timestamp: string;
  color: string;
  container_id: string;
}

function stdoutLines(result: BacalhauJobResult): string[] {
  return result.stdout.toString("utf8").split("\n").filter((line) => line.length > 0);
}

function messages(result: BacalhauJobResult): Message[] {
  return stdoutLines(result).map((line) => JSON.parse(line) as Message);
}

function stderrOf(result: BacalhauJobResult): string {
  return result.stderr.toString("utf8");
}

function errorLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line.includes(" error: "));
}

/** Writes `content` to a fresh temporary file and returns its path, for use as a job input. */
function writeInput(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "bacalhau-test-input-")), "config.yaml");
  writeFileSync(path, content);
  return path;
}

function runJob(options: BacalhauJobOptions): Promise<BacalhauJobResult> {
  return runBacalhauJob({ timeoutMs: 60_000, ...options });
}

describe("configuration from the environment only", () => {
  test.each([
    ["main.wasm", BACALHAU_MODULE, "http"],
    ["nohttp build", NOHTTP_MODULE, "none"],
  ] as const)("%s simulates 10 messages", async (_name, module, network) => {
    const result = await runJob({ module, env: SIMULATION_ENV, network, domains: ["127.0.0.1"] });

    expect(result.startError).toBeUndefined();
    const printed = messages(result);
    expect(printed).toHaveLength(10);
    for (const message of printed) {
      expect(Object.keys(message)).toEqual(MESSAGE_KEYS);
      expect(message.vm_name).toBe("bacalhau-node");
      expect(message.color).toBe("#FF5500");
    }
    expect(stderrOf(result)).toContain("using environment variables only");
    expect(result.exitCode).toBe(0);
  });
});

describe("mounted config file", () => {
  const fileConfig = 'simulate: true\nmax_messages: 2\nmax_interval_seconds: 0\nvm_name: "from-mounted-file"\n';

  test.each([
    ["main.wasm", BACALHAU_MODULE, "http"],
    ["nohttp build", NOHTTP_MODULE, "none"],
  ] as const)("%s reads /app/config.yaml with no argument", async (_name, module, network) => {
    const result = await runJob({
      module,
      inputs: [{ source: writeInput(fileConfig), target: "/app/config.yaml" }],
      // The file sets vm_name, so VM_NAME loses; it does not set color, so COLOR fills it.
      env: { VM_NAME: "from-environment", COLOR: "#00AA00" },
      network,
      domains: ["127.0.0.1"],
    });

    expect(stderrOf(result)).toContain("read configuration from /app/config.yaml");
    const printed = messages(result);
    expect(printed).toHaveLength(2);
    expect(printed.map((message) => message.vm_name)).toEqual(["from-mounted-file", "from-mounted-file"]);
    expect(printed.map((message) => message.color)).toEqual(["#00AA00", "#00AA00"]);
    expect(result.exitCode).toBe(0);
  });

  test("main.wasm reads the path given as a parameter", async () => {
    const result = await runJob({
      module: BACALHAU_MODULE,
      parameters: ["/app/config.yaml"],
      inputs: [{ source: writeInput(fileConfig), target: "/app/config.yaml" }],
      network: "http",
      domains: ["127.0.0.1"],
    });

    expect(stderrOf(result)).toContain("read configuration from /app/config.yaml");
    expect(messages(result).map((message) => message.vm_name)).toEqual(["from-mounted-file", "from-mounted-file"]);
    expect(result.exitCode).toBe(0);
  });

  test("parameter naming a missing file is an error, not a fallback", async () => {
    const result = await runJob({
      module: BACALHAU_MODULE,
      parameters: ["/app/missing.yaml"],
      env: SIMULATION_ENV,
      network: "http",
      domains: ["127.0.0.1"],
    });

    expect(result.stdout.length).toBe(0);
    expect(errorLines(stderrOf(result))).toHaveLength(1);
    expect(stderrOf(result)).toContain("/app/missing.yaml not found");
    expect(result.exitCode).toBe(2);
  });
});

describe("main.wasm sending to SQS", () => {
  let server: SqsTestServer;

  beforeAll(async () => {
    server = await startSqsServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  const sendingEnv = (queue: string, extra: Record<string, string> = {}): Record<string, string> => ({
    SQS_QUEUE_URL: server.queueUrl(queue),
    AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: TEST_SECRET_KEY,
    MAX_MESSAGES: "3",
    MAX_INTERVAL_SECONDS: "0",
    VM_NAME: "bacalhau-node",
    ...extra,
  });

  test.each(["json", "query"] as const)("sends 3 signed messages with the %s protocol", async (protocol) => {
    const queue = `bacalhau-${protocol}`;
    const result = await runJob({
      module: BACALHAU_MODULE,
      env: sendingEnv(queue, { SQS_PROTOCOL: protocol }),
      network: "http",
      domains: ["127.0.0.1"],
    });

    const requests = (await server.received()).filter((request) => request.queueUrl === server.queueUrl(queue));
    expect(requests, stderrOf(result)).toHaveLength(3);
    for (const request of requests) {
      expect(request.protocol).toBe(protocol);
      expect(request.signatureValid, request.signatureError).toBe(true);
      expect(request.accepted).toBe(true);
    }
    expect(requests.map((request) => request.messageBody)).toEqual(stdoutLines(result));
    expect(stderrOf(result)).toContain("summary: sent 3, failed 0");
    expect(result.exitCode).toBe(0);
  });

  test("queue host missing from the allowed domains fails with host not allowed", async () => {
    const queue = "bacalhau-not-allowed";
    const result = await runJob({
      module: BACALHAU_MODULE,
      env: sendingEnv(queue, { MAX_MESSAGES: "1" }),
      network: "http",
      domains: ["sqs.us-west-2.amazonaws.com"],
    });

    const requests = (await server.received()).filter((request) => request.queueUrl === server.queueUrl(queue));
    expect(requests).toHaveLength(0);
    const reason = errorLines(stderrOf(result)).find((line) => line.includes("host not allowed"));
    expect(reason).toBeDefined();
    expect(reason).toContain("127.0.0.1");
    expect(reason).toContain("--domain 127.0.0.1");
    expect(result.stdout.length).toBe(0);
    expect(result.exitCode).toBe(1);
  });

  test("networking off prevents main.wasm from starting", async () => {
    const result = await runJob({ module: BACALHAU_MODULE, env: sendingEnv("bacalhau-no-network"), network: "none" });

    expect(result.startError).toMatch(/networking is enabled/);
    expect(result.startError).toContain("--network http");
    expect(result.stdout.length).toBe(0);
    expect(result.exitCode).toBe(1);
  });

  test("nohttp build asked to send names the build to use", async () => {
    const queue = "bacalhau-nohttp";
    const result = await runJob({ module: NOHTTP_MODULE, env: sendingEnv(queue), network: "http", domains: ["127.0.0.1"] });

    const errors = errorLines(stderrOf(result));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("can only simulate");
    expect(errors[0]).toContain("bin/main.wasm");
    expect(result.stdout.length).toBe(0);
    expect((await server.received()).filter((request) => request.queueUrl === server.queueUrl(queue))).toHaveLength(0);
    expect(result.exitCode).toBe(2);
  });
});

describe("nohttp build", () => {
  test.each(["none", "http", "full"] as const)("simulates with network %s", async (network) => {
    const result = await runJob({ module: NOHTTP_MODULE, env: { ...SIMULATION_ENV, MAX_MESSAGES: "3" }, network, domains: ["127.0.0.1"] });

    expect(result.startError).toBeUndefined();
    expect(messages(result)).toHaveLength(3);
    expect(result.exitCode).toBe(0);
  });

  test("simulates under node:wasi", async () => {
    const result = await runPreview1(NOHTTP_MODULE, { env: { ...SIMULATION_ENV, MAX_MESSAGES: "3" } });

    const printed = result.stdout.split("\n").filter((line) => line.length > 0).map((line) => JSON.parse(line) as Message);
    expect(printed).toHaveLength(3);
    expect(printed.every((message) => message.vm_name === "bacalhau-node" && message.color === "#FF5500")).toBe(true);
    expect(result.exitCode).toBe(0);
  });
});

describe("module imports", () => {
  const importsOf = (path: string): string[] =>
    WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(path))).map((item) => `${item.module}.${item.name} (${item.kind})`);

  test("nohttp build imports only wasi_snapshot_preview1", () => {
    const imports = importsOf(NOHTTP_MODULE);
    console.log(`bin/event-pusher-nohttp.wasm imports:\n  ${imports.join("\n  ")}`);

    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((name) => !name.startsWith("wasi_snapshot_preview1."))).toEqual([]);
  });

  test("main.wasm imports preview1 and http_request only", () => {
    const imports = importsOf(BACALHAU_MODULE);
    console.log(`bin/main.wasm imports:\n  ${imports.join("\n  ")}`);

    expect(imports.filter((name) => !name.startsWith("wasi_snapshot_preview1."))).toEqual(["wasi:http/requests.http_request (function)"]);
  });
});

describe("Bacalhau's argv and exit codes", () => {
  test("empty argv[0] adds no search path beside the module", async () => {
    const result = await runJob({ module: BACALHAU_MODULE, env: { ...SIMULATION_ENV, MAX_MESSAGES: "1" }, network: "http", domains: ["127.0.0.1"] });

    expect(stderrOf(result)).toContain("looked for config.yaml, /app/config.yaml)");
    expect(messages(result)).toHaveLength(1);
    expect(result.exitCode).toBe(0);
  });

  test("relative config.yaml resolves against the root", async () => {
    const result = await runJob({
      module: BACALHAU_MODULE,
      inputs: [{ source: writeInput('simulate: yes\nmax_messages: 1\nvm_name: "at-root"\n'), target: "/config.yaml" }],
      network: "http",
      domains: ["127.0.0.1"],
    });

    expect(stderrOf(result)).toContain("read configuration from config.yaml");
    expect(messages(result).map((message) => message.vm_name)).toEqual(["at-root"]);
    expect(result.exitCode).toBe(0);
  });

  test("invalid COLOR exits 2", async () => {
    const result = await runJob({ module: BACALHAU_MODULE, env: { ...SIMULATION_ENV, COLOR: "orange" }, network: "http", domains: ["127.0.0.1"] });

    const errors = errorLines(stderrOf(result));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("environment variable COLOR");
    expect(errors[0]).toContain('"orange"');
    expect(result.stdout.length).toBe(0);
    expect(result.exitCode).toBe(2);
  });

  test("unknown key in the mounted file exits 2", async () => {
    const result = await runJob({
      module: BACALHAU_MODULE,
      inputs: [{ source: writeInput("simulate: true\nvm_nmae: typo\n"), target: "/app/config.yaml" }],
      network: "http",
      domains: ["127.0.0.1"],
    });

    const errors = errorLines(stderrOf(result));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("/app/config.yaml line 2, key vm_nmae: unknown key");
    expect(errors[0]).toContain('did you mean "vm_name"');
    expect(result.exitCode).toBe(2);
  });
});
