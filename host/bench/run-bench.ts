// `npm run bench`: prints speed and memory figures for the three builds. It asserts nothing;
// it is where speed and memory targets are checked, by reading the figures it prints.
//
//   - simulation throughput of each build (messages per second, wall time of one run)
//   - linear memory at the end of a 2,000-message simulation (preview1 builds, node:wasi)
//   - sending throughput of the component to the strict SQS test server on 127.0.0.1
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { WASI } from "node:wasi";

import { COMPONENT, NOHTTP_MODULE, BACALHAU_MODULE, projectRoot, runComponent, runPreview1 } from "../../tests/support/run-module.ts";
import { startSqsServer, TEST_ACCESS_KEY, TEST_SECRET_KEY } from "../../tests/support/sqs-server.ts";
import { runBacalhauJob } from "../bacalhau/run-job.ts";

const SIMULATED = 2000;
const SENT = 200;

function line(label: string, value: string): void {
  process.stdout.write(`${label.padEnd(58)} ${value}\n`);
}

function rate(count: number, ms: number): string {
  return `${(count / (ms / 1000)).toFixed(0)} msg/s (${count} in ${(ms / 1000).toFixed(2)} s)`;
}

// Build first, so that no figure below includes a build.
execFileSync(process.execPath, [join(projectRoot, "host", "build", "ensure-built.mjs")], { stdio: ["ignore", "inherit", "inherit"] });

const simulation = { SIMULATE: "true", MAX_MESSAGES: String(SIMULATED), MAX_INTERVAL_SECONDS: "0", VM_NAME: "bench" };

for (const module of [COMPONENT, BACALHAU_MODULE, NOHTTP_MODULE]) line(`size of ${module.replace(/.*\/bin\//, "bin/")}`, `${statSync(module).size} bytes`);

let started = Date.now();
let result = await runComponent({ env: simulation, timeoutMs: 300_000 });
line("component via Node runner, simulation (incl. ~0.5 s start-up)", rate(result.stdout.trim().split("\n").length, Date.now() - started));

started = Date.now();
result = await runPreview1(NOHTTP_MODULE, { env: simulation, timeoutMs: 300_000 });
line("no-http build via node:wasi, simulation", rate(result.stdout.trim().split("\n").length, Date.now() - started));

started = Date.now();
const job = await runBacalhauJob({ module: BACALHAU_MODULE, env: simulation, network: "http", domains: ["127.0.0.1"] });
line("main.wasm via the Bacalhau-like host, simulation", rate(job.stdout.toString().trim().split("\n").length, Date.now() - started));

// Memory: run the no-http build in-process so its linear memory can be read after the run.
const devNull = (await import("node:fs")).openSync("/dev/null", "w");
const quietWasi = new WASI({ version: "preview1", args: ["bench"], env: simulation, returnOnExit: true, stdout: devNull, stderr: devNull });
const instance = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(NOHTTP_MODULE)), quietWasi.getImportObject());
quietWasi.start(instance);
const memory = instance.exports.memory as WebAssembly.Memory;
line(`linear memory after ${SIMULATED} simulated messages`, `${memory.buffer.byteLength / 65536} pages (${(memory.buffer.byteLength / 1048576).toFixed(2)} MiB)`);

const server = await startSqsServer();
try {
  for (const protocol of ["json", "query"]) {
    await server.reset();
    started = Date.now();
    result = await runComponent({
      env: {
        SQS_QUEUE_URL: server.queueUrl("bench"),
        AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY: TEST_SECRET_KEY,
        MAX_MESSAGES: String(SENT),
        MAX_INTERVAL_SECONDS: "0",
        SQS_PROTOCOL: protocol,
        VM_NAME: "bench",
      },
      timeoutMs: 300_000,
    });
    const received = await server.received();
    const valid = received.filter((request) => request.signatureValid && request.accepted).length;
    line(`component sending to the strict server, ${protocol}`, `${rate(valid, Date.now() - started)}, exit ${result.exitCode}`);
  }
} finally {
  await server.close();
}
