/**
 * Child process of the strict SQS test server, which startSqsServer in sqs-server.ts spawns
 * with `node --import tsx`. It listens on 127.0.0.1 on a free port, reports the port over
 * IPC, verifies the SigV4 signature of every request and handles SendMessage in the SQS
 * JSON (AWS JSON 1.0) and Query protocols.
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4, getCanonicalHeaders, getPayloadHash, prepareRequest } from "@smithy/signature-v4";
import type {
  ChildMessage,
  ParentMessage,
  ReceivedRequest,
  ScriptedFailure,
  ServerBehaviour,
  SqsServerSettings,
} from "./sqs-server.ts";

const settings = readSettings();

const ACCOUNT_ID = "000000000000";
const XML_NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
const DEDUPLICATION_INTERVAL_MS = 5 * 60 * 1000;
// Default MaximumMessageSize of an SQS queue. The attribute can be raised to 1 MiB, but a
// client that sends more than 256 KiB fails on every queue left at the default.
const MAX_MESSAGE_BYTES = 262_144;
const MAX_REQUEST_BYTES = 2 * 1024 * 1024;
const STALL_CLOSE_MS = 120_000;
const SIGNATURE_MISMATCH_MESSAGE =
  "The request signature we calculated does not match the signature you provided. " +
  "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
// Characters SQS accepts in a message body: #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD |
// #x10000-#x10FFFF. With the u flag a lone surrogate is one code point and so is rejected.
const INVALID_BODY_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
// MessageGroupId and MessageDeduplicationId: 1-128 alphanumeric or ASCII punctuation characters.
const FIFO_ID_PATTERN = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;
const QUEUE_PATH_PATTERN = /^\/(\d{12})\/([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/;

type Protocol = "json" | "query";

interface ProtocolError {
  status: number;
  code: string;
  message: string;
}

// ---------------------------------------------------------------------------
// State shared by all requests

let behaviour: Required<ServerBehaviour> = defaultBehaviour();
let records: ReceivedRequest[] = [];
/** First send of each FIFO deduplication id, keyed by queue name and id. */
let deduplication = new Map<string, { messageId: string; sequenceNumber: string; expiresAt: number }>();
let sequenceCounter = 10_000_000_000_000_000_000n;

function defaultBehaviour(): Required<ServerBehaviour> {
  return { failNext: [], clockSkewSeconds: 0, wrongMd5: false, delayMs: 0, stallForever: false };
}

function readSettings(): SqsServerSettings {
  const text = process.env.SQS_TEST_SERVER_SETTINGS;
  if (!text) throw new Error("SQS_TEST_SERVER_SETTINGS is missing. Start this process through startSqsServer.");
  return JSON.parse(text) as SqsServerSettings;
}

// ---------------------------------------------------------------------------
// Error codes of both protocols

/**
 * Query protocol code and JSON `__type` of each error the server can send. The SQS pairs
 * come from the awsQueryError traits in @aws-sdk/client-sqs 3.1178.0. The AWS-wide errors
 * (com.amazon.coral.*) follow the JSON __type names of other AWS JSON services.
 * NOTE: the JSON __type of the AWS-wide errors has not been checked against live SQS. The
 * AWS SDKs read the x-amzn-query-error header, which carries the Query code, so clients
 * see the right code either way.
 */
