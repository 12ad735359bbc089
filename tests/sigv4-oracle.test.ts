// Signs seeded random requests with the AssemblyScript signer and with @smithy/signature-v4
// (the signer of the AWS SDK for JavaScript v3) and requires the same Authorization value.
// Set SIGV4_ORACLE_SEED to replay a failure or to try other inputs.

import { createHmac } from "node:crypto";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { beforeAll, describe, expect, test } from "vitest";
import { loadHarness } from "./support/assemblyscript";
import { mulberry32 } from "./support/random.ts";

interface SigV4Harness {
  signRequest(
    accessKey: string,
    secretKey: string,
    sessionToken: string,
    region: string,
    service: string,
    method: string,
    url: string,
    headerNames: string[],
    headerValues: string[],
    body: Uint8Array,
    epochMs: bigint,
  ): string[];
  countKeyDerivations(url: string, epochsMs: bigint[]): number;
  formatAmzDate(epochMs: bigint): string;
  parseHttpDate(text: string): bigint;
}

const SEED = Number(process.env.SIGV4_ORACLE_SEED ?? 0x51a4f00d) >>> 0;
const REQUEST_COUNT = 1500;
const DATE_COUNT = 2000;
const FIRST_MS_OF_YEAR_0 = -62_167_219_200_000;
const LAST_MS_OF_YEAR_9999 = 253_402_300_799_999;

let harness: SigV4Harness;

beforeAll(async () => {
  harness = await loadHarness<SigV4Harness>("sigv4");
});

