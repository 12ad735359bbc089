import asc from "assemblyscript/asc";
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Newest modification time of any AssemblyScript source, so a build is redone only when stale. */
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
 * Compiles an AssemblyScript entry of plain exports (no WASI) into build/OUTPUT_DIR/NAME.wasm
 * with asc's ESM bindings, unless it is up to date, and returns the instantiated exports.
 * Strings, typed arrays and arrays cross the boundary through the generated glue.
 */
export async function loadAssemblyScript<T>(entry: string, name: string, outputDirName: string): Promise<T> {
  const outputDir = join(projectRoot, "build", outputDirName);
  mkdirSync(outputDir, { recursive: true });
  const wasmFile = join(outputDir, `${name}.wasm`);
  const glueFile = join(outputDir, `${name}.js`);

  // Test files and commands run in parallel processes and may load the same build; one compiles at a time.
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
      if (waited > 300_000) throw new Error(`timed out waiting for ${lock}; remove it if nothing is compiling`);
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
  if (!stale) return;
  const { error, stderr } = await asc.main([
    entry,
    "--outFile", wasmFile,
    // An explicit config, so asc does not pick up the project's asconfig.json and its WASI shim.
    "--config", join(projectRoot, "host", "build", "asconfig.plain.json"),
  ]);
  if (error) throw new Error(`asc failed on ${basename(entry)}:\n${stderr.toString()}`);
}