const ERROR_SHAPES: Array<{ queryCode: string; jsonType: string }> = [
  { queryCode: "AWS.SimpleQueueService.NonExistentQueue", jsonType: "com.amazonaws.sqs#QueueDoesNotExist" },
  { queryCode: "RequestThrottled", jsonType: "com.amazonaws.sqs#RequestThrottled" },
  { queryCode: "InvalidMessageContents", jsonType: "com.amazonaws.sqs#InvalidMessageContents" },
  { queryCode: "InvalidSecurity", jsonType: "com.amazonaws.sqs#InvalidSecurity" },
  { queryCode: "OverLimit", jsonType: "com.amazonaws.sqs#OverLimit" },
  { queryCode: "AWS.SimpleQueueService.UnsupportedOperation", jsonType: "com.amazonaws.sqs#UnsupportedOperation" },
  { queryCode: "ThrottlingException", jsonType: "com.amazon.coral.availability#ThrottlingException" },
  { queryCode: "ServiceUnavailable", jsonType: "com.amazon.coral.availability#ServiceUnavailableException" },
  { queryCode: "InternalError", jsonType: "com.amazon.coral.service#InternalFailure" },
  { queryCode: "InvalidClientTokenId", jsonType: "com.amazon.coral.service#UnrecognizedClientException" },
  { queryCode: "SignatureDoesNotMatch", jsonType: "com.amazon.coral.service#InvalidSignatureException" },
  { queryCode: "IncompleteSignature", jsonType: "com.amazon.coral.service#IncompleteSignatureException" },
  { queryCode: "MissingAuthenticationToken", jsonType: "com.amazon.coral.service#MissingAuthenticationTokenException" },
  { queryCode: "AccessDenied", jsonType: "com.amazon.coral.service#AccessDeniedException" },
  { queryCode: "MissingParameter", jsonType: "com.amazon.coral.service#MissingRequiredParameterException" },
  { queryCode: "InvalidParameterValue", jsonType: "com.amazon.coral.service#InvalidParameterValueException" },
  { queryCode: "InvalidAction", jsonType: "com.amazon.coral.service#UnknownOperationException" },
  { queryCode: "MalformedQueryString", jsonType: "com.amazon.coral.service#SerializationException" },
  { queryCode: "RequestEntityTooLarge", jsonType: "com.amazon.coral.service#RequestEntityTooLargeException" },
];

/** Finds the pair for a Query code, a full JSON __type or its short name after `#`. */
function resolveErrorShape(code: string): { queryCode: string; jsonType: string } {
  const shortName = (type: string): string => type.slice(type.indexOf("#") + 1);
  const known = ERROR_SHAPES.find(
    (shape) =>
      shape.queryCode === code ||
      shape.jsonType === code ||
      shortName(shape.jsonType) === code ||
      shortName(shape.jsonType) === `${code}Exception`,
  );
  if (known) return known;
  return { queryCode: code, jsonType: code.includes("#") ? code : `com.amazonaws.sqs#${code}` };
}

// ---------------------------------------------------------------------------
// Responses

interface Exchange {
  protocol: Protocol;
  requestId: string;
  record: ReceivedRequest;
  response: ServerResponse;
}

function serverClock(): Date {
  return new Date(Date.now() + behaviour.clockSkewSeconds * 1000);
}

function writeResponse(exchange: Exchange, status: number, headers: Record<string, string>, body: string): void {
  exchange.record.status = status;
  exchange.response.writeHead(status, {
    ...headers,
    "x-amzn-RequestId": exchange.requestId,
    // The Date header lets clients measure how far their clock is from the server's.
    Date: serverClock().toUTCString(),
    "Content-Length": String(Buffer.byteLength(body)),
  });
  exchange.response.end(body);
}

function sendError(exchange: Exchange, error: ProtocolError): void {
  const shape = resolveErrorShape(error.code);
  const fault = error.status >= 500 ? "Receiver" : "Sender";
  exchange.record.errorCode = shape.queryCode;
  if (exchange.protocol === "json") {
    const body = JSON.stringify({ __type: shape.jsonType, message: error.message });
    writeResponse(
      exchange,
      error.status,
      { "Content-Type": "application/x-amz-json-1.0", "x-amzn-query-error": `${shape.queryCode};${fault}` },
      body,
    );
    return;
  }
  const body =
    `<?xml version="1.0"?><ErrorResponse xmlns="${XML_NAMESPACE}">` +
    `<Error><Type>${fault}</Type><Code>${escapeXml(shape.queryCode)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message><Detail/></Error>` +
    `<RequestId>${exchange.requestId}</RequestId></ErrorResponse>`;
  writeResponse(exchange, error.status, { "Content-Type": "text/xml" }, body);
}

