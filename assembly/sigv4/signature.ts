// Tasks 2 to 4 of SigV4: the string to sign, the signing key, the signature and the
// Authorization header value.

import { sha256 } from "../crypto/sha256";
import { hmacSha256 } from "../crypto/hmac";
import { toHex, utf8Bytes } from "../crypto/hex";

export const ALGORITHM = "AWS4-HMAC-SHA256";
const SCOPE_TERMINATOR = "aws4_request";

/** Returns `YYYYMMDD/region/service/aws4_request`, the scope a signing key is valid for. */
export function credentialScope(shortDate: string, region: string, service: string): string {
  return shortDate + "/" + region + "/" + service + "/" + SCOPE_TERMINATOR;
}

/** Returns the algorithm, the request time, the scope and the hex SHA-256 of the canonical request, one per line. */
export function stringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + toHex(sha256(utf8Bytes(canonicalRequest)));
}

/** Derives the signing key by chaining HMAC-SHA256 over the date, region, service and `aws4_request`. */
export function deriveSigningKey(secretAccessKey: string, shortDate: string, region: string, service: string): Uint8Array {
  const dateKey = hmacSha256(utf8Bytes("AWS4" + secretAccessKey), utf8Bytes(shortDate));
  const regionKey = hmacSha256(dateKey, utf8Bytes(region));
  const serviceKey = hmacSha256(regionKey, utf8Bytes(service));
  return hmacSha256(serviceKey, utf8Bytes(SCOPE_TERMINATOR));
}

/** Returns the hex HMAC-SHA256 of the string to sign under the signing key. */
export function computeSignature(signingKey: Uint8Array, toSign: string): string {
  return toHex(hmacSha256(signingKey, utf8Bytes(toSign)));
}

/** Returns the value of the Authorization header, without the `Authorization:` name. */
export function authorizationValue(accessKeyId: string, scope: string, signedHeaders: string, signature: string): string {
  return ALGORITHM + " Credential=" + accessKeyId + "/" + scope + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature;
}

/**
 * The most recent signing key of one secret, so that requests on the same day, region and
 * service skip the four HMAC rounds. The key never leaves this object except as an
 * argument to `computeSignature`.
 */
export class SigningKeyCache {
  private scope: string = "";
  private key: Uint8Array = new Uint8Array(0);
  /** How many keys were derived, so tests can see the cache being used. */
  derivations: i32 = 0;

  constructor(private secretAccessKey: string) {}

  /** Returns the key for `shortDate`, `region` and `service`, deriving it only when the scope changed. */
  keyFor(shortDate: string, region: string, service: string): Uint8Array {
    const scope = credentialScope(shortDate, region, service);
    if (scope != this.scope) {
      this.key = deriveSigningKey(this.secretAccessKey, shortDate, region, service);
      this.scope = scope;
      this.derivations++;
    }
    return this.key;
  }
}
