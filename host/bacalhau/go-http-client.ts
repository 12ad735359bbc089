// An HTTP client that behaves like the Go http.Client{Timeout} Bacalhau's host function uses.
// It has the same default headers, redirect rules, gzip handling, response header names and
// errors, so a server receives the same request and the guest gets the same response as there.
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { createGunzip } from "node:zlib";

import { canonicalHeaderName, type HeaderField, isValidHeaderName, isValidHeaderValue, parseGoUrl } from "./go-net.ts";

/** One request from the guest, after the host function has read and checked it. */
export interface HttpCall {
  method: string;
  url: string;
  headers: HeaderField[];
  /** Request body, or null for none. */
  body: Uint8Array | null;
  /** Deadline for the whole exchange, redirects and body included, like Go's Client.Timeout. */
  timeoutMs: number;
  /** Maximum number of body bytes read; the rest of the body is dropped without an error. */
  bodyLimit: number;
  /**
   * When set, the call starts with a HEAD request, and a Content-Length above this many bytes
   * ends it as too large. Older executors did this for method code 0 (GET).
   */
  headPrecheckLimit?: number;
}

export type HttpOutcome =
  /** headerLines are `Name: value` strings with one character per byte (latin1), as received. */
  | { kind: "response"; status: number; headerLines: string[]; body: Uint8Array }
  | { kind: "timeout"; message: string }
  | { kind: "network-error"; message: string }
  | { kind: "too-large"; message: string };

// Go's default redirect policy stops at the 11th redirect with an error.
const MAX_REDIRECTS = 10;
const USER_AGENT = "Go-http-client/1.1";
// Headers Go drops when a redirect leaves the original host and its subdomains.
const SENSITIVE_HEADERS = new Set(["Authorization", "Www-Authenticate", "Cookie", "Cookie2"]);
// Headers Go's Request.Write takes from the request itself, ignoring the header map.
const REQUEST_OWNED_HEADERS = new Set(["Host", "Content-Length", "Transfer-Encoding", "Trailer"]);

class TimeoutError extends Error {}

const agents = {
  "http:": new http.Agent({ keepAlive: true }),
  "https:": new https.Agent({ keepAlive: true }),
};

interface Exchange {
  method: string;
  url: URL;
  /** The Host header: Go's URL.Host with an empty port removed. */
  hostHeader: string;
  headers: Map<string, string[]>;
  body: Uint8Array | null;
}

/** Performs `call` like Go's client.Do followed by io.ReadAll(io.LimitReader(body, limit)). */
export async function performHttpCall(call: HttpCall): Promise<HttpOutcome> {
  if (call.headPrecheckLimit !== undefined) {
    const tooLarge = await headPrecheck(call, call.headPrecheckLimit);
    if (tooLarge) return tooLarge;
  }

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new TimeoutError(`request timed out after ${call.timeoutMs} ms`));
  }, call.timeoutMs);
  try {
    let response: IncomingMessage;
    try {
      response = await doWithRedirects(call, controller.signal);
    } catch (error) {
      return classifyError(error, timedOut);
    }
    try {
      const { headerLines, stream } = decodeResponse(response, requestedGzip(call));
      const body = await readLimited(stream, call.bodyLimit, controller.signal);
      return { kind: "response", status: response.statusCode ?? 0, headerLines, body };
    } catch (error) {
      // Go reports a failure while reading the body, its timeout included, as a read error,
      // which the host function returns as a network error.
      return { kind: "network-error", message: errorMessage(error) };
    } finally {
      response.destroy();
    }
  } finally {
    clearTimeout(timer);
  }
}

