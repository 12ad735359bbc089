import { loadSettings } from "../config/load";
import { RunMode, Settings } from "../config/settings";
import { HttpTransport } from "../http/types";
import { runPusher } from "../events/pusher";
import { parseHeaderLines, runHttpProbe } from "../probe/http-probe";
import { log } from "./log";

export const EXIT_CONFIG: i32 = 2;

/**
 * Runs one invocation: reads the configuration, then pushes events or makes the HTTP
 * request. `transport` is null in the build without networking. Returns the exit code.
 */
export function run(args: string[], env: Map<string, string>, transport: HttpTransport | null, buildName: string): i32 {
  const loaded = loadSettings(args, env);
  if (loaded.error.length > 0) {
    log.error("configuration error: " + loaded.error);
    return EXIT_CONFIG;
  }
  const settings: Settings = loaded.settings;
  log.level = settings.logLevel;
  for (let i = 0; i < loaded.notes.length; i++) log.info(loaded.notes[i]);

  if (settings.runMode == RunMode.Http) {
    const headers = parseHeaderLines(settings.headers);
    if (headers.error.length > 0) {
      log.error("configuration error: headers: " + headers.error);
      return EXIT_CONFIG;
    }
    if (transport == null) {
      log.error("configuration error: " + buildName + " has no network access, so it cannot make HTTP requests; use bin/event-pusher.wasm (wasmtime -S http, the Node runner) or bin/main.wasm (Bacalhau with networking)");
      return EXIT_CONFIG;
    }
    return runHttpProbe(settings, transport, headers.headers);
  }

  if (!settings.simulate && transport == null) {
    log.error("configuration error: " + buildName + " has no network access, so it can only simulate (simulate: true); to send to SQS use bin/event-pusher.wasm (wasmtime -S http, the Node runner) or bin/main.wasm (Bacalhau with networking)");
    return EXIT_CONFIG;
  }
  return runPusher(settings, transport);
}
