import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadAssemblyScript } from "../../host/build/assemblyscript.ts";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Compiles the test harness tests/wasm/NAME.ts (plain exports, no WASI) and returns its exports. */
export function loadHarness<T = Record<string, any>>(name: string): Promise<T> {
  return loadAssemblyScript<T>(join(projectRoot, "tests", "wasm", `${name}.ts`), name, "test");
}
