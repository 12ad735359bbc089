// Runs the AWS SigV4 test suite (tests/fixtures/sigv4-suite) through the AssemblyScript
// signer: each .req is parsed here, signed in wasm, and compared with .creq, .sts and .authz.

import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { parseRawRequest, type SignerHarness } from "../host/sigv4/sign-request";
import { loadHarness } from "./support/assemblyscript";
import { loadAssemblyScript } from "../host/build/assemblyscript";
import { projectRoot } from "./support/run-module";

const SUITE_DIR = fileURLToPath(new URL("./fixtures/sigv4-suite", import.meta.url));
const manifest = JSON.parse(readFileSync(join(SUITE_DIR, "manifest.json"), "utf8"));
const { access_key: ACCESS_KEY, secret_key: SECRET_KEY, region: REGION, service: SERVICE } = manifest.constants;

// The example session token is the last non-empty line of the suite's readme.
const SESSION_TOKEN = readFileSync(join(SUITE_DIR, "post-sts-token", "readme.txt"), "utf8").trim().split("\n").pop()!;

// This case adds X-Amz-Security-Token after signing, so its signature leaves the token
// unsigned. The signer always signs a session token because SQS rejects an unsigned one,
// so the case is checked for that difference instead of a match.
const TOKEN_ADDED_AFTER_SIGNING = "post-sts-token/post-sts-header-after";
const TOKEN_SIGNED = "post-sts-token/post-sts-header-before";

/** Returns every folder under `dir` that contains `<folder>.req`, as paths relative to the suite. */
function findCases(dir: string, prefix = ""): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (!statSync(full).isDirectory()) continue;
    const relative = prefix + entry;
    try {
      statSync(join(full, `${entry}.req`));
      found.push(relative);
    } catch {
      found.push(...findCases(full, `${relative}/`));
    }
  }
  return found;
}

function readCaseFile(caseName: string, extension: string): Buffer {
  const base = caseName.split("/").pop()!;
  return readFileSync(join(SUITE_DIR, caseName, `${base}${extension}`));
}

interface Signed {
  error: string;
  canonicalRequest: string;
  stringToSign: string;
  authorization: string;
}

let harness: SignerHarness;

beforeAll(async () => {
  harness = await loadHarness<SignerHarness>("sigv4");
});

function signCase(caseName: string, sessionToken: string): Signed {
  const request = parseRawRequest(readCaseFile(caseName, ".req"));
  const [error, canonicalRequest, stringToSign, , authorization] = harness.signParts(
    ACCESS_KEY,
    SECRET_KEY,
    sessionToken,
    REGION,
    SERVICE,
    request.method,
    request.path,
    request.query,
    request.headers.map(([name]) => name),
    request.headers.map(([, value]) => value),
    request.body,
  );
  return { error, canonicalRequest, stringToSign, authorization };
}

const cases = findCases(SUITE_DIR);

