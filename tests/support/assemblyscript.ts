import asc from "assemblyscript/asc";
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { dirname, join, resolve, basename } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const outputDir = join(projectRoot, "build", "test");

/** Newest modification time of any AssemblyScript source, so harness builds are redone only when stale. */
function newestSourceTime(): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(projectRoot, "assembly"));
  walk(join(projectRoot, "tests", "wasm"));
  return newest;
}

/**
 * Compiles a test harness entry from tests/wasm/ (plain exports, no WASI) with asc's
 * ESM bindings, and returns the instantiated module's exports. Strings, typed arrays
 * and arrays cross the boundary through the generated glue.
 */
export async function loadHarness<T = Record<string, any>>(name: string): Promise<T> {
  mkdirSync(outputDir, { recursive: true });
  const entry = join(projectRoot, "tests", "wasm", `${name}.ts`);
  const wasmFile = join(outputDir, `${name}.wasm`);
  const glueFile = join(outputDir, `${name}.js`);
  // Test files run in parallel processes and may load the same harness; one compiles at a time.
  const lock = join(outputDir, `${name}.lock`);
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than any compile is left over from a killed run.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // The holder released it meanwhile.
      }
      if (waited > 300_000) throw new Error(`timed out waiting for ${lock}; remove it if no test run is compiling`);
      await sleep(100);
    }
  }
  try {
    await compileIfStale(entry, wasmFile, glueFile);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return (await import(pathToFileURL(glueFile).href)) as T;
}

async function compileIfStale(entry: string, wasmFile: string, glueFile: string): Promise<void> {
  let stale = true;
  try {
    stale = statSync(wasmFile).mtimeMs < newestSourceTime() || statSync(glueFile).mtimeMs < newestSourceTime();
  } catch {
    stale = true;
  }
  if (stale) {
    const { error, stderr } = await asc.main([
      entry,
      "--outFile", wasmFile,
      // An explicit config, so asc does not pick up the project's asconfig.json and its WASI shim.
      "--config", join(projectRoot, "tests", "wasm", "asconfig.json"),
    ]);
    if (error) throw new Error(`asc failed on ${basename(entry)}:\n${stderr.toString()}`);
  }
}