async function headPrecheck(call: HttpCall, limit: number): Promise<HttpOutcome | undefined> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TimeoutError("HEAD request timed out")), call.timeoutMs);
  try {
    const response = await doWithRedirects({ ...call, method: "HEAD", body: null }, controller.signal);
    response.destroy();
    const length = Number(response.headers["content-length"] ?? -1);
    if (length > 0 && length > limit) {
      return { kind: "too-large", message: `Content-Length ${length} exceeds the response limit of ${limit} bytes` };
    }
  } catch {
    // Older executors ignored a failed HEAD and went on with the GET.
  } finally {
    clearTimeout(timer);
  }
  return undefined;
}

function classifyError(error: unknown, timedOut: boolean): HttpOutcome {
  const code = (error as { code?: string }).code;
  if (timedOut || error instanceof TimeoutError || code === "ETIMEDOUT") {
    return { kind: "timeout", message: errorMessage(error) };
  }
  return { kind: "network-error", message: errorMessage(error) };
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    return cause ? `${error.message}: ${cause}` : error.message;
  }
  return String(error);
}

function requestedGzip(call: HttpCall): boolean {
  const names = new Set(call.headers.map(([name]) => canonicalHeaderName(name)));
  return call.method !== "HEAD" && !names.has("Accept-Encoding") && !names.has("Range");
}

