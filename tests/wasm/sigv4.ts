// Test harness: plain exports over the URL parser, the SigV4 signer and the SQS region
// lookup, so vitest can drive them through asc's ESM bindings.

import { HttpRequest } from "../../assembly/http/types";
import { parseUrl, percentEncodeForWire } from "../../assembly/http/url";
import { SigV4Signer } from "../../assembly/sigv4/signer";
import { canonicalHeaderValue, canonicalQuery, canonicalUri } from "../../assembly/sigv4/canonical-request";
import { formatAmzDate, parseHttpDate } from "../../assembly/time/utc";
import { regionFromSqsHost } from "../../assembly/sqs/region";
import { makeHeaders, makeSigner, partsToStrings } from "../../assembly/sigv4/flat-arguments";
import { signParts } from "../../assembly/entries/sigv4-signer";

export { formatAmzDate, parseHttpDate, regionFromSqsHost, canonicalUri, canonicalQuery, canonicalHeaderValue, percentEncodeForWire, signParts };

/** Returns [error or "", scheme, host, port, authority, path, query, pathWithQuery]. */
export function parseUrlParts(text: string): string[] {
  const url = parseUrl(text);
  const error = url.error;
  return [error != null ? error : "", url.scheme, url.host, url.port.toString(), url.authority, url.path, url.query, url.pathWithQuery];
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