function sendMessageResult(
  exchange: Exchange,
  result: { messageId: string; md5: string; sequenceNumber?: string },
): void {
  if (exchange.protocol === "json") {
    const document: Record<string, string> = { MD5OfMessageBody: result.md5, MessageId: result.messageId };
    if (result.sequenceNumber !== undefined) document.SequenceNumber = result.sequenceNumber;
    writeResponse(exchange, 200, { "Content-Type": "application/x-amz-json-1.0" }, JSON.stringify(document));
    return;
  }
  const sequence = result.sequenceNumber === undefined ? "" : `<SequenceNumber>${result.sequenceNumber}</SequenceNumber>`;
  const body =
    `<?xml version="1.0"?><SendMessageResponse xmlns="${XML_NAMESPACE}">` +
    `<SendMessageResult><MessageId>${result.messageId}</MessageId>` +
    `<MD5OfMessageBody>${result.md5}</MD5OfMessageBody>${sequence}</SendMessageResult>` +
    `<ResponseMetadata><RequestId>${exchange.requestId}</RequestId></ResponseMetadata>` +
    `</SendMessageResponse>`;
  writeResponse(exchange, 200, { "Content-Type": "text/xml" }, body);
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

// ---------------------------------------------------------------------------
// Request parsing

interface ParsedRequest {
  action: string;
  parameters: Record<string, unknown>;
  queueUrl: string;
  error?: ProtocolError;
}

/** Returns a header's value, with repeated headers joined by commas as SigV4 canonicalizes them. */
function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function detectProtocol(request: IncomingMessage): Protocol {
  const contentType = request.headers["content-type"] ?? "";
  if (request.headers["x-amz-target"] !== undefined || contentType.startsWith("application/x-amz-json")) return "json";
  return "query";
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function parseJsonRequest(request: IncomingMessage, body: Buffer): ParsedRequest {
  const parsed: ParsedRequest = { action: "", parameters: {}, queueUrl: "" };
  const target = headerValue(request, "x-amz-target") ?? "";
  if (target.startsWith("AmazonSQS.")) parsed.action = target.slice("AmazonSQS.".length);

  if (request.method !== "POST") {
    parsed.error = { status: 400, code: "InvalidAction", message: `The JSON protocol requires POST, not ${request.method}.` };
    return parsed;
  }
  if (!parsed.action) {
    parsed.error = { status: 400, code: "InvalidAction", message: `X-Amz-Target '${target}' does not name an AmazonSQS operation.` };
    return parsed;
  }
  const contentType = request.headers["content-type"] ?? "";
  if (contentType !== "application/x-amz-json-1.0") {
    parsed.error = {
      status: 400,
      code: "MalformedQueryString",
      message: `Content-Type must be application/x-amz-json-1.0, not '${contentType}'.`,
    };
    return parsed;
  }

  let document: unknown;
  try {
    document = JSON.parse(strictUtf8.decode(body));
  } catch (error) {
    parsed.error = { status: 400, code: "MalformedQueryString", message: `Request body is not valid UTF-8 JSON: ${String(error)}` };
    return parsed;
  }
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    parsed.error = { status: 400, code: "MalformedQueryString", message: "Request body must be a JSON object." };
    return parsed;
  }
  parsed.parameters = document as Record<string, unknown>;
  for (const name of ["QueueUrl", "MessageBody", "MessageGroupId", "MessageDeduplicationId"]) {
    const value = parsed.parameters[name];
    if (value !== undefined && typeof value !== "string") {
      parsed.error = { status: 400, code: "MalformedQueryString", message: `${name} must be a JSON string.` };
      return parsed;
    }
  }
  parsed.queueUrl = (parsed.parameters.QueueUrl as string | undefined) ?? "";
  return parsed;
}

/**
 * Decodes application/x-www-form-urlencoded text: `+` is a space and every percent-decoded
 * byte sequence must be valid UTF-8, because URLSearchParams would silently substitute U+FFFD.
 */
function decodeForm(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  if (text === "") return fields;
  for (const pair of text.split("&")) {
    const separator = pair.indexOf("=");
    const name = separator === -1 ? pair : pair.slice(0, separator);
    const value = separator === -1 ? "" : pair.slice(separator + 1);
    fields.set(decodeFormComponent(name), decodeFormComponent(value));
  }
  return fields;
}

function decodeFormComponent(component: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < component.length; index++) {
    const character = component[index];
    if (character === "+") {
      bytes.push(0x20);
    } else if (character === "%") {
      const hex = component.slice(index + 1, index + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new Error(`invalid percent-escape '%${hex}' in '${component}'`);
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(character, "utf8"));
    }
  }
  try {
    return strictUtf8.decode(Uint8Array.from(bytes));
  } catch {
    throw new Error(`percent-escapes in '${component}' are not valid UTF-8`);
  }
}