class Picker {
  constructor(readonly random: () => number) {}
  integer(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  chance(probability: number): boolean {
    return this.random() < probability;
  }
  one<T>(items: readonly T[]): T {
    return items[this.integer(0, items.length - 1)];
  }
  stringFrom(alphabet: string, length: number): string {
    let text = "";
    for (let i = 0; i < length; i++) text += alphabet[this.integer(0, alphabet.length - 1)];
    return text;
  }
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"];
const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1", "eusc-de-east-1"];
const SERVICES = ["sqs", "sqs", "sqs", "execute-api", "service"];
const ORIGINS = [
  "https://sqs.us-east-1.amazonaws.com",
  "https://SQS.EU-WEST-1.amazonaws.com:443",
  "http://127.0.0.1:9324",
  "http://localhost:4566",
  "https://[::1]:8443",
  "https://sqs.cn-north-1.amazonaws.com.cn",
  "http://vpce-0123abcd-4567efgh.sqs.us-east-1.vpce.amazonaws.com:80",
];

// Pieces of paths and query parts: unreserved, reserved, characters that must be
// percent-encoded on the wire, UTF-8 (including a surrogate pair), escapes in both hex
// cases, and `%` that starts no escape.
const UNRESERVED_TOKENS = ["a", "Z", "0", "9", "-", ".", "_", "~", "queue", "123456789012", "events.fifo"];
const RESERVED_TOKENS = ["!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "=", ":", "@"];
const WIRE_UNSAFE_TOKENS = ['"', "<", ">", "[", "]", "^", "`", "{", "|", "}"];
const UTF8_TOKENS = ["é", "ሴ", "中文", "😀", "\u00a0", "ÿ"];
const ESCAPE_TOKENS = ["%20", "%2F", "%2f", "%41", "%7E", "%25", "%C3%A9", "%e1%88%b4", "%F0%9F%98%80", "%zz", "%g"];

function pathSegment(pick: Picker): string {
  const special = pick.integer(0, 9);
  if (special === 0) return "";
  if (special === 1) return ".";
  if (special === 2) return "..";
  let segment = "";
  const count = pick.integer(1, 4);
  for (let i = 0; i < count; i++) {
    segment += pick.one([UNRESERVED_TOKENS, RESERVED_TOKENS, WIRE_UNSAFE_TOKENS, UTF8_TOKENS, ESCAPE_TOKENS][pick.integer(0, 4)]);
  }
  return segment;
}

function randomPath(pick: Picker): string {
  if (pick.chance(0.15)) return "/";
  const segments: string[] = [];
  const count = pick.integer(1, 5);
  for (let i = 0; i < count; i++) segments.push(pathSegment(pick));
  return "/" + segments.join("/") + (pick.chance(0.3) ? "/" : "");
}

function queryPart(pick: Picker, allowEquals: boolean): string {
  let part = "";
  const count = pick.integer(0, 3);
  const reserved = RESERVED_TOKENS.filter((token) => token !== "&" && (allowEquals || token !== "="));
  for (let i = 0; i < count; i++) {
    part += pick.one([UNRESERVED_TOKENS, reserved, WIRE_UNSAFE_TOKENS, UTF8_TOKENS, ESCAPE_TOKENS, ["/", "?"]][pick.integer(0, 5)]);
  }
  return part;
}

/** Generates a raw query with repeated, unsorted and case-varied keys, keys without `=`, and empty pairs. */
function randomQuery(pick: Picker): string {
  if (pick.chance(0.3)) return "";
  const keys = ["Action", "action", "MessageBody", "b", "a", "Version", "%61", ""];
  const pairs: string[] = [];
  const count = pick.integer(1, 6);
  for (let i = 0; i < count; i++) {
    const key = pick.chance(0.5) ? pick.one(keys) : queryPart(pick, false);
    const shape = pick.integer(0, 9);
    if (shape === 0) pairs.push(key);
    else if (shape === 1) pairs.push("");
    else pairs.push(`${key}=${queryPart(pick, true)}`);
  }
  return pairs.join("&");
}

/** Generates a header value with runs of spaces and tabs at both ends and inside. */
function randomHeaderValue(pick: Picker): string {
  const blanks = () => pick.stringFrom(" \t", pick.integer(0, 3));
  let value = blanks();
  const words = pick.integer(0, 4);
  for (let i = 0; i < words; i++) {
    const word = pick.chance(0.1)
      ? pick.one(["é", "中文", "\"a   b\""])
      : pick.stringFrom(ALPHANUMERIC + "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", pick.integer(1, 12));
    value += word + (i < words - 1 ? pick.stringFrom(" \t", pick.integer(1, 4)) : "");
  }
  return value + blanks();
}

function randomCase(pick: Picker, name: string): string {
  return [...name].map((letter) => (pick.chance(0.5) ? letter.toUpperCase() : letter.toLowerCase())).join("");
}

/**
 * Extra headers, with distinct names because @smithy takes a header object. Names that the
 * signers handle differently on purpose are left out: Date (@smithy drops it),
 * x-amz-content-sha256 (@smithy uses it as the payload hash) and Host (set from the URL).
 */
function randomHeaders(pick: Picker, body: Uint8Array): Array<[string, string]> {
  const names = [
    "Content-Type",
    "X-Custom-Header",
    "X-Amz-Target",
    "My-Header1",
    "Accept",
    "Content-Encoding",
    "User-Agent",
    "X-Amzn-Trace-Id",
    "Proxy-Authorization",
    "X-Amz-Date",
    "Authorization",
    "X-Odd_Name.With!Marks~",
  ];
  const headers: Array<[string, string]> = [];
  const used = new Set<string>();
  const count = pick.integer(0, 5);
  for (let i = 0; i < count; i++) {
    const name = randomCase(pick, pick.chance(0.8) ? pick.one(names) : "X-" + pick.stringFrom(ALPHANUMERIC + "-_", pick.integer(1, 10)));
    if (used.has(name.toLowerCase())) continue;
    used.add(name.toLowerCase());
    headers.push([name, randomHeaderValue(pick)]);
  }
  if (pick.chance(0.3)) headers.push(["Content-Length", String(body.length)]);
  return headers;
}

/** Characters from every class SQS accepts in a message: #x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF. */
function randomMessageText(pick: Picker): string {
  const ranges: Array<[number, number]> = [
    [0x09, 0x09],
    [0x0a, 0x0a],
    [0x0d, 0x0d],
    [0x20, 0x7e],
    [0xa0, 0xff],
    [0x100, 0xd7ff],
    [0xe000, 0xfffd],
    [0x10000, 0x10ffff],
  ];
  let text = "";
  const length = pick.integer(0, 300);
  for (let i = 0; i < length; i++) {
    const [low, high] = pick.one(ranges);
    text += String.fromCodePoint(pick.integer(low, high));
  }
  return text;
}

/** Generates an empty body, a JSON-protocol body or a Query-protocol form body. */
function randomBody(pick: Picker): Uint8Array {
  const shape = pick.integer(0, 2);
  if (shape === 0) return new Uint8Array(0);
  const text = randomMessageText(pick);
  if (shape === 1) return new TextEncoder().encode(JSON.stringify({ QueueUrl: "q", MessageBody: text }));
  return new TextEncoder().encode(`Action=SendMessage&MessageBody=${encodeURIComponent(text)}&Version=2012-11-05`);
}

function randomEpochMs(pick: Picker): number {
  const fixed = [
    Date.UTC(2015, 7, 30, 12, 36, 0),
    Date.UTC(2024, 1, 29, 23, 59, 59, 999),
    Date.UTC(2023, 11, 31, 23, 59, 59, 500),
    Date.UTC(2000, 0, 1),
  ];
  if (pick.chance(0.2)) return pick.one(fixed);
  return pick.integer(Date.UTC(2000, 0, 1), Date.UTC(2099, 11, 31));
}

/** Percent-encodes what RFC 3986 forbids raw in a path or query, as the signer's URL rewrite must. */
function expectedWireForm(component: string, isQuery: boolean): string {
  const bytes = new TextEncoder().encode(component);
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const character = String.fromCharCode(bytes[i]);
    const startsEscape = character === "%" && /^[0-9A-Fa-f]{2}$/.test(String.fromCharCode(bytes[i + 1] ?? 0, bytes[i + 2] ?? 0));
    const allowed = bytes[i] < 0x80 && (/[A-Za-z0-9\-._~!$&'()*+,;=:@/]/.test(character) || (isQuery && character === "?"));
    out += allowed || startsEscape ? character : "%" + bytes[i].toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** Builds the query object @smithy takes, mapping each decoded key to its decoded values. */
function queryObject(wireQuery: string): Record<string, string | string[]> {
  const query: Record<string, string[]> = {};
  for (const pair of wireQuery.split("&")) {
    if (pair.length === 0) continue;
    const equals = pair.indexOf("=");
    const key = decodeURIComponent(equals >= 0 ? pair.slice(0, equals) : pair);
    const value = decodeURIComponent(equals >= 0 ? pair.slice(equals + 1) : "");
    (query[key] ??= []).push(value);
  }
  return query;
}

interface GeneratedRequest {
  accessKey: string;
  secretKey: string;
  sessionToken: string;
  region: string;
  service: string;
  method: string;
  origin: string;
  path: string;
  query: string;
  headers: Array<[string, string]>;
  body: Uint8Array;
  epochMs: number;
}

function generateRequest(pick: Picker): GeneratedRequest {
  const body = randomBody(pick);
  return {
    accessKey: "AKIA" + pick.stringFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
    secretKey: pick.stringFrom(ALPHANUMERIC + "+/", 40),
    sessionToken: pick.chance(0.5) ? pick.stringFrom(ALPHANUMERIC + "+/=", pick.integer(16, 400)) : "",
    region: pick.one(REGIONS),
    service: pick.one(SERVICES),
    method: pick.one(METHODS),
    origin: pick.one(ORIGINS),
    path: randomPath(pick),
    query: randomQuery(pick),
    headers: randomHeaders(pick, body),
    body,
    epochMs: randomEpochMs(pick),
  };
}

/** Authority as the signer must sign it: host lower-cased, default port dropped. */
function expectedAuthority(origin: string): string {
  const url = new URL(origin);
  return url.host;
}

async function signWithSmithy(request: GeneratedRequest, wirePath: string, wireQuery: string): Promise<string> {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: request.accessKey,
      secretAccessKey: request.secretKey,
      sessionToken: request.sessionToken.length > 0 ? request.sessionToken : undefined,
    },
    region: request.region,
    service: request.service,
    sha256: Sha256,
    applyChecksum: false,
  });
  const url = new URL(request.origin);
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      path: wirePath,
      query: queryObject(wireQuery),
      headers: { ...Object.fromEntries(request.headers), host: expectedAuthority(request.origin) },
      body: request.body,
    },
    { signingDate: new Date(request.epochMs) },
  );
  return signed.headers.authorization;
}

function describeRequest(index: number, request: GeneratedRequest): string {
  const shown = { ...request, body: new TextDecoder().decode(request.body), secretKey: "(generated)" };
  return `seed ${SEED} (SIGV4_ORACLE_SEED=${SEED}), request ${index}: ${JSON.stringify(shown)}`;
}

describe("SigV4 signer against @smithy/signature-v4", () => {
  test(`${REQUEST_COUNT} generated requests sign the same`, async () => {
    const pick = new Picker(mulberry32(SEED));
    let compared = 0;
    for (let index = 0; index < REQUEST_COUNT; index++) {
      const request = generateRequest(pick);
      const url = request.origin + request.path + (request.query.length > 0 ? "?" + request.query : "");
      const context = describeRequest(index, request);

      const result = harness.signRequest(
        request.accessKey,
        request.secretKey,
        request.sessionToken,
        request.region,
        request.service,
        request.method,
        url,
        request.headers.map(([name]) => name),
        request.headers.map(([, value]) => value),
        request.body,
        BigInt(request.epochMs),
      );
      const [error, , , , authorization, sentUrl] = result;
      expect(error, context).toBe("");

      const wirePath = expectedWireForm(request.path, false);
      const wireQuery = expectedWireForm(request.query, true);
      const rewritten = wirePath !== request.path || wireQuery !== request.query;
      const expectedUrl = rewritten
        ? `${new URL(request.origin).protocol}//${expectedAuthority(request.origin)}${wirePath}${wireQuery.length > 0 ? "?" + wireQuery : ""}`
        : url;
      expect(sentUrl, `URL to send, ${context}`).toBe(expectedUrl);

      const expected = await signWithSmithy(request, wirePath, wireQuery);
      expect(authorization, `Authorization, ${context}`).toBe(expected);
      compared++;
    }
    console.log(`sigv4 oracle: ${compared} of ${REQUEST_COUNT} requests matched @smithy/signature-v4 (seed ${SEED})`);
    expect(compared).toBe(REQUEST_COUNT);
  });

  test("signed request carries date, token and Authorization headers", () => {
    const epochMs = Date.UTC(2024, 1, 29, 23, 59, 59, 999);
    const secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const result = harness.signRequest(
      "AKIDEXAMPLE",
      secret,
      "session-token",
      "us-east-1",
      "sqs",
      "POST",
      "https://sqs.us-east-1.amazonaws.com/123456789012/events",
      ["Content-Type", "X-Amz-Date", "authorization", "X-Amz-Security-Token"],
      ["application/x-www-form-urlencoded", "19990101T000000Z", "stale", "stale-token"],
      new TextEncoder().encode("Action=SendMessage&MessageBody=hi"),
      BigInt(epochMs),
    );
    const headers = result.slice(6);
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < headers.length; i += 2) pairs.push([headers[i], headers[i + 1]]);

    expect(result[0]).toBe("");
    expect(pairs.map(([name]) => name)).toEqual(["Content-Type", "X-Amz-Date", "X-Amz-Security-Token", "Authorization"]);
    expect(pairs[1][1]).toBe("20240229T235959Z");
    expect(pairs[2][1]).toBe("session-token");
    expect(pairs[3][1]).toBe(result[4]);
    expect(result[1]).toContain("\nhost:sqs.us-east-1.amazonaws.com\n");
    expect(result[1]).toContain("\ncontent-type;host;x-amz-date;x-amz-security-token\n");
    const signingKey = ["20240229", "us-east-1", "sqs", "aws4_request"].reduce<Buffer>(
      (key, part) => createHmac("sha256", key).update(part).digest(),
      Buffer.from(`AWS4${secret}`),
    );
    expect(result.join("\n")).not.toContain(secret);
    expect(result.join("\n")).not.toContain(signingKey.toString("hex"));
  });

  test("signing rejects a Host header and line breaks", () => {
    const sign = (names: string[], values: string[], url = "https://sqs.us-east-1.amazonaws.com/1/q") =>
      harness.signRequest("AKIDEXAMPLE", "secret", "", "us-east-1", "sqs", "GET", url, names, values, new Uint8Array(0), 0n);

    expect(sign(["Host"], ["example.com"])[0]).toMatch(/Host header/);
    expect(sign(["X-A"], ["one\r\nX-B: two"])[0]).toMatch(/line break/);
    expect(sign(["Bad Name"], ["v"])[0]).toMatch(/header name "Bad Name" is invalid/);
    expect(sign([], [], "sqs.us-east-1.amazonaws.com/1/q")[0]).toMatch(/no scheme/);
    expect(harness.signRequest("", "secret", "", "us-east-1", "sqs", "GET", "https://h/", [], [], new Uint8Array(0), 0n)[0]).toMatch(/access key id/);
    expect(harness.signRequest("AKID", "", "", "us-east-1", "sqs", "GET", "https://h/", [], [], new Uint8Array(0), 0n)[0]).toMatch(/secret access key is empty/);
    expect(harness.signRequest("AKID", "s", "", "us/east", "sqs", "GET", "https://h/", [], [], new Uint8Array(0), 0n)[0]).toMatch(/region "us\/east" is invalid/);
  });

  test("signing key derived once per day", () => {
    const day = BigInt(Date.UTC(2024, 5, 1));
    const hour = 3_600_000n;
    const sameDay = [day, day + hour, day + 23n * hour];
    const twoDays = [...sameDay, day + 25n * hour, day + 26n * hour];

    expect(harness.countKeyDerivations("https://sqs.us-east-1.amazonaws.com/", sameDay)).toBe(1);
    expect(harness.countKeyDerivations("https://sqs.us-east-1.amazonaws.com/", twoDays)).toBe(2);
  });
});

