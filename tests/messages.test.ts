// Checks the messages a simulation prints: one JSON object per stdout line, with the fields in
// the documented order. Further cases cover random container ids and icons, RFC 3339 UTC
// timestamps, the colour rule, the message count, the waits and JSON escaping of vm_name.
// Most runs use the preview1 build without networking (bin/event-pusher-nohttp.wasm), and the
// component (bin/event-pusher.wasm) covers the format and the escaping once each. Nothing is sent.
import { describe, expect, it } from "vitest";
import { NOHTTP_MODULE, runComponent, runPreview1, type RunOptions, type RunResult } from "./support/run-module";

const FIELD_ORDER = ["vm_name", "icon_name", "timestamp", "color", "container_id"];

/** The raw text of one message: every field a JSON string, in FIELD_ORDER, nothing else. */
const MESSAGE_LINE = new RegExp(`^\\{${FIELD_ORDER.map((field) => `"${field}":"(?:[^"\\\\]|\\\\.)*"`).join(",")}\\}$`);

const SUMMARY_LINE = /^event-pusher info: summary: sent (\d+), failed 0, retried 0, elapsed (\d+\.\d) s, rate [\d.]+ msg\/s$/m;

/** One emoji, optionally followed by the emoji presentation selector U+FE0F. */
const SINGLE_EMOJI = /^\p{Extended_Pictographic}\uFE0F?$/u;

interface Message {
  vm_name: string;
  icon_name: string;
  timestamp: string;
  color: string;
  container_id: string;
}

function runNohttp(options: RunOptions = {}): Promise<RunResult> {
  return runPreview1(NOHTTP_MODULE, { timeoutMs: 30_000, ...options });
}

function simulationFile(settings: string): Record<string, string> {
  return { "config.yaml": `simulate: true\nmax_interval_seconds: 0\n${settings}` };
}

/** Returns the stdout lines after checking that stdout is nothing but newline-terminated lines. */
function stdoutLines(result: RunResult): string[] {
  expect(result.exitCode, `exit code; stderr: ${result.stderr}`).toBe(0);
  const lines = result.stdout.split("\n");
  expect(lines.pop(), "stdout ends with a newline").toBe("");
  return lines;
}

/** Parses each stdout line as one message and checks its raw field order. */
function messagesOf(result: RunResult): Message[] {
  return stdoutLines(result).map((line) => {
    expect(line, "raw message text").toMatch(MESSAGE_LINE);
    const message = JSON.parse(line) as Message;
    expect(Object.keys(message), line).toEqual(FIELD_ORDER);
    return message;
  });
}

/** Reads the elapsed seconds from the summary line, which the module measures on its monotonic clock. */
function summaryElapsedSeconds(result: RunResult): number {
  const match = SUMMARY_LINE.exec(result.stderr);
  expect(match, `summary line; stderr: ${result.stderr}`).not.toBeNull();
  return Number(match![2]);
}

async function timedRun(options: RunOptions): Promise<{ result: RunResult; wallSeconds: number }> {
  const started = performance.now();
  const result = await runNohttp(options);
  return { result, wallSeconds: (performance.now() - started) / 1000 };
}

describe("message format", () => {
  it("one JSON object per line, fields in order", async () => {
    const files = simulationFile('max_messages: 20\nvm_name: edge-7\ncolor: "#FF5500"\n');
    const [nohttp, component] = await Promise.all([runNohttp({ files }), runComponent({ files, timeoutMs: 60_000 })]);

    for (const [what, result, count] of [["nohttp", nohttp, 20], ["component", component, 20]] as const) {
      const messages = messagesOf(result);
      expect(messages, what).toHaveLength(count);
      expect(result.stdout, `${what}: stdout holds only the messages`).toBe(messages.map((message) => JSON.stringify(message) + "\n").join(""));
      for (const message of messages) {
        expect(message.vm_name, what).toBe("edge-7");
        expect(message.color, what).toBe("#FF5500");
      }
      const summary = SUMMARY_LINE.exec(result.stderr);
      expect(summary, `${what}: summary line on stderr; stderr: ${result.stderr}`).not.toBeNull();
      expect(summary![1], `${what}: summary count`).toBe(String(count));
      expect(result.stderr, `${what}: no message on stderr`).not.toContain('"container_id"');
    }
  });

  it("container_id is 8 random lowercase hex digits", async () => {
    const messages = messagesOf(await runNohttp({ files: simulationFile("max_messages: 50\n") }));
    expect(messages).toHaveLength(50);
    for (const message of messages) expect(message.container_id).toMatch(/^[0-9a-f]{8}$/);
    // 50 random 32-bit ids collide with a probability of about 3e-7.
    expect(new Set(messages.map((message) => message.container_id)).size).toBe(50);
  });

  it("icon_name is one emoji from at least 10", async () => {
    const messages = messagesOf(await runNohttp({ files: simulationFile("max_messages: 200\n") }));
    expect(messages).toHaveLength(200);
    for (const message of messages) expect(message.icon_name).toMatch(SINGLE_EMOJI);
    // With a list of 10 icons, 200 uniform picks miss one with a probability below 1e-8, so
    // fewer than 10 distinct icons means the list is shorter than the contract requires.
    expect(new Set(messages.map((message) => message.icon_name)).size).toBeGreaterThanOrEqual(10);
  });

  it("timestamp is RFC 3339 UTC, whole seconds, current", async () => {
    const before = Date.now();
    const messages = messagesOf(await runNohttp({ files: simulationFile("max_messages: 5\n") }));
    const after = Date.now();
    expect(messages).toHaveLength(5);
    for (const message of messages) {
      expect(message.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const parsed = Date.parse(message.timestamp);
      // A real calendar date prints back the same, so month 13 or day 32 would fail here.
      expect(new Date(parsed).toISOString()).toBe(message.timestamp.replace("Z", ".000Z"));
      // Whole seconds round down, so the first message may read up to a second before `before`.
      expect(parsed).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 2000);
      expect(parsed).toBeLessThanOrEqual(after + 2000);
    }
  });
});

