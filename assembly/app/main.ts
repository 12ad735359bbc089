import { checkModeRequirements, loadSettings } from "../config/load";
import { RunMode, Settings } from "../config/settings";
import { HttpTransport } from "../http/types";
import { runPusher } from "../events/pusher";
import { parseHeaderLines, runHttpProbe } from "../probe/http-probe";
import { log } from "./log";

export const EXIT_CONFIG: i32 = 2;

const NETWORK_BUILDS = "use bin/event-pusher.wasm (wasmtime -S http, the Node runner) or bin/main.wasm (Bacalhau with networking)";

/** Returns why this build cannot do what the settings ask, or "" when it can. */
function checkBuildCanRun(settings: Settings, transport: HttpTransport | null, buildName: string): string {
  if (transport != null) return "";
  if (settings.runMode == RunMode.Http) return buildName + " has no network access, so it cannot make HTTP requests; " + NETWORK_BUILDS;
  if (!settings.simulate) return buildName + " has no network access, so it can only simulate (simulate: true); to send to SQS " + NETWORK_BUILDS;
  return "";
}

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

  // Missing settings come first: their message also offers simulate: true, which is what the
  // build without networking needs.
  let problem = checkModeRequirements(settings);
  if (problem.length == 0) problem = checkBuildCanRun(settings, transport, buildName);
  if (problem.length > 0) {
    log.error("configuration error: " + problem);
    return EXIT_CONFIG;
  }
  // Logged only once the configuration is valid, so that an error stays one line.
  for (let i = 0; i < loaded.notes.length; i++) log.info(loaded.notes[i]);

  if (settings.runMode == RunMode.Http) {
    // Already validated while loading, so the file line or variable was named there.
    return runHttpProbe(settings, transport!, parseHeaderLines(settings.headers).headers);
  }
  return runPusher(settings, transport);
}
