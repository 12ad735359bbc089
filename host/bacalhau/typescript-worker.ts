// Starts a worker thread on a TypeScript file. A worker does not inherit the tsx loader of the
// thread that creates it (Node 20), so a small CommonJS script registers tsx's require hook inside
// the worker first. The require hook runs in the worker's own thread, which starts about twice as
// fast as tsx's ES module hooks, which need a loader thread of their own.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Worker, type TransferListItem } from "node:worker_threads";

const require = createRequire(import.meta.url);
const tsxRequireApi = require.resolve("tsx/cjs/api");

export function startTypeScriptWorker(entry: URL, workerData: unknown, transferList: TransferListItem[] = []): Worker {
  const bootstrap = [
    // node:wasi prints an ExperimentalWarning on the process's stderr, which would mix with
    // the job's output when the command line prints it.
    "const emitWarning = process.emitWarning;",
    "process.emitWarning = function (warning, ...rest) {",
    "  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;",
    "  if (type === 'ExperimentalWarning' && String(warning).includes('WASI')) return;",
    "  return emitWarning.call(process, warning, ...rest);",
    "};",
    `require(${JSON.stringify(tsxRequireApi)}).register();`,
    `require(${JSON.stringify(fileURLToPath(entry))});`,
  ].join("\n");
  return new Worker(bootstrap, { eval: true, workerData, transferList });
}