describe("colour", () => {
  it("#RRGGBB and #RGB are copied as written", async () => {
    const colours = ["#FF5500", "#ff5500", "#aB12eF", "#F50", "#abc", "#000", "#FFFFFF"];
    const results = await Promise.all(colours.map((colour) => runNohttp({ files: simulationFile(`max_messages: 1\ncolor: "${colour}"\n`) })));
    colours.forEach((colour, index) => {
      const messages = messagesOf(results[index]);
      expect(messages, colour).toHaveLength(1);
      expect(messages[0].color, colour).toBe(colour);
    });
    const fromEnv = messagesOf(await runNohttp({ env: { SIMULATE: "true", MAX_MESSAGES: "1", COLOR: "#0f0" } }));
    expect(fromEnv[0].color).toBe("#0f0");
  });

  it("anything else is a config error", async () => {
    const invalid = ["red", "#GGG", "#FF550", "#FF55001", "FF5500", "#F5", "# F50", "#FF 500", "##F50", "#ＦＦ5500"];
    const results = await Promise.all(invalid.map((colour) => runNohttp({ files: simulationFile(`max_messages: 1\ncolor: "${colour}"\n`) })));
    invalid.forEach((colour, index) => {
      const result = results[index];
      expect(result.exitCode, `${colour}; stderr: ${result.stderr}`).toBe(2);
      expect(result.stdout, colour).toBe("");
      expect(result.stderr, colour).toContain(`config.yaml line 4, key color: invalid colour ${JSON.stringify(colour)}`);
    });
  });
});

describe("message count and waits", () => {
  it("max_messages N gives exactly N lines", async () => {
    const counts = [1, 2, 7, 33];
    const results = await Promise.all(counts.map((count) => runNohttp({ files: simulationFile(`max_messages: ${count}\n`) })));
    counts.forEach((count, index) => {
      expect(messagesOf(results[index]), `max_messages: ${count}`).toHaveLength(count);
      expect(results[index].stderr).toContain(`summary: sent ${count}, failed 0`);
    });
  });

  // These are correctness bounds with wide margins for a loaded machine, not performance targets.
  it.concurrent("random_off waits exactly max_interval_seconds", async () => {
    const { result, wallSeconds } = await timedRun({
      files: { "config.yaml": "simulate: true\nmax_messages: 3\nmax_interval_seconds: 1\nrandom_off: true\n" },
    });
    expect(messagesOf(result)).toHaveLength(3);
    // Three messages have two waits of 1 s between them.
    expect(summaryElapsedSeconds(result)).toBeGreaterThanOrEqual(1.9);
    expect(wallSeconds).toBeGreaterThanOrEqual(1.9);
    expect(wallSeconds).toBeLessThan(6);
  });

  it.concurrent("random_off waits fractional seconds", async () => {
    const { result, wallSeconds } = await timedRun({
      files: { "config.yaml": "simulate: true\nmax_messages: 3\nmax_interval_seconds: 0.5\nrandom_off: yes\n" },
    });
    expect(messagesOf(result)).toHaveLength(3);
    expect(summaryElapsedSeconds(result)).toBeGreaterThanOrEqual(0.9);
    expect(wallSeconds).toBeLessThan(5);
  });

  it.concurrent("max_interval_seconds 0 does not wait", async () => {
    const { result, wallSeconds } = await timedRun({
      files: { "config.yaml": "simulate: true\nmax_messages: 20\nmax_interval_seconds: 0\nrandom_off: true\n" },
    });
    expect(messagesOf(result)).toHaveLength(20);
    // One second per message would take 19 s.
    expect(summaryElapsedSeconds(result)).toBeLessThanOrEqual(2);
    expect(wallSeconds).toBeLessThan(8);
  });

  it.concurrent("random waits stay within max_interval_seconds", async () => {
    const { result, wallSeconds } = await timedRun({
      files: { "config.yaml": "simulate: true\nmax_messages: 4\nmax_interval_seconds: 1\n" },
    });
    expect(messagesOf(result)).toHaveLength(4);
    // Three waits of at most 1 s each.
    expect(summaryElapsedSeconds(result)).toBeLessThanOrEqual(3.3);
    expect(wallSeconds).toBeLessThan(3 + 4);
  });
});

