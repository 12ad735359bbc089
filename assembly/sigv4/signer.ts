// AWS Signature Version 4 for requests sent with an Authorization header.

import { HttpHeader, HttpRequest } from "../http/types";
import { parseUrl, percentEncodeForWire } from "../http/url";
import { canonicalHeaders, canonicalQuery, canonicalRequest, canonicalUri, hashedPayload } from "./canonical-request";
import { authorizationValue, computeSignature, credentialScope, SigningKeyCache, stringToSign } from "./signature";
import { formatAmzDate, isValidAmzDate } from "../time/utc";

const AMZ_DATE_HEADER = "X-Amz-Date";
const SECURITY_TOKEN_HEADER = "X-Amz-Security-Token";
const AUTHORIZATION_HEADER = "Authorization";

/** The outcome of signing, with the intermediate texts for debug logging. None of them contain the secret or the signing key. */
export class SignedRequestParts {
  /** One line naming why the request could not be signed, or null on success. */
  error: string | null = null;
  canonicalRequest: string = "";
  stringToSign: string = "";
  /** Lower-case hex HMAC-SHA256, the last field of the Authorization value. */
  signature: string = "";
  /** Value of the Authorization header, without the header name. */
  authorization: string = "";

  static failed(message: string): SignedRequestParts {
    const parts = new SignedRequestParts();
    parts.error = message;
    return parts;
  }
}

/**
 * Signs requests for one set of credentials, region and service. The session token, when
 * set, is sent as X-Amz-Security-Token and included in the signature, as SQS requires.
 */
export class SigV4Signer {
  private keyCache: SigningKeyCache;
  private secretIsEmpty: bool;

  constructor(
    public accessKeyId: string,
    secretAccessKey: string,
    public sessionToken: string | null,
    public region: string,
    public service: string,
  ) {
    this.keyCache = new SigningKeyCache(secretAccessKey);
    this.secretIsEmpty = secretAccessKey.length == 0;
  }

  /** How many signing keys this signer has derived. It stays at 1 while requests share a day. */
  get signingKeyDerivations(): i32 {
    return this.keyCache.derivations;
  }

  /**
   * Signs `request` as of `epochMs` and adds X-Amz-Date, X-Amz-Security-Token (with a session
   * token) and Authorization headers, replacing any already there. The `host` header is
   * signed with the URL's authority but not added, because transports set the authority
   * themselves and wasi:http rejects a Host header. When the URL's path or query contains
   * characters that must be percent-encoded, `request.url` is rewritten to the encoded form,
   * so the transport sends exactly the bytes that were signed. On error the request is left
   * unchanged.
   */
  sign(request: HttpRequest, epochMs: i64): SignedRequestParts {
    const credentialError = this.checkCredentials();
    if (credentialError != null) return SignedRequestParts.failed(credentialError);

    const url = parseUrl(request.url);
    if (url.error != null) return SignedRequestParts.failed(`cannot sign the request: ${url.error!}`);

    const headerError = checkHeadersForWire(request.headers);
    if (headerError != null) return SignedRequestParts.failed(headerError);

    // NOTE: dot segments are removed only in the signed path, not in the URL that is sent.
    // An HTTP client that resolves `/a/.` to `/a/` (as WHATWG URL parsers do) then sends a
    // path that AWS canonicalises differently.
    const wirePath = percentEncodeForWire(url.path, false);
    const wireQuery = percentEncodeForWire(url.query, true);
    if (wirePath != url.path || wireQuery != url.query) {
      request.url = url.scheme + "://" + url.authority + wirePath + (wireQuery.length > 0 ? "?" + wireQuery : "");
    }

    const amzDate = formatAmzDate(epochMs);
    const sent = new Array<HttpHeader>();
    for (let i: i32 = 0; i < request.headers.length; i++) {
      const header = request.headers[i];
      if (!this.isReplacedHeader(header.name.toLowerCase())) sent.push(header);
    }
    sent.push(new HttpHeader(AMZ_DATE_HEADER, amzDate));
    const token = this.sessionToken;
    if (token != null) sent.push(new HttpHeader(SECURITY_TOKEN_HEADER, token));

    const signed = new Array<HttpHeader>();
    signed.push(new HttpHeader("host", url.authority));
    for (let i: i32 = 0; i < sent.length; i++) signed.push(sent[i]);

    const parts = this.signCanonicalParts(request.method, wirePath, wireQuery, signed, request.body, amzDate);
    sent.push(new HttpHeader(AUTHORIZATION_HEADER, parts.authorization));
    request.headers = sent;
    return parts;
  }