describe("AWS SigV4 test suite", () => {
  test("fixture folder holds every manifest case", () => {
    expect(cases.length).toBe(31);
    expect(cases).toEqual(manifest.cases.map((entry: { case: string }) => entry.case).sort());
  });

  test.each(cases.filter((name) => name !== TOKEN_ADDED_AFTER_SIGNING))("%s", (caseName) => {
    const signed = signCase(caseName, "");

    expect(signed.error, "signing error").toBe("");
    expect(signed.canonicalRequest, "canonical request").toBe(readCaseFile(caseName, ".creq").toString("utf8"));
    expect(signed.stringToSign, "string to sign").toBe(readCaseFile(caseName, ".sts").toString("utf8"));
    expect(signed.authorization, "Authorization").toBe(readCaseFile(caseName, ".authz").toString("utf8"));
  });

  test("post-sts-header-after differs only by the signed token", () => {
    const expectedAfter = readCaseFile(TOKEN_ADDED_AFTER_SIGNING, ".authz").toString("utf8");
    const signed = signCase(TOKEN_ADDED_AFTER_SIGNING, SESSION_TOKEN);

    expect(signed.error, "signing error").toBe("");
    expect(signed.authorization, "a signed token must change the signature").not.toBe(expectedAfter);
    expect(signed.authorization, "signing the token gives the header-before result").toBe(
      readCaseFile(TOKEN_SIGNED, ".authz").toString("utf8"),
    );

    // The canonical request is the case's own plus the token line and its signed-header name.
    const expectedCanonical = readCaseFile(TOKEN_ADDED_AFTER_SIGNING, ".creq")
      .toString("utf8")
      .replace("x-amz-date:20150830T123600Z\n", `x-amz-date:20150830T123600Z\nx-amz-security-token:${SESSION_TOKEN}\n`)
      .replace("\nhost;x-amz-date\n", "\nhost;x-amz-date;x-amz-security-token\n");
    expect(signed.canonicalRequest, "canonical request with the token").toBe(expectedCanonical);

    // Without a token, as the case signs before adding one, the result matches the case.
    expect(signCase(TOKEN_ADDED_AFTER_SIGNING, "").authorization, "unsigned token").toBe(expectedAfter);
  });
});

describe("sign-request CLI", () => {
  const projectRoot = fileURLToPath(new URL("..", import.meta.url));
  const suiteFlags = ["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY, "--region", REGION, "--service", SERVICE];

  function runCli(args: string[], input: Buffer): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, ["--import", "tsx", "host/sigv4/sign-request.ts", ...args], {
      cwd: projectRoot,
      input,
      encoding: "utf8",
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  beforeAll(async () => {
    // Builds the CLI's signer once here, under the hook timeout, so each run below is quick.
    await loadAssemblyScript(join(projectRoot, "assembly", "entries", "sigv4-signer.ts"), "sigv4-signer", "sigv4");
  });

  test("reproduces get-vanilla's Authorization", () => {
    const result = runCli(suiteFlags, readCaseFile("get-vanilla", ".req"));
    const lines = result.stdout.trimEnd().split("\n");

    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(lines.at(-1)).toBe(`Authorization: ${readCaseFile("get-vanilla", ".authz").toString("utf8")}`);
    expect(result.stdout).toContain(`Canonical request:\n${readCaseFile("get-vanilla", ".creq").toString("utf8")}\n`);
    expect(result.stdout).toContain(`String to sign:\n${readCaseFile("get-vanilla", ".sts").toString("utf8")}\n`);
  });

  test("adds X-Amz-Date from --date", () => {
    const request = Buffer.from("GET / HTTP/1.1\nHost:example.amazonaws.com\n");
    const result = runCli([...suiteFlags, "--date=20150830T123600Z"], request);

    expect(result.status).toBe(0);
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe(
      `Authorization: ${readCaseFile("get-vanilla", ".authz").toString("utf8")}`,
    );
  });

  test("rejects a --date the header contradicts", () => {
    const result = runCli([...suiteFlags, "--date", "20150830T123601Z"], readCaseFile("get-vanilla", ".req"));

    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "sign-request: X-Amz-Date header 20150830T123600Z disagrees with --date 20150830T123601Z: make them equal or drop one\n",
    );
  });

  test.each([
    { args: ["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY], problem: "missing --region" },
    { args: [...suiteFlags, "--regoin", "us-east-1"], problem: "unknown argument --regoin" },
    { args: [...suiteFlags, "--date"], problem: "--date needs a value" },
    { args: [...suiteFlags, "--date", "2015-08-30"], problem: '--date "2015-08-30" is invalid' },
  ])("usage error: $problem", ({ args, problem }) => {
    const result = runCli(args, readCaseFile("get-vanilla", ".req"));
    const lines = result.stderr.split("\n").filter((line) => line.length > 0);

    expect(result.status).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(problem);
    expect(lines[0]).toContain("usage: sign-request");
  });
});