describe("JSON escaping of vm_name", () => {
  // Each name is written in the YAML file as a double-quoted string with these escapes.
  const NAMES: { what: string; yaml: string; expected: string }[] = [
    { what: "quotes", yaml: 'say \\"hi\\"', expected: 'say "hi"' },
    { what: "backslashes", yaml: "C:\\\\edge\\\\7", expected: "C:\\edge\\7" },
    { what: "tab", yaml: "edge\\t7", expected: "edge\t7" },
    { what: "newline", yaml: "edge\\n7", expected: "edge\n7" },
    { what: "carriage return", yaml: "edge\\r7", expected: "edge\r7" },
    { what: "2-byte UTF-8", yaml: "café-é", expected: "café-é" },
    { what: "4-byte UTF-8", yaml: "edge 🚀 𝄞", expected: "edge 🚀 𝄞" },
    { what: "everything", yaml: 'a\\"b\\\\c\\td\\ne é 🛸', expected: 'a"b\\c\td\ne é 🛸' },
  ];

  function expectEscaped(result: RunResult, expected: string, what: string): void {
    const lines = stdoutLines(result);
    expect(lines, `${what}: a newline in vm_name must not split the line`).toHaveLength(2);
    for (const line of lines) {
      expect(line, what).toMatch(MESSAGE_LINE);
      const message = JSON.parse(line) as Message;
      expect(message.vm_name, what).toBe(expected);
      // Non-ASCII stays raw UTF-8, so the raw line contains the name as JSON.stringify writes it.
      expect(line, what).toContain(`"vm_name":${JSON.stringify(expected)}`);
      expect(line, `${what}: no \\u escapes`).not.toMatch(/\\u[0-9a-fA-F]{4}/);
    }
    // stdout is valid UTF-8 that decodes to the same text.
    expect(Buffer.from(result.stdout, "utf8").equals(result.stdoutBytes), `${what}: valid UTF-8`).toBe(true);
  }

  it("names from the file round-trip", async () => {
    const results = await Promise.all(
      NAMES.map((name) => runNohttp({ files: simulationFile(`max_messages: 2\nvm_name: "${name.yaml}"\n`) })),
    );
    NAMES.forEach((name, index) => expectEscaped(results[index], name.expected, name.what));
  });

  it("names from VM_NAME round-trip", async () => {
    const expected = 'env "name" \\ tab\there é 🚀';
    const result = await runNohttp({ env: { SIMULATE: "true", MAX_MESSAGES: "2", MAX_INTERVAL_SECONDS: "0", VM_NAME: expected } });
    expectEscaped(result, expected, "VM_NAME");
  });

  it("component escapes the same way", async () => {
    const name = NAMES[NAMES.length - 1];
    const result = await runComponent({ files: simulationFile(`max_messages: 2\nvm_name: "${name.yaml}"\n`), timeoutMs: 60_000 });
    expectEscaped(result, name.expected, "component");
  });

  it("raw UTF-8 bytes for é and 🚀", async () => {
    const result = await runNohttp({ files: simulationFile('max_messages: 1\nvm_name: "é🚀"\n') });
    expect(result.exitCode).toBe(0);
    const expectedBytes = Buffer.from('"vm_name":"\u00e9\u{1F680}"', "utf8");
    expect(result.stdoutBytes.includes(expectedBytes), `stdout bytes: ${result.stdoutBytes.toString("hex")}`).toBe(true);
    expect(result.stdoutBytes.includes(Buffer.from([0xc3, 0xa9, 0xf0, 0x9f, 0x9a, 0x80]))).toBe(true);
  });
});
