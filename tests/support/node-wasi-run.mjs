// Runs a WASI preview1 module under node:wasi: `node node-wasi-run.mjs MODULE.wasm ARGS...`,
// with the current directory preopened as "." and this process's environment.
import { readFileSync } from "node:fs";
import { WASI } from "node:wasi";

const [modulePath, ...args] = process.argv.slice(2);
const wasi = new WASI({
  version: "preview1",
  args: [modulePath, ...args],
  env: process.env,
  preopens: { ".": process.cwd() },
  returnOnExit: true,
});
const module = await WebAssembly.compile(readFileSync(modulePath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
let code;
try {
  code = wasi.start(instance);
} catch (error) {
  process.stderr.write(`node-wasi-run: the module trapped: ${error instanceof Error ? error.message : String(error)}\n`);
  code = 1;
}
process.exitCode = code;