function firstExchange(call: HttpCall): Exchange {
  const goUrl = parseGoUrl(call.url);
  if ("error" in goUrl) throw new Error(`parse "${call.url}": ${goUrl.error}`);
  if (goUrl.scheme !== "http" && goUrl.scheme !== "https") {
    throw new Error(`unsupported protocol scheme "${goUrl.scheme}"`);
  }
  if (goUrl.host === "") throw new Error("http: no Host in request URL");
  const url = new URL(call.url);

  const headers = new Map<string, string[]>();
  for (const [rawName, value] of call.headers) {
    const name = canonicalHeaderName(rawName);
    if (!isValidHeaderName(name)) throw new Error(`net/http: invalid header field name "${name}"`);
    if (!isValidHeaderValue(value)) throw new Error(`net/http: invalid header field value for "${name}"`);
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  const hostHeader = /^[\x21-\x7e]*$/.test(goUrl.host) ? goUrl.host.replace(/:$/, "") : url.host;
  return { method: call.method, url, hostHeader, headers, body: call.body };
}

/** Sends the request and follows redirects as Go's client does, returning the final response. */
async function doWithRedirects(call: HttpCall, signal: AbortSignal): Promise<IncomingMessage> {
  const first = firstExchange(call);
  const gzip = requestedGzip(call);
  let exchange = first;
  for (let redirects = 0; ; redirects++) {
    const response = await send(exchange, gzip, signal);
    const next = nextExchange(first, exchange, response);
    if (!next) return response;
    response.destroy();
    if (redirects >= MAX_REDIRECTS) throw new Error(`stopped after ${MAX_REDIRECTS} redirects`);
    exchange = next;
  }
}

/** Builds the follow-up request for a redirect response, or returns undefined to stop. */
function nextExchange(first: Exchange, previous: Exchange, response: IncomingMessage): Exchange | undefined {
  const status = response.statusCode ?? 0;
  let method = previous.method;
  let body = previous.body;
  if (status === 301 || status === 302 || status === 303) {
    // Go turns every method but GET and HEAD into GET and drops the body.
    if (method !== "GET" && method !== "HEAD") method = "GET";
    body = null;
  } else if (status !== 307 && status !== 308) {
    return undefined;
  }
  const location = response.headers.location;
  if (!location) return undefined;

  let url: URL;
  try {
    url = new URL(location, previous.url);
  } catch {
    throw new Error(`failed to parse Location header "${location}"`);
  }
  const headers = new Map<string, string[]>();
  for (const [name, values] of first.headers) {
    if (SENSITIVE_HEADERS.has(name) && !isSameOrSubdomain(url, first.url)) continue;
    headers.set(name, values);
  }
  // Go sends the previous URL, without credentials, as Referer unless the guest set one or the
  // redirect goes from https to http.
  if (!headers.has("Referer") && !(previous.url.protocol === "https:" && url.protocol === "http:")) {
    const referer = new URL(previous.url);
    referer.username = "";
    referer.password = "";
    headers.set("Referer", [referer.href]);
  }
  return { method, url, hostHeader: url.host, headers, body };
}

function isSameOrSubdomain(destination: URL, initial: URL): boolean {
  const address = (url: URL): string => `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
  const destinationAddress = address(destination);
  const initialAddress = address(initial);
  return destinationAddress === initialAddress || destinationAddress.endsWith(`.${initialAddress}`);
}

function send(exchange: Exchange, gzip: boolean, signal: AbortSignal): Promise<IncomingMessage> {
  const protocol = exchange.url.protocol;
  if (protocol !== "http:" && protocol !== "https:") {
    return Promise.reject(new Error(`unsupported protocol scheme "${protocol.slice(0, -1)}"`));
  }

  // Go's order: Host, User-Agent, Content-Length, the header map sorted by name, Accept-Encoding.
  const raw: string[] = ["Host", exchange.hostHeader];
  const userAgent = exchange.headers.get("User-Agent");
  if (userAgent === undefined) raw.push("User-Agent", USER_AGENT);
  else if (userAgent[0] !== "") raw.push("User-Agent", userAgent[0]);
  if (exchange.body) {
    raw.push("Content-Length", String(exchange.body.length));
  } else if (["POST", "PUT", "PATCH"].includes(exchange.method)) {
    raw.push("Content-Length", "0");
  }
  for (const name of [...exchange.headers.keys()].sort()) {
    if (REQUEST_OWNED_HEADERS.has(name) || name === "User-Agent") continue;
    for (const value of exchange.headers.get(name)!) raw.push(name, Buffer.from(value).toString("latin1"));
  }
  if (gzip) raw.push("Accept-Encoding", "gzip");

  const client = protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(exchange.url, {
      method: exchange.method,
      headers: raw as unknown as http.OutgoingHttpHeaders,
      agent: agents[protocol],
      signal,
    });
    request.once("response", resolve);
    request.once("error", (error) => reject(signal.aborted ? signal.reason : error));
    request.end(exchange.body ? Buffer.from(exchange.body) : undefined);
  });
}

/** Formats the response headers as Go's client presents them, and undoes gzip it asked for. */
function decodeResponse(response: IncomingMessage, gzip: boolean): { headerLines: string[]; stream: NodeJS.ReadableStream } {
  const grouped = new Map<string, string[]>();
  for (let i = 0; i < response.rawHeaders.length; i += 2) {
    const name = canonicalHeaderName(response.rawHeaders[i]);
    // Go moves these into Response fields and removes them from the header map.
    if (name === "Transfer-Encoding" || name === "Trailer") continue;
    grouped.set(name, [...(grouped.get(name) ?? []), response.rawHeaders[i + 1]]);
  }
  let stream: NodeJS.ReadableStream = response;
  if (gzip && (grouped.get("Content-Encoding")?.[0] ?? "").toLowerCase() === "gzip") {
    grouped.delete("Content-Encoding");
    grouped.delete("Content-Length");
    stream = response.pipe(createGunzip());
  }
  const headerLines: string[] = [];
  for (const [name, values] of grouped) {
    for (const value of values) headerLines.push(`${name}: ${value}`);
  }
  return { headerLines, stream };
}

async function readLimited(stream: NodeJS.ReadableStream, limit: number, signal: AbortSignal): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    const finish = (error?: unknown): void => {
      signal.removeEventListener("abort", onAbort);
      stream.removeAllListeners("data");
      if (error) reject(error);
      else resolve();
    };
    stream.on("data", (chunk: Buffer) => {
      const room = limit - total;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      total += Math.min(chunk.length, room);
      if (total >= limit) finish();
    });
    stream.once("end", () => finish());
    stream.once("error", (error) => finish(error));
    if (limit <= 0) finish();
  });
  return Buffer.concat(chunks, total);
}
