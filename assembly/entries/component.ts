// bin/event-pusher.wasm: the WASI 0.2 command component, sending through wasi:http.
// The command adapter turns this preview1 module's exit code into wasi:cli/exit's
// success or failure, so every failure exits 1 there. The error message names the failure.
import { run } from "../app/main";
import { WasiHttpTransport } from "../transports/wasi-http/transport";
import { exit } from "../platform/exit";
export { cabi_realloc } from "../platform/abi";

exit(run(process.argv, process.env, new WasiHttpTransport(), "bin/event-pusher.wasm"));
