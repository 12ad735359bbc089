import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Builds bin/*.wasm once before the suite when they are missing or older than their sources. */
export default function setup(): void {
  execFileSync("node", ["host/build/ensure-built.mjs"], { cwd: projectRoot, stdio: "inherit" });
}
