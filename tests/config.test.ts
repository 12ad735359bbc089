// Checks the configuration contract as a user meets it. The cases cover each key from the file
// and from its environment variables, file-over-environment precedence, the config file search
// order, the one-line errors for malformed files, the settings each mode needs, and secrets
// staying out of the output. Most cases run the preview1 build without networking
// (bin/event-pusher-nohttp.wasm), which carries exit code 2 for configuration errors, and a
// representative subset runs the component (bin/event-pusher.wasm), which exits 1 for every
// failure. Every run simulates or stops at a configuration error, so nothing is sent.
import { copyFileSync, mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { NOHTTP_MODULE, makeWorkDir, runComponent, runPreview1, type RunOptions, type RunResult } from "./support/run-module";

const NOHTTP_CONFIG_EXIT = 2;
const COMPONENT_FAILURE_EXIT = 1;

/** Text that shows a trap or an internal error rather than a configuration error. */
const TRAP_TEXT = /internal error|RuntimeError|wasm|abort/i;
/** TRAP_TEXT for messages that rightly name a build file such as bin/event-pusher.wasm or wasmtime. */
const TRAP_TEXT_EXCEPT_BUILD_NAMES = /internal error|RuntimeError|wasm:\/\/|abort|trapped/i;

/** Simulates two messages without waiting, so that a run that reads its config ends at once. */
const QUICK_SIMULATION = "simulate: true\nmax_messages: 2\nmax_interval_seconds: 0\n";
const QUICK_SIMULATION_ENV = { SIMULATE: "true", MAX_MESSAGES: "2", MAX_INTERVAL_SECONDS: "0" };

/** Credentials and a queue that make a run send for real, which the nohttp build rejects. */
const SENDING_ENV = {
  SQS_QUEUE_URL: "https://sqs.us-west-2.amazonaws.com/123456789012/events",
  AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};

interface Message {
  vm_name: string;
  icon_name: string;
  timestamp: string;
  color: string;
  container_id: string;
}

function runNohttp(options: RunOptions = {}): Promise<RunResult> {
  return runPreview1(NOHTTP_MODULE, { timeoutMs: 20_000, ...options });
}

/** Runs `run` on every item, a few at a time, so that the runs share the two cores. */
async function inBatches<T, R>(items: T[], batchSize: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += batchSize) {
    results.push(...(await Promise.all(items.slice(start, start + batchSize).map(run))));
  }
  return results;
}

/**
 * Returns the program's own stderr lines. The Node runner may rebuild a stale component first
 * and report that on stderr, so those lines are dropped.
 */
function programLines(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((line) => line.length > 0)
    .filter((line) => !/^(event-pusher: building |componentize: |build_wasm\.sh: )/.test(line));
}

function messagesOf(result: RunResult): Message[] {
  const lines = result.stdout.split("\n");
  expect(lines.pop(), `stdout ends with a newline; stdout: ${result.stdout}`).toBe("");
  return lines.map((line) => JSON.parse(line) as Message);
}

