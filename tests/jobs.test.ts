// The Bacalhau job specs in jobs/: each parses, carries the fields the WASM executor reads, and
// runs on the Bacalhau-like host with its own environment, inputs and network settings. Module
// and input paths on the compute node (SourcePath) map to this repository by file name.
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";

import { type BacalhauJobInput, type NetworkMode, runBacalhauJob } from "../host/bacalhau/run-job.ts";
import { projectRoot } from "./support/run-module.ts";
import { TEST_ACCESS_KEY, TEST_SECRET_KEY, type SqsTestServer, startSqsServer } from "./support/sqs-server.ts";

interface InputSource {
  Source: { Type: string; Params: { SourcePath: string } };
  Target: string;
}

interface WasmTask {
  Name: string;
  Engine: {
    Type: string;
    Params: {
      EntryModule: InputSource;
      EntryPoint: string;
      Parameters: string[];
      EnvironmentVariables?: Record<string, unknown>;
    };
  };
  InputSources?: InputSource[];
  Network: { Type: string; Domains?: string[] };
}

interface JobSpec {
  Name: string;
  Type: string;
  Count: number;
  Tasks: WasmTask[];
}

const jobsDir = join(projectRoot, "jobs");

function loadSpec(file: string): JobSpec {
  return parse(readFileSync(join(jobsDir, file), "utf8")) as JobSpec;
}

/** Returns the bin/ module that a spec's EntryModule names, matched by file name. */
function moduleOf(task: WasmTask): string {
  return join(projectRoot, "bin", basename(task.Engine.Params.EntryModule.Source.Params.SourcePath));
}

/** Maps the spec's InputSources to local inputs, finding each file in jobs/ by name. */
function inputsOf(task: WasmTask): BacalhauJobInput[] {
  return (task.InputSources ?? []).map((input) => ({ source: join(jobsDir, basename(input.Source.Params.SourcePath)), target: input.Target }));
}

function networkOf(task: WasmTask): NetworkMode {
  return task.Network.Type.toLowerCase() as NetworkMode;
}

/** Replaces `{{.NAME}}` placeholders as `bacalhau job run --template-envs` would; unknown names throw. */
function fillTemplate(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_match, name: string) => {
    if (!(name in values)) throw new Error(`no value for template placeholder ${name}`);
    return values[name];
  });
}

function envOf(task: WasmTask): Record<string, string> {
  return (task.Engine.Params.EnvironmentVariables ?? {}) as Record<string, string>;
}

/** Checks what every spec needs: one task, the wasm engine, a module this repository builds, _start, string variables. */
function expectExecutorFields(spec: JobSpec): void {
  expect(spec.Type).toBe("batch");
  expect(spec.Tasks).toHaveLength(1);
  const task = spec.Tasks[0];
  expect(task.Engine.Type).toBe("wasm");
  const entryModule = task.Engine.Params.EntryModule;
  expect(entryModule.Source.Type).toBe("localDirectory");
  expect(entryModule.Target).toMatch(/^\/.+\.wasm$/);
  expect(existsSync(moduleOf(task)), moduleOf(task)).toBe(true);
  expect(task.Engine.Params.EntryPoint).toBe("_start");
  expect(Array.isArray(task.Engine.Params.Parameters)).toBe(true);
  // The executor decodes EnvironmentVariables as map[string]string, so an unquoted true or 10 fails there.
  for (const [name, value] of Object.entries(task.Engine.Params.EnvironmentVariables ?? {})) {
    expect(typeof value, `EnvironmentVariables.${name}`).toBe("string");
  }
  expect(["none", "http", "full"]).toContain(networkOf(task));
}

function lines(output: Buffer): string[] {
  return output.toString("utf8").split("\n").filter((line) => line.length > 0);
}

describe("jobs/simulate-env.yaml", () => {
  const spec = loadSpec("simulate-env.yaml");
  const task = spec.Tasks[0];

  test("has the executor's fields", () => {
    expectExecutorFields(spec);
    expect(basename(moduleOf(task))).toBe("event-pusher-nohttp.wasm");
    expect(task.InputSources ?? []).toEqual([]);
    expect(networkOf(task)).toBe("none");
    expect(envOf(task)).toMatchObject({ SIMULATE: "true", MAX_MESSAGES: "10", COLOR: "#FF5500", VM_NAME: "bacalhau-node" });
  });

  test("runs as specified", async () => {
    const result = await runBacalhauJob({
      module: moduleOf(task),
      parameters: task.Engine.Params.Parameters,
      env: envOf(task),
      network: networkOf(task),
      timeoutMs: 60_000,
    });

    const messages = lines(result.stdout).map((line) => JSON.parse(line));
    expect(messages).toHaveLength(10);
    expect(messages.every((message) => message.vm_name === "bacalhau-node" && message.color === "#FF5500")).toBe(true);
    expect(result.exitCode).toBe(0);
  });
});

