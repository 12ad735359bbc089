// The `wasi:http/requests`.`http_request` host function with the ABI and result codes of
// Bacalhau's WASM executor (pkg/executor/wasm/funcs/http in bacalhau-project/bacalhau, 2025).
// The checks run in the executor's order, because the order decides which code a guest gets
// when several things are wrong, and whether the request reaches the network at all.
import type { HttpCall, HttpOutcome } from "./go-http-client.ts";
import { matchesDomainPattern, parseGoUrl, parseHeaderLines } from "./go-net.ts";

export const ResultCode = {
  success: 0,
  invalidUrl: 1,
  networkError: 2,
  timeout: 3,
  notAllowed: 4,
  tooLarge: 5,
  badInput: 6,
  memoryError: 7,
} as const;

const METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"];

// The executor's response limit: 80% of the module's memory, at most 100 MiB and, in the
// versions that truncate, at least 64 KiB.
const MEMORY_SHARE = 0.8;
const MAX_RESPONSE_BYTES = 100 * 1024 * 1024;
const MIN_RESPONSE_BYTES = 64 * 1024;

export interface HttpHostOptions {
  network: "http" | "full";
  /** Allowed-domain patterns, already lower-cased and trimmed. Used with network "http". */
  domains: readonly string[];
  requestTimeoutMs: number;
  /** Fixed cap on the response body in bytes, replacing the share of module memory. */
  responseLimitBytes?: number;
  /**
   * Behaviour when the response does not fit the guest's buffers. "truncate" is what 2025
   * executors do: cut the headers and body to the buffers and return 0. "error" is the older
   * executors' behaviour: return 5 and write nothing, and precede each GET (method 0) with a
   * HEAD whose Content-Length above the response limit also gives 5.
   */
  tooLarge: "truncate" | "error";
}

/** Bounds-checked access to the guest's linear memory, with wazero's rules for what fits. */
class GuestMemory {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(memory: WebAssembly.Memory) {
    this.bytes = new Uint8Array(memory.buffer);
    this.view = new DataView(memory.buffer);
  }

  get size(): number {
    return this.bytes.length;
  }

  read(pointer: number, length: number): Uint8Array | undefined {
    if (pointer + length > this.size) return undefined;
    return this.bytes.slice(pointer, pointer + length);
  }

  readU32(pointer: number): number | undefined {
    if (pointer + 4 > this.size) return undefined;
    return this.view.getUint32(pointer, true);
  }

  writeU32(pointer: number, value: number): boolean {
    if (pointer + 4 > this.size) return false;
    this.view.setUint32(pointer, value, true);
    return true;
  }

  write(pointer: number, data: Uint8Array): boolean {
    if (pointer + data.length > this.size) return false;
    this.bytes.set(data, pointer);
    return true;
  }

  /** Writes the bytes that fit and reports whether all did, as the older byte-by-byte copy did. */
  writeUntilEnd(pointer: number, data: Uint8Array): boolean {
    const room = Math.max(0, Math.min(data.length, this.size - pointer));
    this.bytes.set(data.subarray(0, room), pointer);
    return room === data.length;
  }
}

type Prepared = { call: Omit<HttpCall, "timeoutMs" | "bodyLimit"> } | { code: number };

/**
 * Creates the http_request import. `memory` returns the instance's memory once it exists, and
 * `perform` carries out one request synchronously, because a host function must return its
 * result before the guest continues.
 */