describe("SigV4 dates against JavaScript Date", () => {
  test(`formatAmzDate on ${DATE_COUNT} instants`, () => {
    const pick = new Picker(mulberry32(SEED ^ 0xda7e));
    for (let i = 0; i < DATE_COUNT; i++) {
      const epochMs = pick.integer(FIRST_MS_OF_YEAR_0, LAST_MS_OF_YEAR_9999);
      const expected = new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
      expect(harness.formatAmzDate(BigInt(epochMs)), `seed ${SEED}, epochMs ${epochMs}`).toBe(expected);
    }
  });

  test("formatAmzDate clamps to four-digit years", () => {
    expect(harness.formatAmzDate(BigInt(FIRST_MS_OF_YEAR_0 - 1))).toBe("00000101T000000Z");
    expect(harness.formatAmzDate(BigInt(LAST_MS_OF_YEAR_9999 + 1))).toBe("99991231T235959Z");
    expect(harness.formatAmzDate(-(2n ** 63n))).toBe("00000101T000000Z");
    expect(harness.formatAmzDate(0n)).toBe("19700101T000000Z");
    expect(harness.formatAmzDate(-1n)).toBe("19691231T235959Z");
  });

  test(`parseHttpDate on ${DATE_COUNT} IMF-fixdates`, () => {
    const pick = new Picker(mulberry32(SEED ^ 0x4177));
    for (let i = 0; i < DATE_COUNT; i++) {
      const epochSeconds = pick.integer(Date.UTC(1000, 0, 1) / 1000, Date.UTC(9999, 11, 31, 23, 59, 59) / 1000);
      const text = new Date(epochSeconds * 1000).toUTCString();
      expect(harness.parseHttpDate(text), `seed ${SEED}, ${text}`).toBe(BigInt(epochSeconds * 1000));
    }
  });

  test("parseHttpDate rejects other forms", () => {
    const rejected = [
      "",
      "Sunday, 06-Nov-94 08:49:37 GMT",
      "Sun Nov  6 08:49:37 1994",
      "Wed, 21 Oct 2015 07:28:00 UTC",
      "Wed, 21 Oct 2015 07:28:00 +0000",
      "Wed, 31 Feb 2015 07:28:00 GMT",
      "Wed, 21 Oct 2015 24:00:00 GMT",
      "Wed, 21 Oct 2015 07:60:00 GMT",
      "Wed, 21 Okt 2015 07:28:00 GMT",
      "Xyz, 21 Oct 2015 07:28:00 GMT",
      "ednes 21 Oct 2015 07:28:00 GMT",
      "Wed, 2a Oct 2015 07:28:00 GMT",
      "Wed,  21 Oct 2015 07:28:00 GMT",
    ];
    for (const text of rejected) expect(harness.parseHttpDate(text), text).toBe(-1n);
  });

  test("parseHttpDate accepts padding and leap seconds", () => {
    expect(harness.parseHttpDate("  Wed, 21 Oct 2015 07:28:00 GMT \t")).toBe(BigInt(Date.UTC(2015, 9, 21, 7, 28, 0)));
    expect(harness.parseHttpDate("Sat, 31 Dec 2016 23:59:60 GMT")).toBe(BigInt(Date.UTC(2016, 11, 31, 23, 59, 59)));
    expect(harness.parseHttpDate("Thu, 29 Feb 2024 12:00:00 GMT")).toBe(BigInt(Date.UTC(2024, 1, 29, 12)));
  });
});
