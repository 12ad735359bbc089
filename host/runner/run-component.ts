// Runs bin/event-pusher.wasm (transpiled by jco into build/component/) on Node with
// preview2-shim, as `wasmtime run -S http --dir=. bin/event-pusher.wasm ARGS` would. The
// current directory is preopened as ".", and the arguments after the script are the
// program's. Unlike wasmtime, the runner passes this process's environment through, so
// AWS_* and the other variables in the configuration reference work as in a container.
import { _setArgs, _setEnv } from "@bytecodealliance/preview2-shim/cli";
import { _setPreopens } from "@bytecodealliance/preview2-shim/filesystem";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const transpiled = join(projectRoot, "build", "component", "event-pusher.js");

execFileSync(process.execPath, [join(projectRoot, "host", "build", "ensure-built.mjs")], {
  stdio: ["ignore", "inherit", "inherit"],
});
if (!existsSync(transpiled)) {
  process.stderr.write(`event-pusher: ${transpiled} is missing after the build; run ./build_wasm.sh and read its errors\n`);
  process.exit(1);
}

// `npm start` runs in the package's folder, but a user's relative config path points at the
// folder npm was started from, which npm keeps in INIT_CWD.
const workingDirectory = process.env.INIT_CWD ?? process.cwd();

const environment = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
// npm and npx set COLOR to "0" or "1" for every program they start (their own colour
// setting), which would read as an invalid `color`. A user's COLOR is lost under npm anyway.
if (process.env.npm_command !== undefined && (environment.COLOR === "0" || environment.COLOR === "1")) delete environment.COLOR;

_setArgs(["event-pusher", ...process.argv.slice(2)]);
_setEnv(environment);
_setPreopens({ ".": workingDirectory });

const component = await import(pathToFileURL(transpiled).href);
try {
  component.run.run();
} catch (error) {
  // A trap or a host error escaped the component: report it in one line, as the module's own errors are.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`event-pusher: the component stopped with an error: ${message}\n`);
  process.exitCode = 1;
}
