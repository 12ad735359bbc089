// bin/main.wasm: a WASI preview1 module for Bacalhau's WASM executor, sending through its
// `wasi:http/requests` host function. Every run ends with an explicit proc_exit, because
// Bacalhau records -1 for a module that returns from _start.
import { run } from "../app/main";
import { BacalhauTransport } from "../transports/bacalhau/transport";
import { exit } from "../platform/exit";

exit(run(process.argv, process.env, new BacalhauTransport(), "bin/main.wasm"));