export function createHttpRequestFunction(
  options: HttpHostOptions,
  memory: () => WebAssembly.Memory,
  perform: (call: HttpCall) => HttpOutcome,
): (...args: number[]) => number {
  const isHostAllowed = (host: string): boolean =>
    options.network === "full" || options.domains.some((pattern) => matchesDomainPattern(pattern, host));

  const responseLimit = (guest: GuestMemory): number => {
    if (options.responseLimitBytes !== undefined) return options.responseLimitBytes;
    let limit = Math.min(Math.floor(guest.size * MEMORY_SHARE), MAX_RESPONSE_BYTES);
    if (options.tooLarge === "truncate") limit = Math.max(limit, MIN_RESPONSE_BYTES);
    return limit;
  };

  function prepare(guest: GuestMemory, values: number[]): Prepared {
    const [method, urlPtr, urlLen, headersPtr, headersLen, bodyPtr, bodyLen, ...response] = values;
    const [responseHeadersPtr, responseHeadersLenPtr, responseBodyPtr, responseBodyLenPtr] = response;
    const missingResponsePointer =
      responseHeadersPtr === 0 || responseHeadersLenPtr === 0 || responseBodyPtr === 0 || responseBodyLenPtr === 0;
    if (options.tooLarge === "truncate" && missingResponsePointer) return { code: ResultCode.badInput };

    const urlBytes = guest.read(urlPtr, urlLen);
    if (!urlBytes) return { code: ResultCode.invalidUrl };
    const url = Buffer.from(urlBytes).toString("utf8");
    const parsed = parseGoUrl(url);
    if ("error" in parsed) return { code: ResultCode.invalidUrl };
    if (!isHostAllowed(parsed.host)) return { code: ResultCode.notAllowed };
    if (options.tooLarge === "error" && missingResponsePointer) return { code: ResultCode.badInput };

    // Headers outside memory are skipped, not an error, in every executor version.
    const headerBytes = headersPtr !== 0 && headersLen > 0 ? guest.read(headersPtr, headersLen) : undefined;
    const headers = headerBytes ? parseHeaderLines(Buffer.from(headerBytes).toString("utf8")) : [];

    let body: Uint8Array | null = null;
    if (bodyPtr !== 0 && bodyLen > 0) {
      const bytes = guest.read(bodyPtr, bodyLen);
      if (!bytes) return { code: ResultCode.badInput };
      body = bytes;
    }
    return { call: { method: METHODS[method] ?? "GET", url, headers, body } };
  }

  function writeResponse(
    guest: GuestMemory,
    outcome: Extract<HttpOutcome, { kind: "response" }>,
    pointers: number[],
  ): number {
    const [responseHeadersPtr, responseHeadersLenPtr, responseBodyPtr, responseBodyLenPtr, statusPtr] = pointers;
    let headers: Uint8Array = Buffer.from(outcome.headerLines.join("\n"), "latin1");
    let body = outcome.body;

    const headersCapacity = guest.readU32(responseHeadersLenPtr);
    const bodyCapacity = guest.readU32(responseBodyLenPtr);
    if (headersCapacity === undefined || bodyCapacity === undefined) return ResultCode.memoryError;

    if (options.tooLarge === "error") {
      if (headers.length > headersCapacity || body.length > bodyCapacity) return ResultCode.tooLarge;
    } else {
      headers = headers.subarray(0, headersCapacity);
      body = body.subarray(0, bodyCapacity);
    }

    if (statusPtr !== 0 && !guest.writeU32(statusPtr, outcome.status)) return ResultCode.memoryError;
    if (!guest.writeU32(responseHeadersLenPtr, headers.length)) return ResultCode.memoryError;
    if (!guest.writeU32(responseBodyLenPtr, body.length)) return ResultCode.memoryError;
    const copy = options.tooLarge === "error" ? guest.writeUntilEnd.bind(guest) : guest.write.bind(guest);
    if (!copy(responseHeadersPtr, headers)) return ResultCode.memoryError;
    if (!copy(responseBodyPtr, body)) return ResultCode.memoryError;
    return ResultCode.success;
  }

  return (...args: number[]): number => {
    // Every parameter is an i32 that the executor reads as uint32.
    const values = args.map((value) => value >>> 0);
    let guest = new GuestMemory(memory());
    const prepared = prepare(guest, values);
    if ("code" in prepared) return prepared.code;

    const limit = responseLimit(guest);
    const outcome = perform({
      ...prepared.call,
      timeoutMs: options.requestTimeoutMs,
      bodyLimit: limit,
      headPrecheckLimit: options.tooLarge === "error" && values[0] === 0 ? limit : undefined,
    });
    switch (outcome.kind) {
      case "timeout":
        return ResultCode.timeout;
      case "network-error":
        return ResultCode.networkError;
      case "too-large":
        return ResultCode.tooLarge;
    }
    // Take a fresh view in case the memory's buffer was replaced.
    guest = new GuestMemory(memory());
    return writeResponse(guest, outcome, values.slice(7));
  };
}
