// Signs a raw HTTP request from stdin with the AssemblyScript SigV4 signer and prints the
// canonical request, the string to sign and the Authorization header, to compare with what
// AWS reports in a SignatureDoesNotMatch error.
//
//   node --import tsx host/sigv4/sign-request.ts --access-key ID --secret-key SECRET \
//     --region us-east-1 [--service sqs] [--session-token TOKEN] [--date 20150830T123600Z] < request.txt

import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

const signerEntry = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "assembly", "entries", "sigv4-signer.ts");

const USAGE =
  "usage: sign-request --access-key ID --secret-key SECRET --region REGION [--service NAME (default sqs)] " +
  "[--session-token TOKEN] [--date YYYYMMDDTHHMMSSZ (default: the request's X-Amz-Date, else now)] < request.txt";

const AMZ_DATE_PATTERN = /^\d{8}T\d{6}Z$/;

/** A request in the AWS SigV4 test suite's `.req` layout, split into the pieces the signer takes. */
export interface RawRequest {
  method: string;
  /** Path as written in the request line, not decoded. */
  path: string;
  /** Query as written without `?`, or empty when there is none. */
  query: string;
  /** Every header line in order. A folded value keeps its line breaks (`\n` then the indented text). */
  headers: Array<[name: string, value: string]>;
  body: Uint8Array;
}

/** Options read from the command line. */
export interface SignOptions {
  accessKey: string;
  secretKey: string;
  sessionToken: string;
  region: string;
  service: string;
  /** `YYYYMMDDTHHMMSSZ`, or null to take the request's X-Amz-Date or the current time. */
  date: string | null;
}

/** Error with a one-line message and the exit status the CLI ends with. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

/** The exports of the signer build, assembly/entries/sigv4-signer.ts. */
export interface SignerHarness {
  signParts(
    accessKey: string,
    secretKey: string,
    sessionToken: string,
    region: string,
    service: string,
    method: string,
    path: string,
    query: string,
    headerNames: string[],
    headerValues: string[],
    body: Uint8Array,
  ): string[];
}

/**
 * Parses a raw request: the request line (`METHOD target HTTP/1.1`, where the target may
 * contain spaces), header lines (a line starting with a space or tab continues the header
 * above it), a blank line, then the body bytes. LF and CRLF line ends are both accepted.
 */
export function parseRawRequest(bytes: Uint8Array): RawRequest {
  let position = 0;
  const lines: string[] = [];
  let bodyStart = bytes.length;
  while (position < bytes.length) {
    let lineEnd = bytes.indexOf(0x0a, position);
    if (lineEnd < 0) lineEnd = bytes.length;
    const line = Buffer.from(bytes.subarray(position, lineEnd)).toString("utf8").replace(/\r$/, "");
    position = lineEnd + 1;
    if (line.length === 0 && lines.length > 0) {
      bodyStart = Math.min(position, bytes.length);
      break;
    }
    lines.push(line);
  }
  if (lines.length === 0 || lines[0].length === 0) {
    throw new CliError("request is empty: expected a request line such as GET / HTTP/1.1", 1);
  }

  const requestLine = lines[0];
  const methodEnd = requestLine.indexOf(" ");
  if (methodEnd <= 0) throw new CliError(`request line "${requestLine}" has no target: write it as METHOD /path HTTP/1.1`, 1);
  const method = requestLine.slice(0, methodEnd);
  // The target runs up to the HTTP version, so a raw space inside the path stays part of it.
  const target = requestLine.slice(methodEnd + 1).replace(/ HTTP\/\d(\.\d)?$/, "");
  const queryStart = target.indexOf("?");
  const path = queryStart >= 0 ? target.slice(0, queryStart) : target;
  const query = queryStart >= 0 ? target.slice(queryStart + 1) : "";

  const headers: Array<[string, string]> = [];
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index];
    if (line.startsWith(" ") || line.startsWith("\t")) {
      if (headers.length === 0) throw new CliError(`line ${index + 1} is indented but follows no header`, 1);
      headers[headers.length - 1][1] += "\n" + line;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) throw new CliError(`line ${index + 1} "${line}" is not a header: write it as Name: value`, 1);
    headers.push([line.slice(0, colon), line.slice(colon + 1)]);
  }

  return { method, path, query, headers, body: bytes.slice(bodyStart) };
}