  /**
   * Signs a request given in pieces, as in the AWS SigV4 test suite: `path` as it appears in
   * the request line, `query` without `?`, and every header occurrence in order, including
   * Host and X-Amz-Date. A header value may use obsolete line folding (`\n` then spaces).
   * When the signer has a session token and the headers carry none, X-Amz-Security-Token is
   * added before signing. Nothing is modified; the caller sends the Authorization value.
   */
  signParts(method: string, path: string, query: string, headers: HttpHeader[], body: Uint8Array): SignedRequestParts {
    const credentialError = this.checkCredentials();
    if (credentialError != null) return SignedRequestParts.failed(credentialError);

    let amzDate: string | null = null;
    let hasHost = false;
    let tokenHeader: string | null = null;
    for (let i: i32 = 0; i < headers.length; i++) {
      const name = headers[i].name;
      if (!isHeaderName(name)) return SignedRequestParts.failed(`header name "${name}" is invalid: use letters, digits and -`);
      const lowerName = name.toLowerCase();
      if (lowerName == "host") hasHost = true;
      if (lowerName == "x-amz-date") {
        if (amzDate != null) return SignedRequestParts.failed("request has more than one X-Amz-Date header: keep one");
        amzDate = headers[i].value.trim();
      }
      if (lowerName == "x-amz-security-token") tokenHeader = headers[i].value.trim();
    }
    if (!hasHost) return SignedRequestParts.failed("request has no Host header: add one with the endpoint's host name");
    if (amzDate == null) {
      return SignedRequestParts.failed("request has no X-Amz-Date header: add one as YYYYMMDDTHHMMSSZ in UTC");
    }
    if (!isValidAmzDate(amzDate)) {
      return SignedRequestParts.failed(`X-Amz-Date "${amzDate}" is invalid: write it as YYYYMMDDTHHMMSSZ in UTC`);
    }

    const signed = headers.slice(0);
    const token = this.sessionToken;
    if (token != null) {
      if (tokenHeader == null) {
        signed.push(new HttpHeader(SECURITY_TOKEN_HEADER, token));
      } else if (tokenHeader != token) {
        return SignedRequestParts.failed("X-Amz-Security-Token header differs from the session token: drop the header or the token");
      }
    }
    return this.signCanonicalParts(method, path, query, signed, body, amzDate);
  }

  /** Runs the four SigV4 tasks over headers that already include host and X-Amz-Date. */
  private signCanonicalParts(
    method: string,
    path: string,
    query: string,
    headers: HttpHeader[],
    body: Uint8Array,
    amzDate: string,
  ): SignedRequestParts {
    const headerBlock = canonicalHeaders(headers);
    const request = canonicalRequest(method, canonicalUri(path), canonicalQuery(query), headerBlock, hashedPayload(body));

    const shortDate = amzDate.substring(0, 8);
    const scope = credentialScope(shortDate, this.region, this.service);
    const toSign = stringToSign(amzDate, scope, request);
    const signature = computeSignature(this.keyCache.keyFor(shortDate, this.region, this.service), toSign);

    const parts = new SignedRequestParts();
    parts.canonicalRequest = request;
    parts.stringToSign = toSign;
    parts.signature = signature;
    parts.authorization = authorizationValue(this.accessKeyId, scope, headerBlock.signedHeaders, signature);
    return parts;
  }

  /** Headers that `sign` writes itself, so copies already in the request are dropped. */
  private isReplacedHeader(lowerName: string): bool {
    if (lowerName == "authorization" || lowerName == "x-amz-date") return true;
    return lowerName == "x-amz-security-token" && this.sessionToken != null;
  }

  /** Rejects credentials and scope parts that would make a malformed Credential field. */
  private checkCredentials(): string | null {
    if (!isScopePart(this.accessKeyId)) {
      return "access key id is empty or contains '/', ',', '=' or whitespace: pass the key id as AWS issued it";
    }
    if (this.secretIsEmpty) return "secret access key is empty: pass the secret that belongs to the access key id";
    if (!isScopePart(this.region)) return `region "${this.region}" is invalid: pass a region name such as us-east-1`;
    if (!isScopePart(this.service)) return `service "${this.service}" is invalid: pass a signing name such as sqs`;
    return null;
  }
}

/** True for a non-empty value without the `/`, `,`, `=` or whitespace that would break the Credential field. */
function isScopePart(value: string): bool {
  if (value.length == 0) return false;
  for (let i: i32 = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x20 || code == 0x7f || code == 0x2f || code == 0x2c || code == 0x3d) return false;
  }
  return true;
}

/** Checks headers bound for a real transport: valid names, no Host header, no line breaks in values. */
function checkHeadersForWire(headers: HttpHeader[]): string | null {
  for (let i: i32 = 0; i < headers.length; i++) {
    const name = headers[i].name;
    if (!isHeaderName(name)) return `header name "${name}" is invalid: use letters, digits and -`;
    if (name.toLowerCase() == "host") {
      return "request has a Host header: remove it, the signer signs the URL's host and the transport sends it";
    }
    const value = headers[i].value;
    if (value.indexOf("\n") >= 0 || value.indexOf("\r") >= 0) {
      return `value of header "${name}" contains a line break: remove it`;
    }
  }
  return null;
}

/** True for a non-empty RFC 7230 token: letters, digits and !#$%&'*+-.^_`|~. */
function isHeaderName(name: string): bool {
  if (name.length == 0) return false;
  for (let i: i32 = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    const isAlphanumeric =
      (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
    if (!isAlphanumeric && "!#$%&'*+-.^_`|~".indexOf(String.fromCharCode(code)) < 0) return false;
  }
  return true;
}
