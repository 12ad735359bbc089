import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { makeWorkDir, runComponent } from "./support/run-module.ts";

// The Node runner's own duties: what it passes to the component from npm's environment.
const simulation = { SIMULATE: "true", MAX_MESSAGES: "1", MAX_INTERVAL_SECONDS: "0" };

function firstMessage(stdout: string): Record<string, string> {
  return JSON.parse(stdout.trim().split("\n")[0]);
}

describe("Node runner", () => {
  test("drops npm's COLOR under npm", async () => {
    const result = await runComponent({ env: { ...simulation, COLOR: "0", npm_command: "exec" } });

    expect(result.exitCode, result.stderr).toBe(0);
    expect(firstMessage(result.stdout).color).toBe("#000000");
  });

  test("keeps COLOR outside npm", async () => {
    const invalid = await runComponent({ env: { ...simulation, COLOR: "0" } });
    const valid = await runComponent({ env: { ...simulation, COLOR: "#0A0" } });

    expect(invalid.exitCode).toBe(1);
    expect(invalid.stderr).toContain("environment variable COLOR");
    expect(firstMessage(valid.stdout).color).toBe("#0A0");
  });

  test("resolves paths from INIT_CWD", async () => {
    const userDir = makeWorkDir({ "mine.yaml": "simulate: true\nmax_messages: 1\nvm_name: from-init-cwd\n" });
    const packageDir = makeWorkDir();

    const result = await runComponent({ cwd: packageDir, args: ["mine.yaml"], env: { INIT_CWD: userDir } });

    expect(result.exitCode, result.stderr).toBe(0);
    expect(firstMessage(result.stdout).vm_name).toBe("from-init-cwd");
  });

  test("explains paths outside the directory", async () => {
    const parent = makeWorkDir({ "outside.yaml": "simulate: true\n" });
    const inner = join(parent, "inner");
    mkdirSync(inner);
    writeFileSync(join(inner, "placeholder"), "");

    const result = await runComponent({ cwd: inner, args: ["../outside.yaml"] });

    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("permission denied");
  });
});