function parseQueryRequest(request: IncomingMessage, path: string, rawQuery: string, body: Buffer): ParsedRequest {
  const parsed: ParsedRequest = { action: "", parameters: {}, queueUrl: "" };
  const fields = new Map<string, string>();
  try {
    for (const [name, value] of decodeForm(rawQuery)) fields.set(name, value);
    if (request.method === "POST") {
      const contentType = (request.headers["content-type"] ?? "").split(";")[0].trim();
      if (contentType !== "application/x-www-form-urlencoded") {
        parsed.error = {
          status: 400,
          code: "MalformedQueryString",
          message: `Content-Type must be application/x-www-form-urlencoded or application/x-amz-json-1.0, not '${contentType}'.`,
        };
        return parsed;
      }
      for (const [name, value] of decodeForm(strictUtf8.decode(body))) fields.set(name, value);
    } else if (request.method !== "GET") {
      parsed.error = { status: 400, code: "InvalidAction", message: `The Query protocol requires POST or GET, not ${request.method}.` };
      return parsed;
    }
  } catch (error) {
    parsed.error = { status: 400, code: "MalformedQueryString", message: `Request parameters are malformed: ${(error as Error).message}` };
    return parsed;
  }

  parsed.parameters = Object.fromEntries(fields);
  parsed.action = fields.get("Action") ?? "";
  const host = request.headers.host ?? "";
  parsed.queueUrl = fields.get("QueueUrl") ?? (path === "/" ? "" : `http://${host}${path}`);
  if (!parsed.action) {
    parsed.error = { status: 400, code: "MissingAction", message: "The request must contain the parameter Action." };
  }
  return parsed;
}

// ---------------------------------------------------------------------------
// SigV4 verification

interface SignatureCheck {
  valid: boolean;
  /** Error response for the client when the check failed. */
  error?: ProtocolError;
  /** Reason recorded for the test, more specific than the response. */
  detail?: string;
  canonicalRequest?: string;
}

/** Formats a Date as the SigV4 basic ISO-8601 form, `20260101T000000Z`. */
function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Splits `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` into its parts. */
function parseAuthorization(header: string): { credential: string; signedHeaders: string; signature: string } | undefined {
  const prefix = "AWS4-HMAC-SHA256 ";
  if (!header.startsWith(prefix)) return undefined;
  const parts = new Map<string, string>();
  for (const component of header.slice(prefix.length).split(",")) {
    const separator = component.indexOf("=");
    if (separator === -1) return undefined;
    parts.set(component.slice(0, separator).trim(), component.slice(separator + 1).trim());
  }
  const credential = parts.get("Credential");
  const signedHeaders = parts.get("SignedHeaders");
  const signature = parts.get("Signature");
  if (!credential || !signedHeaders || !signature) return undefined;
  return { credential, signedHeaders, signature };
}

