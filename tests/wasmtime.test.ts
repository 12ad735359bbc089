import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { COMPONENT, NOHTTP_MODULE, WASMTIME_SKIP_REASON, findWasmtime, runWasmtime } from "./support/run-module.ts";
import { startSqsServer, TEST_ACCESS_KEY, TEST_SECRET_KEY, type SqsTestServer } from "./support/sqs-server.ts";

// The same builds under the wasmtime CLI, when it is installed. The Node runner covers the
// component everywhere else; these runs catch a host difference the shim would hide.
const wasmtime = findWasmtime();
if (wasmtime === null) console.warn(`tests/wasmtime.test.ts: ${WASMTIME_SKIP_REASON}`);

const simulation = { SIMULATE: "true", MAX_MESSAGES: "3", MAX_INTERVAL_SECONDS: "0", VM_NAME: "wasmtime-node", COLOR: "#FF5500" };

function messageLines(stdout: string): Array<Record<string, string>> {
  return stdout.trim().split("\n").map((line) => JSON.parse(line));
}

describe.skipIf(wasmtime === null)("under wasmtime", () => {
  let server: SqsTestServer;

  beforeAll(async () => {
    server = await startSqsServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  test("component simulates from env", async () => {
    const result = await runWasmtime(wasmtime!, COMPONENT, { env: simulation });

    expect(result.exitCode).toBe(0);
    const messages = messageLines(result.stdout);
    expect(messages).toHaveLength(3);
    expect(messages[0].vm_name).toBe("wasmtime-node");
    expect(messages[0].color).toBe("#FF5500");
  });

  test("no-http build simulates from a file", async () => {
    const result = await runWasmtime(wasmtime!, NOHTTP_MODULE, {
      files: { "config.yaml": "simulate: true\nmax_messages: 2\nmax_interval_seconds: 0\nvm_name: from-file\n" },
    });

    expect(result.exitCode).toBe(0);
    expect(messageLines(result.stdout).map((message) => message.vm_name)).toEqual(["from-file", "from-file"]);
  });

  test("config error exit codes", async () => {
    const env = { ...simulation, COLOR: "red" };
    const component = await runWasmtime(wasmtime!, COMPONENT, { env });
    const nohttp = await runWasmtime(wasmtime!, NOHTTP_MODULE, { env });

    expect(component.exitCode).toBe(1);
    expect(nohttp.exitCode).toBe(2);
    expect(nohttp.stderr).toContain("COLOR");
  });

  test("component sends signed messages", async () => {
    await server.reset();
    const result = await runWasmtime(wasmtime!, COMPONENT, {
      env: {
        SQS_QUEUE_URL: server.queueUrl("wasmtime"),
        AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY: TEST_SECRET_KEY,
        MAX_MESSAGES: "2",
        MAX_INTERVAL_SECONDS: "0",
      },
    });

    expect(result.exitCode, result.stderr).toBe(0);
    const received = await server.received();
    expect(received).toHaveLength(2);
    expect(received.every((request) => request.signatureValid)).toBe(true);
    expect(received.map((request) => request.messageBody)).toEqual(result.stdout.trim().split("\n"));
  });
});