/** Reads the flags, throwing CliError with exit status 2 on a missing, unknown or malformed flag. */
export function parseArguments(argv: string[]): SignOptions {
  const flags = new Map<string, string>();
  const known = ["--access-key", "--secret-key", "--session-token", "--region", "--service", "--date"];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const equals = argument.indexOf("=");
    const name = equals >= 0 ? argument.slice(0, equals) : argument;
    if (!known.includes(name)) throw new CliError(`unknown argument ${name}; ${USAGE}`, 2);
    let value: string | undefined;
    if (equals >= 0) {
      value = argument.slice(equals + 1);
    } else {
      value = argv[index + 1];
      index++;
    }
    if (value === undefined || value.length === 0) throw new CliError(`${name} needs a value; ${USAGE}`, 2);
    flags.set(name, value);
  }

  for (const required of ["--access-key", "--secret-key", "--region"]) {
    if (!flags.has(required)) throw new CliError(`missing ${required}; ${USAGE}`, 2);
  }
  const date = flags.get("--date") ?? null;
  if (date !== null && !AMZ_DATE_PATTERN.test(date)) {
    throw new CliError(`--date "${date}" is invalid: write it as YYYYMMDDTHHMMSSZ in UTC; ${USAGE}`, 2);
  }
  return {
    accessKey: flags.get("--access-key")!,
    secretKey: flags.get("--secret-key")!,
    sessionToken: flags.get("--session-token") ?? "",
    region: flags.get("--region")!,
    service: flags.get("--service") ?? "sqs",
    date,
  };
}

/** Returns `now` as `YYYYMMDDTHHMMSSZ`. */
function amzDateOf(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}

/**
 * Settles the signing date: an X-Amz-Date header must agree with `--date`, and a request
 * without one gets the header from `--date` or the current time.
 */
function applySigningDate(request: RawRequest, date: string | null, now: Date): void {
  const existing = request.headers.filter(([name]) => name.toLowerCase() === "x-amz-date");
  if (existing.length > 0) {
    const headerDate = existing[0][1].trim();
    if (date !== null && headerDate !== date) {
      throw new CliError(`X-Amz-Date header ${headerDate} disagrees with --date ${date}: make them equal or drop one`, 2);
    }
    return;
  }
  request.headers.push(["X-Amz-Date", date ?? amzDateOf(now)]);
}

/** Signs the raw request and returns the text to print: canonical request, string to sign, Authorization line. */
export async function signRawRequest(input: Uint8Array, options: SignOptions, now = new Date()): Promise<string> {
  const request = parseRawRequest(input);
  applySigningDate(request, options.date, now);

  // Imported here, not at the top, because loading the compiler takes about a second and
  // flag errors should not wait for it.
  const { loadAssemblyScript } = await import("../build/assemblyscript.ts");
  const signer = await loadAssemblyScript<SignerHarness>(signerEntry, "sigv4-signer", "sigv4");
  const [error, canonicalRequest, stringToSign, , authorization] = signer.signParts(
    options.accessKey,
    options.secretKey,
    options.sessionToken,
    options.region,
    options.service,
    request.method,
    request.path,
    request.query,
    request.headers.map(([name]) => name),
    request.headers.map(([, value]) => value),
    request.body,
  );
  if (error.length > 0) throw new CliError(error, 1);

  return `Canonical request:\n${canonicalRequest}\n\nString to sign:\n${stringToSign}\n\nAuthorization: ${authorization}\n`;
}

async function main(): Promise<void> {
  if (process.argv.includes("--help")) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  try {
    const options = parseArguments(process.argv.slice(2));
    process.stdout.write(await signRawRequest(readFileSync(0), options));
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`sign-request: ${error.message}\n`);
    process.exitCode = error.exitCode;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
