// Conversions between the flat arguments that asc's ESM bindings pass from Node (strings,
// string arrays, bytes) and the signer's types, shared by the `npm run sigv4` build and the
// test harness.

import { HttpHeader } from "../http/types";
import { SigV4Signer, SignedRequestParts } from "./signer";

/** Creates a signer; an empty session token means none. */
export function makeSigner(accessKey: string, secretKey: string, sessionToken: string, region: string, service: string): SigV4Signer {
  return new SigV4Signer(accessKey, secretKey, sessionToken.length > 0 ? sessionToken : null, region, service);
}

/** Pairs header names with their values, in order. */
export function makeHeaders(names: string[], values: string[]): HttpHeader[] {
  const headers = new Array<HttpHeader>();
  for (let i: i32 = 0; i < names.length; i++) headers.push(new HttpHeader(names[i], values[i]));
  return headers;
}

/** Flattens signing results into [error or "", canonical request, string to sign, signature, authorization]. */
export function partsToStrings(parts: SignedRequestParts): string[] {
  const error = parts.error;
  return [error != null ? error : "", parts.canonicalRequest, parts.stringToSign, parts.signature, parts.authorization];
}

