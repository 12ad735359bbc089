import { describe, expect, test } from "vitest";
import { NOHTTP_MODULE, runPreview1 } from "./support/run-module.ts";

// Values at the edges of what each key accepts, through a file and through the environment.
function runWithFile(line: string) {
  return runPreview1(NOHTTP_MODULE, { files: { "config.yaml": `simulate: true\nmax_interval_seconds: 0\n${line}\n` } });
}

describe("config value edges", () => {
  test.each([
    ['color: "#FF5500 "', "invalid colour"],
    ['vm_name: ""', "empty value"],
    ['vm_name: "   "', "empty value"],
    ["max_messages: 99999999999999999999", "is too large"],
    ["request_timeout_seconds: 0.0001", "shorter than 1 ms"],
  ])("%s is rejected", async (line, message) => {
    const result = await runWithFile(line);

    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split("\n"), result.stderr).toHaveLength(1);
    expect(result.stderr).toContain("config.yaml line 3, key ");
    expect(result.stderr).toContain(message);
  });

  test("whitespace-only VM_NAME is rejected", async () => {
    const result = await runPreview1(NOHTTP_MODULE, { env: { SIMULATE: "true", MAX_MESSAGES: "1", VM_NAME: "   " } });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("environment variable VM_NAME: empty value");
  });

  test("empty body stays allowed", async () => {
    const result = await runWithFile('body: ""\nmax_messages: 1');

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
  });
});