/** Asserts a successful simulation and returns its messages. */
function expectSimulated(result: RunResult, what: string): Message[] {
  expect(result.exitCode, `${what}: exit code; stderr: ${result.stderr}`).toBe(0);
  return messagesOf(result);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

interface ConfigErrorOptions {
  /** The pattern that must not match stdout or stderr; TRAP_TEXT unless the message names a build. */
  trapText?: RegExp;
  /**
   * True for errors found after the configuration loaded, such as a build that cannot do what
   * the mode requests. The info line naming the config source comes first there.
   */
  infoLinesAllowed?: boolean;
}

/** Options for the nohttp build's refusal to send or to make HTTP requests. */
const BUILD_REFUSAL: ConfigErrorOptions = { trapText: TRAP_TEXT_EXCEPT_BUILD_NAMES, infoLinesAllowed: true };

/**
 * Asserts that a run stopped with exactly one configuration error line containing each of
 * `parts`, printed nothing on stdout and exited with `exitCode`. Returns that line.
 */
function expectConfigError(result: RunResult, exitCode: number, parts: (string | RegExp)[], options: ConfigErrorOptions = {}): string {
  const shown = `stderr: ${result.stderr}`;
  let lines = programLines(result.stderr);
  if (options.infoLinesAllowed) lines = lines.filter((line) => !line.startsWith("event-pusher info: "));
  expect(lines, `one stderr line; ${shown}`).toHaveLength(1);
  const line = lines[0];
  expect(line, shown).toMatch(/^event-pusher error: configuration error: /);
  for (const part of parts) {
    if (typeof part === "string") expect(line, shown).toContain(part);
    else expect(line, shown).toMatch(part);
  }
  expect(result.stdout, "stdout").toBe("");
  expect(programLines(result.stderr).join("\n"), "no trap").not.toMatch(options.trapText ?? TRAP_TEXT);
  expect(result.exitCode, `exit code; ${shown}`).toBe(exitCode);
  return line;
}

// ---------------------------------------------------------------------------

describe("keys from the file and the environment", () => {
  it("vm_name from file and fallbacks", async () => {
    const cases: { what: string; files?: Record<string, string>; env: Record<string, string>; expected: string }[] = [
      { what: "file", files: { "config.yaml": `${QUICK_SIMULATION}vm_name: edge-file\n` }, env: { HOSTNAME: "host-1" }, expected: "edge-file" },
      { what: "VM_NAME", env: { VM_NAME: "edge-vm", POD_NAME: "pod-1", HOSTNAME: "host-1" }, expected: "edge-vm" },
      { what: "POD_NAME without VM_NAME", env: { POD_NAME: "pod-1", HOSTNAME: "host-1" }, expected: "pod-1" },
      { what: "HOSTNAME alone", env: { HOSTNAME: "host-1" }, expected: "host-1" },
      { what: "empty VM_NAME counts as unset", env: { VM_NAME: "", POD_NAME: "pod-2" }, expected: "pod-2" },
      { what: "default", env: {}, expected: "default" },
    ];
    const results = await inBatches(cases, 6, (entry) =>
      runNohttp({ files: entry.files ?? {}, env: { ...QUICK_SIMULATION_ENV, ...entry.env } }),
    );
    cases.forEach((entry, index) => {
      const messages = expectSimulated(results[index], entry.what);
      expect(messages, entry.what).toHaveLength(2);
      for (const message of messages) expect(message.vm_name, entry.what).toBe(entry.expected);
    });
  });

  it("color, count and simulate from both", async () => {
    const [fromFile, fromEnv, defaults] = await Promise.all([
      runNohttp({ files: { "config.yaml": 'simulate: yes\nmax_messages: 4\nmax_interval_seconds: 0\ncolor: "#12aB9f"\n' } }),
      runNohttp({ env: { SIMULATE: "on", MAX_MESSAGES: "3", MAX_INTERVAL_SECONDS: "0", COLOR: "#0A0" } }),
      runNohttp({ env: { SIMULATE: "true", MAX_MESSAGES: "1" } }),
    ]);

    const fileMessages = expectSimulated(fromFile, "file");
    expect(fileMessages).toHaveLength(4);
    for (const message of fileMessages) expect(message.color).toBe("#12aB9f");

    const envMessages = expectSimulated(fromEnv, "environment");
    expect(envMessages).toHaveLength(3);
    for (const message of envMessages) expect(message.color).toBe("#0A0");

    const defaultMessages = expectSimulated(defaults, "defaults");
    expect(defaultMessages).toHaveLength(1);
    expect(defaultMessages[0].color).toBe("#000000");
    expect(defaultMessages[0].vm_name).toBe("default");
  });

  it("max_interval_seconds from both", async () => {
    // One message never waits, so the start-up line is the way to see the interval that was read.
    const [fromFile, fromEnv, defaults] = await Promise.all([
      runNohttp({ files: { "config.yaml": "simulate: true\nmax_messages: 1\nmax_interval_seconds: 2.5\n" } }),
      runNohttp({ env: { SIMULATE: "true", MAX_MESSAGES: "1", MAX_INTERVAL_SECONDS: "7" } }),
      runNohttp({ env: { SIMULATE: "true", MAX_MESSAGES: "1" } }),
    ]);
    expectSimulated(fromFile, "file");
    expect(fromFile.stderr).toContain("at most 2.5 s apart");
    expectSimulated(fromEnv, "environment");
    expect(fromEnv.stderr).toContain("at most 7.0 s apart");
    expectSimulated(defaults, "defaults");
    expect(defaults.stderr).toContain("at most 5.0 s apart");
  });

  it("log_level from both", async () => {
    const [fromFile, fromEnv, defaults] = await Promise.all([
      runNohttp({ files: { "config.yaml": `${QUICK_SIMULATION}log_level: error\n` } }),
      runNohttp({ env: { ...QUICK_SIMULATION_ENV, LOG_LEVEL: "ERROR" } }),
      runNohttp({ env: QUICK_SIMULATION_ENV }),
    ]);
    expect(expectSimulated(fromFile, "file")).toHaveLength(2);
    expect(fromFile.stderr, "log_level: error hides the info lines").toBe("");
    expect(expectSimulated(fromEnv, "environment")).toHaveLength(2);
    expect(fromEnv.stderr, "LOG_LEVEL=ERROR hides the info lines").toBe("");
    expectSimulated(defaults, "defaults");
    expect(defaults.stderr).toMatch(/^event-pusher info: summary: sent 2,/m);
  });

  it("mode and url from both", async () => {
    const [httpFromFile, httpFromEnv, urlFromFile, urlFromEnv, pusherFromEnv] = await Promise.all([
      runNohttp({ files: { "config.yaml": `${QUICK_SIMULATION}mode: http\n` } }),
      runNohttp({ env: { ...QUICK_SIMULATION_ENV, MODE: "HTTP" } }),
      runNohttp({ files: { "config.yaml": "url: https://example.com/health\n" } }),
      runNohttp({ env: { HTTP_URL: "https://example.com/health" } }),
      runNohttp({ env: { ...QUICK_SIMULATION_ENV, MODE: "event-pusher", HTTP_URL: "https://example.com/health" } }),
    ]);
    expectConfigError(httpFromFile, NOHTTP_CONFIG_EXIT, ["missing settings for http mode: url (HTTP_URL)"]);
    expectConfigError(httpFromEnv, NOHTTP_CONFIG_EXIT, ["missing settings for http mode: url (HTTP_URL)"]);
    // A url alone makes mode auto choose http, which this build cannot do.
    expectConfigError(urlFromFile, NOHTTP_CONFIG_EXIT, ["cannot make HTTP requests"], BUILD_REFUSAL);
    expectConfigError(urlFromEnv, NOHTTP_CONFIG_EXIT, ["cannot make HTTP requests"], BUILD_REFUSAL);
    expect(expectSimulated(pusherFromEnv, "MODE=event-pusher with HTTP_URL set")).toHaveLength(2);
  });

  it("queue_url and credentials from both", async () => {
    const [accessKeyFromFile, accessKeyFromEnv, queueFromEnv, allFromFile, allFromEnv] = await Promise.all([
      runNohttp({ files: { "config.yaml": "access_key: AKIDEXAMPLE\n" } }),
      runNohttp({ env: { AWS_ACCESS_KEY_ID: "AKIDEXAMPLE" } }),
      runNohttp({ env: { SQS_QUEUE_URL: SENDING_ENV.SQS_QUEUE_URL } }),
      runNohttp({
        files: {
          "config.yaml": `queue_url: ${SENDING_ENV.SQS_QUEUE_URL}\naccess_key: AKIDEXAMPLE\nsecret_key: "${SENDING_ENV.AWS_SECRET_ACCESS_KEY}"\n`,
        },
      }),
      runNohttp({ env: SENDING_ENV }),
    ]);

    for (const [what, result] of [["access_key in the file", accessKeyFromFile], ["AWS_ACCESS_KEY_ID", accessKeyFromEnv]] as const) {
      const line = expectConfigError(result, NOHTTP_CONFIG_EXIT, ["queue_url (SQS_QUEUE_URL)", "secret_key (AWS_SECRET_ACCESS_KEY)"]);
      expect(line, what).not.toContain("access_key");
    }
    const line = expectConfigError(queueFromEnv, NOHTTP_CONFIG_EXIT, ["access_key (AWS_ACCESS_KEY_ID)", "secret_key (AWS_SECRET_ACCESS_KEY)"]);
    expect(line, "SQS_QUEUE_URL").not.toContain("queue_url");

    // With all three set nothing is missing, so the run reaches this build's refusal to send.
    for (const result of [allFromFile, allFromEnv]) {
      expectConfigError(result, NOHTTP_CONFIG_EXIT, ["has no network access, so it can only simulate"], BUILD_REFUSAL);
    }
  });

  it("message_group_id from both", async () => {
    // A FIFO queue needs a valid MessageGroupId, which defaults to vm_name.
    const fifo = { ...SENDING_ENV, SQS_QUEUE_URL: "https://sqs.us-west-2.amazonaws.com/123456789012/events.fifo", VM_NAME: "edge 7" };
    const [fromDefault, fromEnv, fromFile] = await Promise.all([
      runNohttp({ env: fifo }),
      runNohttp({ env: { ...fifo, MESSAGE_GROUP_ID: "group-7" } }),
      runNohttp({ env: fifo, files: { "config.yaml": "message_group_id: group-7\n" } }),
    ]);
    expectConfigError(fromDefault, NOHTTP_CONFIG_EXIT, ['message_group_id (default: vm_name) "edge 7" is not a valid FIFO MessageGroupId']);
    expectConfigError(fromEnv, NOHTTP_CONFIG_EXIT, ["can only simulate"], BUILD_REFUSAL);
    expectConfigError(fromFile, NOHTTP_CONFIG_EXIT, ["can only simulate"], BUILD_REFUSAL);
  });

  // Each invalid value names where it came from: the variable, or the file, line and key.
  const INVALID_VALUES: { key: string; variable: string; value: string; detail: string }[] = [
    { key: "mode", variable: "MODE", value: "fast", detail: 'invalid value "fast"; expected one of auto, http, event-pusher' },
    { key: "method", variable: "HTTP_METHOD", value: "FETCH", detail: 'invalid value "FETCH"; expected one of GET, POST' },
    { key: "url", variable: "HTTP_URL", value: "example.com/health", detail: 'invalid URL "example.com/health"' },
    { key: "headers", variable: "HTTP_HEADERS", value: "no-colon-here", detail: 'header line 1 "no-colon-here" has no "Name: value" form' },
    { key: "queue_url", variable: "SQS_QUEUE_URL", value: "ftp://example.com/queue", detail: 'URL scheme "ftp" is not supported' },
    { key: "color", variable: "COLOR", value: "red", detail: 'invalid colour "red"' },
    { key: "max_interval_seconds", variable: "MAX_INTERVAL_SECONDS", value: "soon", detail: 'invalid number of seconds "soon"' },
    { key: "random_off", variable: "RANDOM_OFF", value: "maybe", detail: 'invalid boolean "maybe"' },
    { key: "max_messages", variable: "MAX_MESSAGES", value: "-1", detail: 'invalid number "-1"' },
    { key: "simulate", variable: "SIMULATE", value: "sometimes", detail: 'invalid boolean "sometimes"' },
    { key: "sqs_protocol", variable: "SQS_PROTOCOL", value: "soap", detail: 'invalid value "soap"; expected one of json, query' },
    { key: "log_level", variable: "LOG_LEVEL", value: "verbose", detail: 'invalid value "verbose"; expected one of error, warn, info, debug' },
    { key: "request_timeout_seconds", variable: "REQUEST_TIMEOUT_SECONDS", value: "0", detail: "request_timeout_seconds must be more than 0" },
    { key: "max_retries", variable: "MAX_RETRIES", value: "101", detail: "max_retries 101 is too large" },
    { key: "message_group_id", variable: "MESSAGE_GROUP_ID", value: "group 7", detail: 'invalid message_group_id "group 7"' },
    { key: "endpoint_url", variable: "AWS_ENDPOINT_URL_SQS", value: "localhost:9324", detail: 'invalid URL "localhost:9324"' },
    { key: "endpoint_url", variable: "AWS_ENDPOINT_URL", value: "localhost:9324", detail: 'invalid URL "localhost:9324"' },
  ];

  it("invalid variable values name the variable", async () => {
    const results = await inBatches(INVALID_VALUES, 6, (entry) =>
      runNohttp({ env: { ...QUICK_SIMULATION_ENV, [entry.variable]: entry.value } }),
    );
    INVALID_VALUES.forEach((entry, index) => {
      expectConfigError(results[index], NOHTTP_CONFIG_EXIT, [`environment variable ${entry.variable}: `, entry.detail]);
    });
  });

  it("invalid file values name the line", async () => {
    const fileEntries = INVALID_VALUES.filter((entry) => entry.variable !== "AWS_ENDPOINT_URL");
    // The environment simulates, so a file value that was skipped would let the run succeed.
    const results = await inBatches(fileEntries, 6, (entry) =>
      runNohttp({ files: { "config.yaml": `# one setting\n${entry.key}: "${entry.value}"\n` }, env: QUICK_SIMULATION_ENV }),
    );
    fileEntries.forEach((entry, index) => {
      expectConfigError(results[index], NOHTTP_CONFIG_EXIT, [`config.yaml line 2, key ${entry.key}: `, entry.detail]);
    });
  });

  it("AWS_ENDPOINT_URL_SQS before AWS_ENDPOINT_URL", async () => {
    const [sqsValid, sqsInvalid] = await Promise.all([
      runNohttp({ env: { ...QUICK_SIMULATION_ENV, AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:9324", AWS_ENDPOINT_URL: "not a url" } }),
      runNohttp({ env: { ...QUICK_SIMULATION_ENV, AWS_ENDPOINT_URL_SQS: "not a url", AWS_ENDPOINT_URL: "http://127.0.0.1:9324" } }),
    ]);
    // When AWS_ENDPOINT_URL_SQS is set, AWS_ENDPOINT_URL is never read, so its bad value is no error.
    expect(expectSimulated(sqsValid, "valid AWS_ENDPOINT_URL_SQS")).toHaveLength(2);
    expectConfigError(sqsInvalid, NOHTTP_CONFIG_EXIT, ["environment variable AWS_ENDPOINT_URL_SQS: invalid URL"]);
  });

  it("request-only keys are accepted", async () => {
    // region, session_token and body change only what is sent, so the tests that send check
    // their effect. This test checks that each is a known key read without error.
    const file = `${QUICK_SIMULATION}region: eu-west-1\nsession_token: "FwoGZXIvYXdzEXAMPLE"\nbody: '{"ok": true}'\nheaders: "Accept: text/plain"\n`;
    const [fromFile, fromEnv, fromDefaultRegion] = await Promise.all([
      runNohttp({ files: { "config.yaml": file } }),
      runNohttp({ env: { ...QUICK_SIMULATION_ENV, AWS_REGION: "eu-west-1", AWS_SESSION_TOKEN: "FwoGZXIvYXdzEXAMPLE", HTTP_BODY: "{}" } }),
      runNohttp({ env: { ...QUICK_SIMULATION_ENV, AWS_DEFAULT_REGION: "ap-south-1" } }),
    ]);
    expect(expectSimulated(fromFile, "file")).toHaveLength(2);
    expect(expectSimulated(fromEnv, "environment")).toHaveLength(2);
    expect(expectSimulated(fromDefaultRegion, "AWS_DEFAULT_REGION")).toHaveLength(2);
  });
});

describe("file over environment", () => {
  it("file wins, environment fills the rest", async () => {
    const [result, fileColourOverBadEnv, badEnvColour] = await Promise.all([
      runNohttp({
        files: { "config.yaml": "simulate: true\nmax_interval_seconds: 0\nvm_name: from-file\nmax_messages: 2\n" },
        env: { VM_NAME: "from-env", MAX_MESSAGES: "5", COLOR: "#123456", SIMULATE: "false" },
      }),
      runNohttp({ files: { "config.yaml": `${QUICK_SIMULATION}color: "#ABC"\n` }, env: { COLOR: "red" } }),
      runNohttp({ files: { "config.yaml": QUICK_SIMULATION }, env: { COLOR: "red" } }),
    ]);

    const messages = expectSimulated(result, "file and environment");
    expect(messages, "max_messages from the file, not MAX_MESSAGES").toHaveLength(2);
    for (const message of messages) {
      expect(message.vm_name, "vm_name from the file").toBe("from-file");
      expect(message.color, "color from COLOR").toBe("#123456");
    }

    // The file's colour means COLOR is never read, so its invalid value is no error.
    const colourMessages = expectSimulated(fileColourOverBadEnv, "file colour over invalid COLOR");
    for (const message of colourMessages) expect(message.color).toBe("#ABC");
    expectConfigError(badEnvColour, NOHTTP_CONFIG_EXIT, ['environment variable COLOR: invalid colour "red"']);
  });
});

describe("config file search order", () => {
  it("argument path before ./config.yaml", async () => {
    const files = {
      "config.yaml": `${QUICK_SIMULATION}vm_name: from-default-file\n`,
      "settings/edge.yaml": `${QUICK_SIMULATION}vm_name: from-argument\n`,
    };
    const [nohttp, component] = await Promise.all([
      runNohttp({ files, args: ["settings/edge.yaml"] }),
      runComponent({ files, args: ["settings/edge.yaml"] }),
    ]);
    for (const [what, result] of [["nohttp", nohttp], ["component", component]] as const) {
      const messages = expectSimulated(result, what);
      expect(messages, what).toHaveLength(2);
      for (const message of messages) expect(message.vm_name, what).toBe("from-argument");
      expect(result.stderr, what).toContain("read configuration from settings/edge.yaml");
    }
  });

  it("./config.yaml without an argument", async () => {
    const files = { "config.yaml": `${QUICK_SIMULATION}vm_name: from-default-file\n` };
    const [nohttp, component] = await Promise.all([runNohttp({ files }), runComponent({ files })]);
    for (const [what, result] of [["nohttp", nohttp], ["component", component]] as const) {
      const messages = expectSimulated(result, what);
      for (const message of messages) expect(message.vm_name, what).toBe("from-default-file");
      expect(result.stderr, what).toContain("read configuration from config.yaml");
    }
  });

  it("config.yaml beside argv[0] after ./config.yaml", async () => {
    // node-wasi-run.mjs passes the module path as argv[0], as wasmtime passes the module's name,
    // so running a copy at build/event-pusher-nohttp.wasm makes argv[0] a relative path.
    const moduleCopy = join("build", basename(NOHTTP_MODULE));
    const besideOnly = makeWorkDir({ "build/config.yaml": `${QUICK_SIMULATION}vm_name: beside-module\n` });
    const both = makeWorkDir({
      "build/config.yaml": `${QUICK_SIMULATION}vm_name: beside-module\n`,
      "config.yaml": `${QUICK_SIMULATION}vm_name: from-working-dir\n`,
    });
    for (const dir of [besideOnly, both]) {
      mkdirSync(join(dir, "build"), { recursive: true });
      copyFileSync(NOHTTP_MODULE, join(dir, moduleCopy));
    }
    const [besideResult, bothResult] = await Promise.all([
      runPreview1(moduleCopy, { cwd: besideOnly, env: {} }),
      runPreview1(moduleCopy, { cwd: both, env: {} }),
    ]);

    for (const message of expectSimulated(besideResult, "config.yaml beside argv[0]")) expect(message.vm_name).toBe("beside-module");
    expect(besideResult.stderr).toContain("read configuration from build/config.yaml");
    for (const message of expectSimulated(bothResult, "both files")) expect(message.vm_name).toBe("from-working-dir");
  });

  // NOTE: /app/config.yaml, the last place searched, is not reachable here because node:wasi and
  // the Node runner preopen only the working directory. The no-file test checks that it is searched.

  it("no file means the environment alone", async () => {
    const [nohttp, component] = await Promise.all([
      runNohttp({ env: { ...QUICK_SIMULATION_ENV, VM_NAME: "env-only" } }),
      runComponent({ env: { ...QUICK_SIMULATION_ENV, VM_NAME: "env-only" } }),
    ]);
    for (const [what, result] of [["nohttp", nohttp], ["component", component]] as const) {
      const messages = expectSimulated(result, what);
      expect(messages, what).toHaveLength(2);
      for (const message of messages) expect(message.vm_name, what).toBe("env-only");
      expect(result.stderr, what).toMatch(/no config file found \(looked for config\.yaml, .*\/app\/config\.yaml\); using environment variables only/);
    }
  });

  it("missing named file is an error, never a fallback", async () => {
    // A valid ./config.yaml and environment must not stand in for the named file.
    const options = { files: { "config.yaml": QUICK_SIMULATION }, env: QUICK_SIMULATION_ENV, args: ["missing.yaml"] };
    const [nohttp, component] = await Promise.all([runNohttp(options), runComponent(options)]);
    expectConfigError(nohttp, NOHTTP_CONFIG_EXIT, ["config file missing.yaml not found"], { trapText: TRAP_TEXT_EXCEPT_BUILD_NAMES });
    expectConfigError(component, COMPONENT_FAILURE_EXIT, ["config file missing.yaml not found"], { trapText: TRAP_TEXT_EXCEPT_BUILD_NAMES });
  });
});

// ---------------------------------------------------------------------------

interface MalformedCase {
  name: string;
  text: string;
  line: number;
  /** The key the error must name; null only where the failing line contains no key and follows none. */
  key: string | null;
  detail: RegExp;
}

// Each text starts with valid simulation settings, so a parser that skipped the bad line
// would print messages and exit 0 instead of failing.
const MALFORMED: MalformedCase[] = [
  { name: "unknown key", text: `${QUICK_SIMULATION}max_mesages: 3\n`, line: 4, key: "max_mesages", detail: /unknown key; did you mean "max_messages"\?/ },
  { name: "unknown key, British spelling", text: `${QUICK_SIMULATION}colour: "#FFF"\n`, line: 4, key: "colour", detail: /did you mean "color"\?/ },
  { name: "unknown key far from any", text: `${QUICK_SIMULATION}zzzzzzzz: 1\n`, line: 4, key: "zzzzzzzz", detail: /unknown key; see the configuration reference/ },
  { name: "boolean", text: "simulate: maybe\nmax_messages: 2\n", line: 1, key: "simulate", detail: /invalid boolean "maybe"; expected true\/false, yes\/no, on\/off or 1\/0/ },
  { name: "number", text: `${QUICK_SIMULATION}max_retries: three\n`, line: 4, key: "max_retries", detail: /invalid number "three"/ },
  { name: "fractional count", text: "simulate: true\nmax_messages: 2.5\n", line: 2, key: "max_messages", detail: /invalid number "2\.5"; expected a whole number/ },
  { name: "negative number", text: "simulate: true\nmax_messages: -2\n", line: 2, key: "max_messages", detail: /invalid number "-2"/ },
  { name: "negative seconds", text: "simulate: true\nmax_messages: 2\nmax_interval_seconds: -0.5\n", line: 3, key: "max_interval_seconds", detail: /invalid number of seconds "-0\.5"/ },
  { name: "colour word", text: `${QUICK_SIMULATION}color: red\n`, line: 4, key: "color", detail: /invalid colour "red"; expected #RRGGBB or #RGB/ },
  { name: "colour with non-hex digits", text: `${QUICK_SIMULATION}color: "#GGG"\n`, line: 4, key: "color", detail: /invalid colour "#GGG"/ },
  { name: "colour unquoted", text: `${QUICK_SIMULATION}color: #FF5500\n`, line: 4, key: "color", detail: /empty value; .*comment, so quote it \(color: "#FF5500"\)/ },
  { name: "URL without scheme", text: `${QUICK_SIMULATION}queue_url: sqs.us-west-2.amazonaws.com/1/q\n`, line: 4, key: "queue_url", detail: /invalid URL .*no scheme/ },
  { name: "mode", text: `${QUICK_SIMULATION}mode: push\n`, line: 4, key: "mode", detail: /invalid value "push"; expected one of auto, http, event-pusher/ },
  { name: "protocol", text: `${QUICK_SIMULATION}sqs_protocol: xml\n`, line: 4, key: "sqs_protocol", detail: /invalid value "xml"; expected one of json, query/ },
  { name: "log level", text: `${QUICK_SIMULATION}log_level: trace\n`, line: 4, key: "log_level", detail: /invalid value "trace"/ },
  { name: "method", text: `${QUICK_SIMULATION}method: FETCH\n`, line: 4, key: "method", detail: /invalid value "FETCH"; expected one of GET, POST/ },
  { name: "nested mapping", text: `${QUICK_SIMULATION}vm_name:\n  first: edge\n`, line: 5, key: "vm_name", detail: /nested mappings are not supported/ },
  { name: "list", text: `${QUICK_SIMULATION}vm_name:\n  - edge-1\n  - edge-2\n`, line: 5, key: "vm_name", detail: /sequences .*are not supported/ },
  { name: "flow list", text: `${QUICK_SIMULATION}vm_name: [edge-1, edge-2]\n`, line: 4, key: "vm_name", detail: /flow collections .* are not supported/ },
  { name: "flow map", text: `${QUICK_SIMULATION}vm_name: {first: edge}\n`, line: 4, key: "vm_name", detail: /flow collections .* are not supported/ },
  { name: "anchor", text: `${QUICK_SIMULATION}vm_name: &name edge\n`, line: 4, key: "vm_name", detail: /anchors .* are not supported/ },
  { name: "alias", text: `${QUICK_SIMULATION}vm_name: edge\ncolor: *name\n`, line: 5, key: "color", detail: /aliases .* are not supported/ },
  { name: "block scalar", text: `${QUICK_SIMULATION}vm_name: |\n  edge\n`, line: 4, key: "vm_name", detail: /block scalars .* are not supported/ },
  // The "---" line contains no key and does not continue the entry before it.
  { name: "two documents", text: `${QUICK_SIMULATION}---\nvm_name: edge\n`, line: 4, key: null, detail: /several documents are not supported/ },
  { name: "duplicate key", text: `vm_name: edge-1\n${QUICK_SIMULATION}vm_name: edge-2\n`, line: 5, key: "vm_name", detail: /duplicate key \(first set on line 1\)/ },
  { name: "tab indentation", text: `${QUICK_SIMULATION}\tvm_name: edge\n`, line: 4, key: "vm_name", detail: /tabs are not allowed as indentation/ },
  { name: "unterminated double quote", text: `${QUICK_SIMULATION}vm_name: "edge\n`, line: 4, key: "vm_name", detail: /unterminated double-quoted string/ },
  { name: "unterminated single quote", text: `${QUICK_SIMULATION}vm_name: 'edge\n`, line: 4, key: "vm_name", detail: /unterminated single-quoted string/ },
  { name: "bad escape", text: `${QUICK_SIMULATION}vm_name: "edge\\q"\n`, line: 4, key: "vm_name", detail: /invalid escape "\\q"/ },
  { name: "control character SQS rejects", text: `${QUICK_SIMULATION}vm_name: "edge\\x01"\n`, line: 4, key: "vm_name", detail: /U\+0001, which SQS does not accept/ },
];

/** Checks one malformed-file error line for the file, the line and the key. */
function expectMalformedError(result: RunResult, exitCode: number, file: string, entry: MalformedCase): void {
  const line = expectConfigError(result, exitCode, [`${file} line ${entry.line}`, entry.detail]);
  if (entry.key !== null) {
    const key = escapeRegExp(entry.key);
    expect(line, `names the key ${entry.key}`).toMatch(new RegExp(`key ${key}\\b|"${key}"`));
  }
}

/** Runs `check` on every case and returns "name: failure" for each that failed, so one run reports all. */
function collectFailures(cases: MalformedCase[], check: (entry: MalformedCase, index: number) => void): string[] {
  const failures: string[] = [];
  cases.forEach((entry, index) => {
    try {
      check(entry, index);
    } catch (error) {
      failures.push(`${entry.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return failures;
}

describe("malformed config files", () => {
  it("one error line each (nohttp)", async () => {
    const results = await inBatches(MALFORMED, 6, (entry) =>
      runNohttp({ files: { "edge settings.yaml": entry.text }, args: ["edge settings.yaml"] }),
    );
    const failures = collectFailures(MALFORMED, (entry, index) => expectMalformedError(results[index], NOHTTP_CONFIG_EXIT, "edge settings.yaml", entry));
    expect(failures).toEqual([]);
  });

  it("one error line each (component)", async () => {
    const subset = MALFORMED.filter((entry) => ["unknown key", "colour unquoted", "tab indentation", "bad escape", "nested mapping"].includes(entry.name));
    expect(subset).toHaveLength(5);
    const results = await inBatches(subset, 5, (entry) => runComponent({ files: { "config.yaml": entry.text } }));
    const failures = collectFailures(subset, (entry, index) => expectMalformedError(results[index], COMPONENT_FAILURE_EXIT, "config.yaml", entry));
    expect(failures).toEqual([]);
  });

  it("vm_name: 123 is a string", async () => {
    const cases = [
      { text: "vm_name: 123\n", expected: "123" },
      { text: "vm_name: 007\n", expected: "007" },
      { text: "vm_name: 1.50\n", expected: "1.50" },
      { text: "vm_name: true\n", expected: "true" },
      { text: "vm_name: 0x1F\n", expected: "0x1F" },
    ];
    const results = await inBatches(cases, 5, (entry) => runNohttp({ files: { "config.yaml": QUICK_SIMULATION + entry.text } }));
    cases.forEach((entry, index) => {
      const messages = expectSimulated(results[index], entry.text);
      for (const message of messages) expect(message.vm_name, entry.text).toBe(entry.expected);
      expect(results[index].stdout, entry.text).toContain(`"vm_name":${JSON.stringify(entry.expected)}`);
    });
  });

  it("booleans accept every word pair", async () => {
    const trueWords = ["true", "TRUE", "True", "yes", "YES", "Yes", "on", "ON", "oN", "1"];
    const falseWords = ["false", "FALSE", "no", "No", "off", "OFF", "0"];
    const words = [...trueWords, ...falseWords];
    const fromFile = await inBatches(words, 6, (word) =>
      runNohttp({ files: { "config.yaml": `simulate: ${word}\nmax_messages: 1\n` } }),
    );
    const fromEnv = await inBatches(["Yes", "ON", "no", "Off"], 4, (word) =>
      runNohttp({ env: { SIMULATE: word, MAX_MESSAGES: "1" } }),
    );

    words.forEach((word, index) => {
      const result = fromFile[index];
      if (trueWords.includes(word)) {
        expect(expectSimulated(result, `simulate: ${word}`), `simulate: ${word}`).toHaveLength(1);
      } else {
        // Not simulating without a queue or credentials is the missing-settings error.
        expectConfigError(result, NOHTTP_CONFIG_EXIT, ["missing settings to send to SQS"]);
      }
    });
    expect(expectSimulated(fromEnv[0], "SIMULATE=Yes")).toHaveLength(1);
    expect(expectSimulated(fromEnv[1], "SIMULATE=ON")).toHaveLength(1);
    expectConfigError(fromEnv[2], NOHTTP_CONFIG_EXIT, ["missing settings to send to SQS"]);
    expectConfigError(fromEnv[3], NOHTTP_CONFIG_EXIT, ["missing settings to send to SQS"]);
  });

  it("CRLF and BOM are tolerated", async () => {
    const text = "simulate: true\r\nmax_messages: 2\r\nmax_interval_seconds: 0\r\nvm_name: edge-crlf\r\ncolor: \"#F50\"\r\n";
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
    const [crlf, bom] = await Promise.all([
      runNohttp({ files: { "config.yaml": text } }),
      runNohttp({ files: { "config.yaml": withBom } }),
    ]);
    for (const [what, result] of [["CRLF", crlf], ["BOM and CRLF", bom]] as const) {
      const messages = expectSimulated(result, what);
      expect(messages, what).toHaveLength(2);
      for (const message of messages) {
        expect(message.vm_name, what).toBe("edge-crlf");
        expect(message.color, what).toBe("#F50");
      }
    }
  });
});

describe("settings each mode needs", () => {
  it("sending lists every missing setting", async () => {
    const [nohttp, component] = await Promise.all([
      runNohttp({ files: { "config.yaml": "max_messages: 1\n" } }),
      runComponent({ files: { "config.yaml": "max_messages: 1\n" } }),
    ]);
    const missing = [
      "missing settings to send to SQS: queue_url (SQS_QUEUE_URL), access_key (AWS_ACCESS_KEY_ID), secret_key (AWS_SECRET_ACCESS_KEY)",
      "simulate: true",
    ];
    expectConfigError(nohttp, NOHTTP_CONFIG_EXIT, missing);
    expectConfigError(component, COMPONENT_FAILURE_EXIT, missing);
  });

  it("http mode without url fails", async () => {
    const [nohttp, component] = await Promise.all([
      runNohttp({ files: { "config.yaml": "mode: http\nmethod: POST\n" } }),
      runComponent({ files: { "config.yaml": "mode: http\nmethod: POST\n" } }),
    ]);
    expectConfigError(nohttp, NOHTTP_CONFIG_EXIT, ["missing settings for http mode: url (HTTP_URL)"]);
    expectConfigError(component, COMPONENT_FAILURE_EXIT, ["missing settings for http mode: url (HTTP_URL)"]);
  });

  it("auto mode picks http for url", async () => {
    const [urlOnly, urlAndQueue] = await Promise.all([
      runNohttp({ files: { "config.yaml": "mode: auto\nurl: https://example.com/health\n" } }),
      runNohttp({ files: { "config.yaml": `${QUICK_SIMULATION}mode: auto\nurl: https://example.com/health\nqueue_url: ${SENDING_ENV.SQS_QUEUE_URL}\n` } }),
    ]);
    expectConfigError(urlOnly, NOHTTP_CONFIG_EXIT, ["bin/event-pusher-nohttp.wasm has no network access, so it cannot make HTTP requests", "use bin/event-pusher.wasm"], BUILD_REFUSAL);
    // With a queue_url as well, auto means event-pusher.
    expect(expectSimulated(urlAndQueue, "url and queue_url")).toHaveLength(2);
  });

  it("nohttp send names the right build", async () => {
    const result = await runNohttp({ env: { ...SENDING_ENV, MAX_MESSAGES: "1" } });
    expectConfigError(
      result,
      NOHTTP_CONFIG_EXIT,
      ["bin/event-pusher-nohttp.wasm has no network access, so it can only simulate (simulate: true)", "to send to SQS use bin/event-pusher.wasm"],
      BUILD_REFUSAL,
    );
  });
});

describe("secrets", () => {
  const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzSECRETzKEY";
  const TOKEN = "FwoGZXIvYXdzEJr//////////wEaDzTOKENzVALUE";
  const CREDENTIALS_FILE = `queue_url: ${SENDING_ENV.SQS_QUEUE_URL}\naccess_key: AKIDEXAMPLE\nsecret_key: "${SECRET}"\nsession_token: "${TOKEN}"\n`;
  const CREDENTIALS_ENV = { SQS_QUEUE_URL: SENDING_ENV.SQS_QUEUE_URL, AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN };

  function expectNoSecrets(result: RunResult, what: string): void {
    for (const output of [result.stdout, result.stderr]) {
      expect(output, what).not.toContain(SECRET);
      expect(output, what).not.toContain(TOKEN);
      // A secret cut short would still leak most of it.
      expect(output, what).not.toContain(SECRET.slice(0, 12));
      expect(output, what).not.toContain(TOKEN.slice(0, 12));
    }
  }

  it("never appear in any output", async () => {
    const cases: { what: string; options: RunOptions; exit: number; component?: boolean }[] = [
      { what: "file secrets, colour error", options: { files: { "config.yaml": `${CREDENTIALS_FILE}color: red\n` } }, exit: NOHTTP_CONFIG_EXIT },
      { what: "file secrets, unknown key", options: { files: { "config.yaml": `${CREDENTIALS_FILE}max_mesages: 3\n` } }, exit: NOHTTP_CONFIG_EXIT },
      { what: "file secrets, YAML error", options: { files: { "config.yaml": `${CREDENTIALS_FILE}vm_name: "edge\n` } }, exit: NOHTTP_CONFIG_EXIT },
      { what: "duplicate secret_key", options: { files: { "config.yaml": `${CREDENTIALS_FILE}secret_key: "${SECRET}"\n` } }, exit: NOHTTP_CONFIG_EXIT },
      { what: "environment secrets, file error", options: { env: CREDENTIALS_ENV, files: { "config.yaml": "max_retries: many\n" } }, exit: NOHTTP_CONFIG_EXIT },
      { what: "environment secrets, environment error", options: { env: { ...CREDENTIALS_ENV, MAX_MESSAGES: "x" } }, exit: NOHTTP_CONFIG_EXIT },
      { what: "secrets and the nohttp refusal", options: { env: { ...CREDENTIALS_ENV, LOG_LEVEL: "debug" } }, exit: NOHTTP_CONFIG_EXIT },
      { what: "secrets while simulating at debug level", options: { env: { ...CREDENTIALS_ENV, ...QUICK_SIMULATION_ENV, LOG_LEVEL: "debug" } }, exit: 0 },
      { what: "component, file secrets, colour error", options: { files: { "config.yaml": `${CREDENTIALS_FILE}color: red\n` } }, exit: COMPONENT_FAILURE_EXIT, component: true },
    ];
    const results = await inBatches(cases, 5, (entry) => (entry.component ? runComponent(entry.options) : runNohttp(entry.options)));
    cases.forEach((entry, index) => {
      expect(results[index].exitCode, `${entry.what}; stderr: ${results[index].stderr}`).toBe(entry.exit);
      expectNoSecrets(results[index], entry.what);
    });
  });
});
