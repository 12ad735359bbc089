// Signer build for `npm run sigv4` (host/sigv4/sign-request.ts): plain exports that asc's ESM
// bindings can call from Node, so the command signs with the module's own signer.

import { makeHeaders, makeSigner, partsToStrings } from "../sigv4/flat-arguments";

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