function parseSigningQuery(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (rawQuery === "") return query;
  for (const pair of rawQuery.split("&")) {
    const separator = pair.indexOf("=");
    const name = decodeURIComponent(separator === -1 ? pair : pair.slice(0, separator));
    const value = decodeURIComponent(separator === -1 ? "" : pair.slice(separator + 1));
    const existing = query[name];
    if (existing === undefined) query[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[name] = [existing, value];
  }
  return query;
}

function signatureFailure(protocol: Protocol, code: string, message: string, detail = message): SignatureCheck {
  // AWS JSON services respond to every authentication failure with 400. The Query protocol
  // uses 403 except for a malformed Authorization header.
  const status = protocol === "json" || code === "IncompleteSignature" ? 400 : 403;
  return { valid: false, error: { status, code, message }, detail };
}

/**
 * Verifies the request's SigV4 signature. It rebuilds the request from the method, raw
 * path, query, the headers named in SignedHeaders and the raw body, signs it with
 * @smithy/signature-v4 at the request's own X-Amz-Date, and compares the result.
 */
async function verifySignature(
  protocol: Protocol,
  request: IncomingMessage,
  path: string,
  rawQuery: string,
  body: Buffer,
): Promise<SignatureCheck> {
  const fail = (code: string, message: string, detail?: string): SignatureCheck =>
    signatureFailure(protocol, code, message, detail);
  const header = (name: string): string | undefined => headerValue(request, name);

  const authorization = header("authorization");
  if (authorization === undefined) {
    return fail("MissingAuthenticationToken", "Request is missing Authentication Token");
  }
  const parts = parseAuthorization(authorization);
  if (!parts) {
    return fail(
      "IncompleteSignature",
      `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters in AWS4-HMAC-SHA256 form. Authorization=${authorization}`,
    );
  }

  const amzDateText = header("x-amz-date");
  if (amzDateText === undefined) {
    // NOTE: SigV4 also allows the Date header in place of X-Amz-Date, but @smithy/signature-v4
    // always signs X-Amz-Date, so this server requires it.
    return fail("IncompleteSignature", "Authorization header requires existence of a 'X-Amz-Date' header.");
  }
  const amzDate = parseAmzDate(amzDateText);
  if (!amzDate) {
    return fail("IncompleteSignature", `Date must be in ISO-8601 'basic format'. Got '${amzDateText}'.`);
  }

  const clock = serverClock();
  if (amzDate.getTime() < clock.getTime() - MAX_CLOCK_SKEW_MS) {
    const limit = new Date(clock.getTime() - MAX_CLOCK_SKEW_MS);
    return fail(
      "SignatureDoesNotMatch",
      `Signature expired: ${amzDateText} is now earlier than ${formatAmzDate(limit)} (${formatAmzDate(clock)} - 5 min.)`,
    );
  }
  if (amzDate.getTime() > clock.getTime() + MAX_CLOCK_SKEW_MS) {
    const limit = new Date(clock.getTime() + MAX_CLOCK_SKEW_MS);
    return fail(
      "SignatureDoesNotMatch",
      `Signature not yet current: ${amzDateText} is still later than ${formatAmzDate(limit)} (${formatAmzDate(clock)} + 5 min.)`,
    );
  }

  const scope = parts.credential.split("/");
  if (scope.length !== 5) {
    return fail("IncompleteSignature", `Credential must have the form <key>/<date>/<region>/<service>/aws4_request, got '${parts.credential}'.`);
  }
  const [accessKey, scopeDate, scopeRegion, scopeService, terminator] = scope;
  const invalidToken = "The security token included in the request is invalid.";
  if (accessKey !== settings.accessKey) {
    return fail("InvalidClientTokenId", invalidToken, `access key '${accessKey}' is not the server's '${settings.accessKey}'`);
  }

  const sessionToken = header("x-amz-security-token");
  if (settings.sessionToken !== undefined && sessionToken !== settings.sessionToken) {
    const detail = sessionToken === undefined ? "X-Amz-Security-Token is missing" : "X-Amz-Security-Token does not match the server's session token";
    return fail("InvalidClientTokenId", invalidToken, detail);
  }
  if (settings.sessionToken === undefined && sessionToken !== undefined) {
    return fail("InvalidClientTokenId", invalidToken, "X-Amz-Security-Token was sent but the server has long-term credentials");
  }

  if (scopeDate !== amzDateText.slice(0, 8)) {
    return fail(
      "SignatureDoesNotMatch",
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDateText.slice(0, 8)}', from '${amzDateText}'.`,
    );
  }
  if (scopeRegion !== settings.region) {
    return fail("SignatureDoesNotMatch", `Credential should be scoped to a valid region, not '${scopeRegion}'.`);
  }
  if (scopeService !== "sqs") {
    return fail("SignatureDoesNotMatch", `Credential should be scoped to correct service: 'sqs', not '${scopeService}'.`);
  }
  if (terminator !== "aws4_request") {
    return fail("SignatureDoesNotMatch", `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
  }

  const signedHeaders = parts.signedHeaders.split(";");
  if (!signedHeaders.includes("host")) {
    return fail("SignatureDoesNotMatch", SIGNATURE_MISMATCH_MESSAGE, "SignedHeaders does not include host");
  }
  if (!signedHeaders.includes("x-amz-date")) {
    return fail("SignatureDoesNotMatch", SIGNATURE_MISMATCH_MESSAGE, "SignedHeaders does not include x-amz-date");
  }
  if (signedHeaders.includes("date")) {
    // NOTE: @smithy/signature-v4 drops the Date header before signing, so a request that
    // signs it cannot be rebuilt here even when its signature is right.
    return fail("SignatureDoesNotMatch", SIGNATURE_MISMATCH_MESSAGE, "SignedHeaders includes date, which this server cannot verify");
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = header(name);
    if (value === undefined) {
      return fail("SignatureDoesNotMatch", SIGNATURE_MISMATCH_MESSAGE, `header '${name}' is listed in SignedHeaders but missing from the request`);
    }
    headers[name] = value;
  }

  const declaredHash = header("x-amz-content-sha256");
  if (declaredHash !== undefined) {
    const bodyHash = createHash("sha256").update(body).digest("hex");
    if (declaredHash !== bodyHash) {
      return fail(
        "SignatureDoesNotMatch",
        SIGNATURE_MISMATCH_MESSAGE,
        `x-amz-content-sha256 '${declaredHash}' is not the SHA-256 of the body, ${bodyHash}`,
      );
    }
  }

  let query: Record<string, string | string[]>;
  try {
    query = parseSigningQuery(rawQuery);
  } catch {
    return fail("IncompleteSignature", `The query string '${rawQuery}' has an invalid percent-escape.`);
  }

  const signer = new InspectableSigner({
    credentials: {
      accessKeyId: settings.accessKey,
      secretAccessKey: settings.secretKey,
      sessionToken: settings.sessionToken,
    },
    region: settings.region,
    service: "sqs",
    sha256: Sha256,
    applyChecksum: false,
  });
  const rebuilt = {
    method: request.method ?? "GET",
    protocol: "http:",
    hostname: "127.0.0.1",
    path,
    query,
    headers,
    body: Uint8Array.from(body),
  };
  const signableHeaders = new Set(signedHeaders);
  const signed = await signer.sign(rebuilt, { signingDate: amzDate, signableHeaders });
  const expected = parseAuthorization(signed.headers.authorization);
  if (expected && expected.signedHeaders === parts.signedHeaders && expected.signature === parts.signature) {
    return { valid: true };
  }

  const canonicalRequest = await describeCanonicalRequest(signer, rebuilt, amzDateText, signableHeaders);
  const detail =
    expected?.signedHeaders !== parts.signedHeaders
      ? `SignedHeaders '${parts.signedHeaders}' differs from the server's '${expected?.signedHeaders}'`
      : `Signature ${parts.signature} differs from the server's ${expected.signature}`;
  return { ...fail("SignatureDoesNotMatch", SIGNATURE_MISMATCH_MESSAGE, detail), canonicalRequest };
}

/** SignatureV4 with its canonical request builder made public, for failure reports. */
class InspectableSigner extends SignatureV4 {
  canonicalRequest(...args: Parameters<SignatureV4["createCanonicalRequest"]>): string {
    return this.createCanonicalRequest(...args);
  }
}

/** Rebuilds the canonical request the way SignatureV4.signRequest does, for failure reports. */
async function describeCanonicalRequest(
  signer: InspectableSigner,
  request: Parameters<typeof prepareRequest>[0],
  amzDate: string,
  signableHeaders: Set<string>,
): Promise<string> {
  const prepared = prepareRequest(request);
  prepared.headers["x-amz-date"] = amzDate;
  if (settings.sessionToken !== undefined) prepared.headers["x-amz-security-token"] = settings.sessionToken;
  const canonicalHeaders = getCanonicalHeaders(prepared, undefined, signableHeaders);
  const payloadHash = await getPayloadHash(prepared, Sha256);
  return signer.canonicalRequest(prepared, canonicalHeaders, payloadHash);
}

// ---------------------------------------------------------------------------
// SendMessage

function md5Hex(text: string): string {
  return createHash("md5").update(text, "utf8").digest("hex");
}

function nextSequenceNumber(): string {
  sequenceCounter += 1n;
  return sequenceCounter.toString().padStart(20, "0");
}

function optionalString(parameters: Record<string, unknown>, name: string): string | undefined {
  const value = parameters[name];
  return typeof value === "string" ? value : undefined;
}

function handleSendMessage(exchange: Exchange, parsed: ParsedRequest): void {
  const { parameters, queueUrl } = parsed;
  if (!queueUrl) {
    sendError(exchange, { status: 400, code: "MissingParameter", message: "The request must contain the parameter QueueUrl." });
    return;
  }
  let queueName: string | undefined;
  try {
    const match = QUEUE_PATH_PATTERN.exec(new URL(queueUrl).pathname);
    if (match && match[1] === ACCOUNT_ID) queueName = match[2];
  } catch {
    queueName = undefined;
  }
  if (queueName === undefined) {
    sendError(exchange, { status: 400, code: "AWS.SimpleQueueService.NonExistentQueue", message: "The specified queue does not exist." });
    return;
  }

  const messageBody = optionalString(parameters, "MessageBody");
  if (!messageBody) {
    sendError(exchange, { status: 400, code: "MissingParameter", message: "The request must contain the parameter MessageBody." });
    return;
  }
  if (INVALID_BODY_CHARACTER.test(messageBody)) {
    sendError(exchange, {
      status: 400,
      code: "InvalidMessageContents",
      message:
        "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
    });
    return;
  }
  const size = Buffer.byteLength(messageBody, "utf8");
  if (size > MAX_MESSAGE_BYTES) {
    sendError(exchange, {
      status: 400,
      code: "InvalidParameterValue",
      message: `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`,
    });
    return;
  }

  const fifo = queueName.endsWith(".fifo");
  const groupId = optionalString(parameters, "MessageGroupId");
  const deduplicationId = optionalString(parameters, "MessageDeduplicationId");
  const error = fifo
    ? checkFifoParameters(groupId, deduplicationId, parameters.DelaySeconds)
    : checkStandardParameters(deduplicationId);
  if (error) {
    sendError(exchange, error);
    return;
  }

  let md5 = md5Hex(messageBody);
  // Any hex digest other than the body's own serves to test a client's MD5 check.
  if (behaviour.wrongMd5) md5 = md5Hex(`${messageBody} (wrong)`);
  let messageId: string = randomUUID();
  let sequenceNumber: string | undefined;

  if (fifo && deduplicationId !== undefined) {
    const now = Date.now();
    for (const [key, entry] of deduplication) if (entry.expiresAt <= now) deduplication.delete(key);
    const key = `${queueName}\n${deduplicationId}`;
    const first = deduplication.get(key);
    if (first) {
      // SQS accepts a duplicate within the deduplication interval but never delivers it.
      // This server returns the first message's MessageId and SequenceNumber for it.
      exchange.record.duplicate = true;
      messageId = first.messageId;
      sequenceNumber = first.sequenceNumber;
    } else {
      sequenceNumber = nextSequenceNumber();
      deduplication.set(key, { messageId, sequenceNumber, expiresAt: now + DEDUPLICATION_INTERVAL_MS });
    }
  }

  exchange.record.accepted = true;
  exchange.record.messageId = messageId;
  exchange.record.md5OfMessageBody = md5;
  exchange.record.sequenceNumber = sequenceNumber;
  sendMessageResult(exchange, { messageId, md5, sequenceNumber });
}

function checkFifoParameters(
  groupId: string | undefined,
  deduplicationId: string | undefined,
  delaySeconds: unknown,
): ProtocolError | undefined {
  if (groupId === undefined) {
    return { status: 400, code: "MissingParameter", message: "The request must contain the parameter MessageGroupId." };
  }
  if (!FIFO_ID_PATTERN.test(groupId)) {
    return {
      status: 400,
      code: "InvalidParameterValue",
      message: `Value ${groupId} for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    };
  }
  // Queues created here never enable ContentBasedDeduplication, so the id is required.
  if (deduplicationId === undefined) {
    return {
      status: 400,
      code: "InvalidParameterValue",
      message: "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
    };
  }
  if (!FIFO_ID_PATTERN.test(deduplicationId)) {
    return {
      status: 400,
      code: "InvalidParameterValue",
      message: `Value ${deduplicationId} for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    };
  }
  if (delaySeconds !== undefined && Number(delaySeconds) !== 0) {
    return {
      status: 400,
      code: "InvalidParameterValue",
      message: `Value ${String(delaySeconds)} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`,
    };
  }
  return undefined;
}

// A MessageGroupId on a standard queue is allowed, because SQS fair queues use it.
function checkStandardParameters(deduplicationId: string | undefined): ProtocolError | undefined {
  if (deduplicationId === undefined) return undefined;
  return {
    status: 400,
    code: "InvalidParameterValue",
    message: `Value ${deduplicationId} for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.`,
  };
}

// ---------------------------------------------------------------------------
// Request handling

function readBody(request: IncomingMessage): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let tooLarge = false;
    request.on("data", (chunk: Buffer) => {
      length += chunk.length;
      // Keep counting but stop storing, so an oversized request cannot exhaust memory.
      if (length > MAX_REQUEST_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on("end", () => resolveBody({ body: Buffer.concat(chunks), tooLarge }));
    request.on("error", reject);
  });
}

function newRecord(request: IncomingMessage, protocol: Protocol, path: string): ReceivedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return {
    protocol,
    method: request.method ?? "",
    path,
    action: "",
    queueUrl: "",
    messageBody: "",
    parameters: {},
    signatureValid: false,
    headers,
    amzDate: headers["x-amz-date"] ?? "",
    authorization: headers.authorization ?? "",
    accepted: false,
    duplicate: false,
    status: 0,
    receivedAt: Date.now(),
  };
}

async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const protocol = detectProtocol(request);
  const url = request.url ?? "/";
  const queryStart = url.indexOf("?");
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? "" : url.slice(queryStart + 1);
  const record = newRecord(request, protocol, path);
  records.push(record);
  const exchange: Exchange = { protocol, requestId: randomUUID(), record, response };

  const { body, tooLarge } = await readBody(request);
  if (tooLarge) {
    sendError(exchange, { status: 413, code: "RequestEntityTooLarge", message: `Request body exceeds ${MAX_REQUEST_BYTES} bytes.` });
    return;
  }

  const parsed = protocol === "json" ? parseJsonRequest(request, body) : parseQueryRequest(request, path, rawQuery, body);
  record.action = parsed.action;
  record.parameters = parsed.parameters;
  record.queueUrl = parsed.queueUrl;
  record.messageBody = optionalString(parsed.parameters, "MessageBody") ?? "";
  record.messageGroupId = optionalString(parsed.parameters, "MessageGroupId");
  record.messageDeduplicationId = optionalString(parsed.parameters, "MessageDeduplicationId");

  const check = await verifySignature(protocol, request, path, rawQuery, body);
  record.signatureValid = check.valid;
  record.signatureError = check.detail;
  record.canonicalRequest = check.canonicalRequest;

  if (behaviour.stallForever) {
    setTimeout(() => request.socket.destroy(), STALL_CLOSE_MS);
    return;
  }
  if (behaviour.delayMs > 0) await new Promise((wake) => setTimeout(wake, behaviour.delayMs));

  const failure: ScriptedFailure | undefined = behaviour.failNext.shift();
  if (failure) {
    sendError(exchange, failure);
  } else if (check.error) {
    sendError(exchange, check.error);
  } else if (parsed.error) {
    sendError(exchange, parsed.error);
  } else if (parsed.action === "SendMessage") {
    handleSendMessage(exchange, parsed);
  } else {
    const message =
      protocol === "query"
        ? `The action ${parsed.action} is not valid for this endpoint.`
        : `The operation ${parsed.action} is not supported by this test server, which implements only SendMessage.`;
    sendError(exchange, { status: 400, code: "InvalidAction", message });
  }
}

// ---------------------------------------------------------------------------
// IPC with the test process

function send(message: ChildMessage): void {
  process.send?.(message);
}

process.on("message", (message: ParentMessage) => {
  if (message.kind === "received") {
    send({ kind: "reply", id: message.id, result: records });
  } else if (message.kind === "configure") {
    behaviour = { ...defaultBehaviour(), ...message.behaviour, failNext: [...(message.behaviour.failNext ?? [])] };
    send({ kind: "reply", id: message.id });
  } else if (message.kind === "reset") {
    behaviour = defaultBehaviour();
    records = [];
    deduplication = new Map();
    send({ kind: "reply", id: message.id });
  }
});

// Exit when the test process goes away, so a crashed test leaves no server behind.
process.on("disconnect", () => process.exit(0));

const server = createServer((request, response) => {
  handleRequest(request, response).catch((error: unknown) => {
    console.error("SQS test server: request failed:", error);
    if (!response.headersSent) {
      response.writeHead(500, { "Content-Type": "text/plain" });
      response.end(`SQS test server error: ${String(error)}`);
    } else {
      response.destroy();
    }
  });
});
server.listen(0, "127.0.0.1", () => {
  send({ kind: "listening", port: (server.address() as AddressInfo).port });
});
