// Turns the core module that asc built for the component into a WASI 0.2 command component,
// then transpiles it with jco for the Node runner.
//
//   node host/build/componentize.mjs CORE.wasm COMPONENT.wasm TRANSPILED_DIR
//
// The world's WIT is embedded with jco's API rather than the `jco embed` CLI, because in
// jco 1.35.0 that CLI runs wasm-tools with no preopened directories and cannot read --wit.
import { componentEmbed, componentNew, transpile } from "@bytecodealliance/jco";
import { _setPreopens } from "@bytecodealliance/preview2-shim/filesystem";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const [corePath, componentPath, transpiledDir] = process.argv.slice(2).map((path) => resolve(path));
if (!corePath || !componentPath || !transpiledDir) {
  console.error("usage: node host/build/componentize.mjs CORE.wasm COMPONENT.wasm TRANSPILED_DIR");
  process.exit(2);
}

const require = createRequire(import.meta.url);
const jcoRoot = dirname(dirname(require.resolve("@bytecodealliance/jco")));
const witPackages = join(jcoRoot, "lib", "wit", "builtin", "0.2.12");
const adapterPath = join(jcoRoot, "lib", "wasi_snapshot_preview1.command.wasm");

// A WIT folder of our world plus the WASI 0.2.12 packages it uses, as wasm-tools expects.
const witDir = join(projectRoot, "build", "wit");
rmSync(witDir, { recursive: true, force: true });
mkdirSync(join(witDir, "deps"), { recursive: true });
cpSync(join(projectRoot, "wit", "world.wit"), join(witDir, "world.wit"));
for (const name of ["wasi-http", "wasi-io", "wasi-clocks", "wasi-cli", "wasi-random", "wasi-filesystem", "wasi-sockets"]) {
  cpSync(join(witPackages, name), join(witDir, "deps", name), { recursive: true });
}
_setPreopens({ [witDir]: witDir });

const embedded = await componentEmbed({
  binary: readFileSync(corePath),
  witPath: witDir,
  world: "event-pusher",
});
const component = await componentNew(embedded, [["wasi_snapshot_preview1", readFileSync(adapterPath)]]);
mkdirSync(dirname(componentPath), { recursive: true });
writeFileSync(componentPath, component);

const { files } = await transpile(component, { name: "event-pusher", quiet: true });
rmSync(transpiledDir, { recursive: true, force: true });
for (const [name, bytes] of Object.entries(files)) {
  const target = join(transpiledDir, name);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, bytes);
}
console.error(`componentize: ${componentPath} (${component.length} bytes), transpiled into ${transpiledDir}`);
