// bin/main.wasm: a preview1 module with no network imports, for simulation
// on any WASI host, including Bacalhau jobs without networking.
import { run } from "../app/main";
import { exit } from "../platform/exit";

exit(run(process.argv, process.env, null, "bin/main.wasm"));