describe("jobs/config-file.yaml", () => {
  const spec = loadSpec("config-file.yaml");
  const task = spec.Tasks[0];

  test("has the executor's fields", () => {
    expectExecutorFields(spec);
    expect(basename(moduleOf(task))).toBe("event-pusher-nohttp.wasm");
    expect(task.InputSources?.map((input) => input.Target)).toEqual(["/app/config.yaml"]);
    expect(task.InputSources?.[0].Source.Type).toBe("localDirectory");
    expect(task.Engine.Params.Parameters).toEqual(["/app/config.yaml"]);
    expect(networkOf(task)).toBe("none");
    for (const input of inputsOf(task)) expect(existsSync(input.source), input.source).toBe(true);
  });

  test("runs with the mounted example config", async () => {
    const result = await runBacalhauJob({
      module: moduleOf(task),
      parameters: task.Engine.Params.Parameters,
      env: envOf(task),
      inputs: inputsOf(task),
      network: networkOf(task),
      timeoutMs: 60_000,
    });

    expect(result.stderr.toString()).toContain("read configuration from /app/config.yaml");
    const messages = lines(result.stdout).map((line) => JSON.parse(line));
    expect(messages).toHaveLength(5);
    expect(messages.every((message) => message.vm_name === "edge-from-config-file" && message.color === "#3366CC")).toBe(true);
    expect(result.exitCode).toBe(0);
  });
});

describe("jobs/send-sqs.yaml", () => {
  const specText = readFileSync(join(jobsDir, "send-sqs.yaml"), "utf8");
  const spec = loadSpec("send-sqs.yaml");
  const task = spec.Tasks[0];
  let server: SqsTestServer;

  beforeAll(async () => {
    server = await startSqsServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  test("has the executor's fields and no real credentials", () => {
    expectExecutorFields(spec);
    expect(basename(moduleOf(task))).toBe("main.wasm");
    expect(networkOf(task)).toBe("http");
    const env = envOf(task);
    expect(task.Network.Domains).toEqual([new URL(env.SQS_QUEUE_URL).hostname]);
    expect(env.AWS_ACCESS_KEY_ID).toBe("{{.AWS_ACCESS_KEY_ID}}");
    expect(env.AWS_SECRET_ACCESS_KEY).toBe("{{.AWS_SECRET_ACCESS_KEY}}");
    expect(env.SIMULATE ?? "false").toBe("false");
  });

  test("sends with the spec's settings to a local queue", async () => {
    const filledSpec = parse(fillTemplate(specText, { AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY, AWS_SECRET_ACCESS_KEY: TEST_SECRET_KEY })) as JobSpec;
    const filled = envOf(filledSpec.Tasks[0]);
    const queueName = basename(new URL(filled.SQS_QUEUE_URL).pathname);
    // The queue's host becomes the strict server on 127.0.0.1, and the allowed domain with it.
    // No wait between messages keeps the run short; every other variable is the spec's.
    const env = { ...filled, SQS_QUEUE_URL: server.queueUrl(queueName), MAX_INTERVAL_SECONDS: "0" };
    const result = await runBacalhauJob({
      module: moduleOf(task),
      parameters: task.Engine.Params.Parameters,
      env,
      network: networkOf(task),
      domains: ["127.0.0.1"],
      timeoutMs: 60_000,
    });

    const requests = (await server.received()).filter((request) => request.queueUrl === server.queueUrl(queueName));
    expect(requests, result.stderr.toString()).toHaveLength(Number(filled.MAX_MESSAGES));
    expect(requests.every((request) => request.signatureValid && request.accepted)).toBe(true);
    expect(requests.map((request) => request.messageBody)).toEqual(lines(result.stdout));
    expect(result.exitCode).toBe(0);
  });
});
