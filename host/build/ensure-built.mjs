// Runs ./build_wasm.sh when any bin/*.wasm is missing or older than a file it is built from.
// npm start, npm run demo and the test suite call this, so a fresh clone needs no separate build step.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const outputs = ["bin/event-pusher.wasm", "bin/main.wasm", "bin/event-pusher-nohttp.wasm", "build/component/event-pusher.js"];
const inputs = ["assembly", "host/build", "build_wasm.sh", "asconfig.json", "package-lock.json"];

function newestTime(path) {
  const full = join(projectRoot, path);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(full)) newest = Math.max(newest, newestTime(join(path, entry)));
  return newest;
}

// Two test runs or npm scripts started together would otherwise build into the same files.
const lockDir = join(projectRoot, "build", ".build-lock");
function acquireLock() {
  mkdirSync(join(projectRoot, "build"), { recursive: true });
  const deadline = Date.now() + 10 * 60 * 1000;
  while (Date.now() < deadline) {
    try {
      mkdirSync(lockDir);
      return;
    } catch {
      // A lock older than the longest build is left over from a killed build. The holder may
      // release it between mkdirSync and this check, so a missing lock is no error.
      const lock = statSync(lockDir, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > 10 * 60 * 1000) rmSync(lockDir, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  throw new Error(`timed out waiting for ${lockDir}; remove it if no build is running`);
}

acquireLock();
process.on("exit", () => rmSync(lockDir, { recursive: true, force: true }));

const newestInput = Math.max(...inputs.map(newestTime));
const stale = outputs.filter((path) => {
  const full = join(projectRoot, path);
  return !existsSync(full) || statSync(full).mtimeMs < newestInput;
});

if (stale.length > 0) {
  process.stderr.write(`event-pusher: building the wasm modules (${stale.join(", ")} missing or stale)\n`);
  execFileSync(join(projectRoot, "build_wasm.sh"), [], { cwd: projectRoot, stdio: ["ignore", process.stderr, "inherit"] });
}
