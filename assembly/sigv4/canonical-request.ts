// Task 1 of SigV4: the canonical request, one function per line of it.

import { HttpHeader } from "../http/types";
import { sha256 } from "../crypto/sha256";
import { toHex } from "../crypto/hex";
import { percentDecode, uriEncode, uriEncodeBytes } from "./uri-encoding";

/**
 * Removes empty, `.` and `..` segments from `path`, as SigV4 does for every service
 * except S3. The result always starts with `/` and keeps a trailing `/` when segments remain.
 */
export function normalizePath(path: string): string {
  const segments = path.split("/");
  const keptSegments = new Array<string>();
  for (let i: i32 = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.length == 0 || segment == ".") continue;
    if (segment == "..") {
      if (keptSegments.length > 0) keptSegments.pop();
      continue;
    }
    keptSegments.push(segment);
  }
  if (keptSegments.length == 0) return "/";
  const trailingSlash = path.endsWith("/") ? "/" : "";
  return "/" + keptSegments.join("/") + trailingSlash;
}

/**
 * Normalises `path` and URI-encodes it, keeping `/`. Nothing is decoded first, so an
 * escape such as `%20` already in the path becomes `%2520`, because non-S3 services
 * encode the path as sent a second time.
 */
export function canonicalUri(path: string): string {
  return uriEncode(normalizePath(path), true);
}

/** One query parameter with its key and value already URI-encoded. */
class EncodedQueryPair {
  constructor(public key: string, public value: string) {}
}

function compareQueryPairs(a: EncodedQueryPair, b: EncodedQueryPair): i32 {
  if (a.key != b.key) return a.key < b.key ? -1 : 1;
  if (a.value != b.value) return a.value < b.value ? -1 : 1;
  return 0;
}

/**
 * Builds the canonical query string from a raw query given without `?`. Each key and value
 * is percent-decoded and URI-encoded again, and the pairs are sorted by key and then by
 * value. Repeated keys are all kept, a key without `=` gets an empty value, and empty
 * pairs (`a=1&&b=2`) are dropped.
 */
export function canonicalQuery(rawQuery: string): string {
  if (rawQuery.length == 0) return "";
  const pieces = rawQuery.split("&");
  const pairs = new Array<EncodedQueryPair>();
  for (let i: i32 = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if (piece.length == 0) continue;
    const equals = piece.indexOf("=");
    const rawKey = equals >= 0 ? piece.substring(0, equals) : piece;
    const rawValue = equals >= 0 ? piece.substring(equals + 1) : "";
    pairs.push(
      new EncodedQueryPair(uriEncodeBytes(percentDecode(rawKey), false), uriEncodeBytes(percentDecode(rawValue), false)),
    );
  }
  // Keys and values are ASCII after encoding, so comparing UTF-16 code units is byte order.
  pairs.sort(compareQueryPairs);

  const joined = new Array<string>(pairs.length);
  for (let i: i32 = 0; i < pairs.length; i++) {
    joined[i] = pairs[i].key + "=" + pairs[i].value;
  }
  return joined.join("&");
}

/**
 * Trims a header value and folds each inner run of spaces and tabs into one space.
 * A value written with obsolete line folding (a line break followed by spaces) counts as
 * one value per line, joined with commas like a repeated header, which is how the AWS
 * SigV4 test suite canonicalises it.
 */
export function canonicalHeaderValue(value: string): string {
  const lines = value.split("\n");
  const folded = new Array<string>();
  for (let i: i32 = 0; i < lines.length; i++) {
    const line = foldSpaces(lines[i]);
    if (line.length > 0) folded.push(line);
  }
  return folded.join(",");
}

/** Collapses runs of spaces, tabs and carriage returns into one space and trims both ends. */
function foldSpaces(text: string): string {
  const out = new Array<string>();
  let start: i32 = -1;
  for (let i: i32 = 0; i <= text.length; i++) {
    const isBlank = i == text.length || isHeaderSpace(text.charCodeAt(i));
    if (!isBlank && start < 0) start = i;
    if (isBlank && start >= 0) {
      out.push(text.substring(start, i));
      start = -1;
    }
  }
  return out.join(" ");
}

function isHeaderSpace(code: i32): bool {
  return code == 0x20 || code == 0x09 || code == 0x0d;
}

/**
 * True unless proxies or HTTP stacks may add, drop or rewrite the header on the way, so a
 * signature over it could break. The list is the one @smithy/signature-v4 5.x leaves unsigned.
 */
export function isSignableHeader(lowerName: string): bool {
  if (lowerName.startsWith("proxy-") || lowerName.startsWith("sec-")) return false;
  return !UNSIGNABLE_HEADERS.includes(lowerName);
}

const UNSIGNABLE_HEADERS: string[] = [
  "authorization",
  "cache-control",
  "connection",
  "expect",
  "from",
  "keep-alive",
  "max-forwards",
  "pragma",
  "referer",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "user-agent",
  "x-amzn-trace-id",
];

/** The canonical header block (one `name:value` line per name) and the signed header list. */
export class CanonicalHeaders {
  constructor(public block: string, public signedHeaders: string) {}
}

/**
 * Lower-cases the names of the signable headers, sorts them, and joins the values of a
 * repeated header with commas in the order the headers appear.
 */
export function canonicalHeaders(headers: HttpHeader[]): CanonicalHeaders {
  const names = new Array<string>();
  const valuesByName = new Map<string, string[]>();
  for (let i: i32 = 0; i < headers.length; i++) {
    const name = headers[i].name.toLowerCase();
    if (!isSignableHeader(name)) continue;
    const value = canonicalHeaderValue(headers[i].value);
    if (valuesByName.has(name)) {
      valuesByName.get(name).push(value);
    } else {
      names.push(name);
      valuesByName.set(name, [value]);
    }
  }
  // Header names are ASCII tokens, so the default code-unit order is byte order.
  names.sort();

  const lines = new Array<string>(names.length);
  for (let i: i32 = 0; i < names.length; i++) {
    lines[i] = names[i] + ":" + valuesByName.get(names[i]).join(",") + "\n";
  }
  return new CanonicalHeaders(lines.join(""), names.join(";"));
}

/** Returns the lower-case hex SHA-256 of the body, which ends the canonical request. */
export function hashedPayload(body: Uint8Array): string {
  return toHex(sha256(body));
}

/** Joins the parts of the canonical request with line feeds, in the order SigV4 fixes. */
export function canonicalRequest(
  method: string,
  uri: string,
  query: string,
  headers: CanonicalHeaders,
  payloadHash: string,
): string {
  return method + "\n" + uri + "\n" + query + "\n" + headers.block + "\n" + headers.signedHeaders + "\n" + payloadHash;
}
