// Test harness: plain exports over the URL parser, the SigV4 signer and the SQS region
// lookup, so vitest can drive them through asc's ESM bindings.

import { HttpHeader, HttpRequest } from "../../assembly/http/types";
import { parseUrl, percentEncodeForWire } from "../../assembly/http/url";
import { SigV4Signer, SignedRequestParts } from "../../assembly/sigv4/signer";
import { canonicalHeaderValue, canonicalQuery, canonicalUri } from "../../assembly/sigv4/canonical-request";
import { formatAmzDate, parseHttpDate } from "../../assembly/time/utc";
import { regionFromSqsHost } from "../../assembly/sqs/region";

export { formatAmzDate, parseHttpDate, regionFromSqsHost, canonicalUri, canonicalQuery, canonicalHeaderValue, percentEncodeForWire };

/** Returns [error or "", scheme, host, port, authority, path, query, pathWithQuery]. */
export function parseUrlParts(text: string): string[] {
  const url = parseUrl(text);
  const error = url.error;
  return [error != null ? error : "", url.scheme, url.host, url.port.toString(), url.authority, url.path, url.query, url.pathWithQuery];
}

function makeSigner(accessKey: string, secretKey: string, sessionToken: string, region: string, service: string): SigV4Signer {
  return new SigV4Signer(accessKey, secretKey, sessionToken.length > 0 ? sessionToken : null, region, service);
}

function makeHeaders(names: string[], values: string[]): HttpHeader[] {
  const headers = new Array<HttpHeader>();
  for (let i: i32 = 0; i < names.length; i++) headers.push(new HttpHeader(names[i], values[i]));
  return headers;
}

function partsToStrings(parts: SignedRequestParts): string[] {
  const error = parts.error;
  return [error != null ? error : "", parts.canonicalRequest, parts.stringToSign, parts.signature, parts.authorization];
}

/** Signs with `signParts`; an empty session token means none. Returns [error, canonical request, string to sign, signature, authorization]. */
export function signParts(
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
): string[] {
  const signer = makeSigner(accessKey, secretKey, sessionToken, region, service);
  return partsToStrings(signer.signParts(method, path, query, makeHeaders(headerNames, headerValues), body));
}

/**
 * Signs an HttpRequest with `sign`. Returns the five strings of `signParts`, then the
 * request's URL after signing, then the name and value of each header after signing.
 */
export function signRequest(
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
  epochMs: i64,
): string[] {
  const signer = makeSigner(accessKey, secretKey, sessionToken, region, service);
  const request = new HttpRequest();
  request.method = method;
  request.url = url;
  request.headers = makeHeaders(headerNames, headerValues);
  request.body = body;
  const result = partsToStrings(signer.sign(request, epochMs));
  result.push(request.url);
  for (let i: i32 = 0; i < request.headers.length; i++) {
    result.push(request.headers[i].name);
    result.push(request.headers[i].value);
  }
  return result;
}

/** Signs a GET of `url` at each instant with one signer and returns how many signing keys it derived. */
export function countKeyDerivations(url: string, epochsMs: i64[]): i32 {
  const signer = new SigV4Signer("AKIDEXAMPLE", "secret", null, "us-east-1", "sqs");
  for (let i: i32 = 0; i < epochsMs.length; i++) {
    const request = new HttpRequest();
    request.url = url;
    signer.sign(request, epochsMs[i]);
  }
  return signer.signingKeyDerivations;
}
