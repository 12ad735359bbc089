// Parsing of the absolute http and https URLs that the core sends requests to.
// Every failure comes back in `ParsedUrl.error`, because a trap would abort the module.

const CHAR_PERCENT: i32 = 0x25;
const CHAR_SLASH: i32 = 0x2f;
const CHAR_COLON: i32 = 0x3a;
const CHAR_QUESTION: i32 = 0x3f;
const CHAR_OPEN_BRACKET: i32 = 0x5b;
const CHAR_BACKSLASH: i32 = 0x5c;

const MAX_PORT: i32 = 65535;

/** Unreserved marks, sub-delims, and the `:`, `@` and `/` that RFC 3986 allows raw in a path. */
const PATH_MARKS = "-._~!$&'()*+,;=:@/";

/** An absolute URL split into the parts a transport and the SigV4 signer need. */
export class ParsedUrl {
  /** One line naming what is wrong with the URL, or null when it parsed. */
  error: string | null = null;
  /** `http` or `https`, lower-cased. */
  scheme: string = "";
  /** Host name or IP address, lower-cased. An IPv6 address keeps its brackets. */
  host: string = "";
  /** Port number as written, or -1 when the URL has none. */
  port: i32 = -1;
  /** Host, plus `:port` only when a port was written and differs from the scheme's default. */
  authority: string = "";
  /** Path as written, still percent-encoded, or `/` when the URL has none. */
  path: string = "/";
  /** Query as written without the `?`, or empty when the URL has none. */
  query: string = "";

  /** Request target for the request line: the path, then `?query` when there is a query. */
  get pathWithQuery(): string {
    return this.query.length > 0 ? this.path + "?" + this.query : this.path;
  }

  static failed(message: string): ParsedUrl {
    const parsed = new ParsedUrl();
    parsed.error = message;
    return parsed;
  }
}

/** Returns the default port for `scheme`, or -1 for schemes other than http and https. */
export function defaultPort(scheme: string): i32 {
  if (scheme == "http") return 80;
  if (scheme == "https") return 443;
  return -1;
}

/**
 * Parses an absolute http or https URL. Rejects user info, spaces, control characters,
 * backslashes, an empty host and a port outside 1-65535. A fragment is dropped because
 * it is never sent to the server.
 */
export function parseUrl(text: string): ParsedUrl {
  const characterError = findForbiddenCharacter(text);
  if (characterError != null) return ParsedUrl.failed(characterError);

  const schemeEnd = text.indexOf("://");
  if (schemeEnd <= 0 || !isValidScheme(text.substring(0, schemeEnd))) {
    return ParsedUrl.failed("URL has no scheme: write it as https://host/path");
  }
  const scheme = text.substring(0, schemeEnd).toLowerCase();
  if (scheme != "http" && scheme != "https") {
    return ParsedUrl.failed(`URL scheme "${scheme}" is not supported: use http or https`);
  }

  // The fragment is cut off first, so that a `?` or `/` inside it is not taken for a path or query.
  let rest = text.substring(schemeEnd + 3);
  const hashIndex = rest.indexOf("#");
  if (hashIndex >= 0) rest = rest.substring(0, hashIndex);

  let authorityEnd = rest.length;
  for (let i: i32 = 0; i < rest.length; i++) {
    const code = rest.charCodeAt(i);
    if (code == CHAR_SLASH || code == CHAR_QUESTION) {
      authorityEnd = i;
      break;
    }
  }
  const writtenAuthority = rest.substring(0, authorityEnd);
  const target = rest.substring(authorityEnd);

  const parsed = parseAuthority(writtenAuthority, scheme);
  if (parsed.error != null) return parsed;
  parsed.scheme = scheme;

  const queryStart = target.indexOf("?");
  const path = queryStart >= 0 ? target.substring(0, queryStart) : target;
  parsed.path = path.length > 0 ? path : "/";
  parsed.query = queryStart >= 0 ? target.substring(queryStart + 1) : "";
  return parsed;
}

/** Returns an error for the first space, control character or backslash in `text`, or null. */
function findForbiddenCharacter(text: string): string | null {
  for (let i: i32 = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code == 0x20) {
      return `URL contains a space at offset ${i}: percent-encode it as %20`;
    }
    if (code < 0x20 || code == 0x7f) {
      return `URL contains control character 0x${code.toString(16)} at offset ${i}: remove it or percent-encode it`;
    }
    // Browsers and Node read a backslash as `/` while other HTTP stacks send it unchanged,
    // so the signed path could differ from the one sent.
    if (code == CHAR_BACKSLASH) {
      return `URL contains a backslash at offset ${i}: write / or %5C`;
    }
  }
  return null;
}

/** RFC 3986 scheme syntax: a letter, then letters, digits, `+`, `-` or `.`. */
function isValidScheme(scheme: string): bool {
  for (let i: i32 = 0; i < scheme.length; i++) {
    const code = scheme.charCodeAt(i);
    const isLetter = (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
    if (i == 0 && !isLetter) return false;
    const isDigit = code >= 0x30 && code <= 0x39;
    if (!isLetter && !isDigit && code != 0x2b && code != 0x2d && code != 0x2e) return false;
  }
  return true;
}

/** Splits `host[:port]` or `[ipv6][:port]` into a ParsedUrl's host, port and authority. */
function parseAuthority(written: string, scheme: string): ParsedUrl {
  if (written.indexOf("@") >= 0) {
    return ParsedUrl.failed("URL contains user info before \"@\": remove it and pass credentials in a header");
  }
  if (written.length == 0) {
    return ParsedUrl.failed("URL has an empty host: write it as https://host/path");
  }

  let host: string;
  let portText: string | null = null;
  if (written.charCodeAt(0) == CHAR_OPEN_BRACKET) {
    const close = written.indexOf("]");
    if (close < 0) return ParsedUrl.failed(`URL host "${written}" opens an IPv6 address with [ but never closes it`);
    host = written.substring(0, close + 1);
    const hostError = checkIpv6Host(host);
    if (hostError != null) return ParsedUrl.failed(hostError);
    const after = written.substring(close + 1);
    if (after.length > 0) {
      if (after.charCodeAt(0) != CHAR_COLON) {
        return ParsedUrl.failed(`URL authority "${written}" has text after the IPv6 address: only :port may follow it`);
      }
      portText = after.substring(1);
    }
  } else {
    const colon = written.lastIndexOf(":");
    host = colon >= 0 ? written.substring(0, colon) : written;
    if (colon >= 0) portText = written.substring(colon + 1);
    if (host.length == 0) return ParsedUrl.failed("URL has an empty host: write it as https://host/path");
    const hostError = checkHostName(host);
    if (hostError != null) return ParsedUrl.failed(hostError);
  }

  const parsed = new ParsedUrl();
  parsed.host = host.toLowerCase();
  parsed.authority = parsed.host;
  if (portText != null) {
    const port = parsePort(portText);
    if (port < 0) {
      return ParsedUrl.failed(`URL port "${portText}" is invalid: write a number from 1 to 65535`);
    }
    parsed.port = port;
    if (port != defaultPort(scheme)) parsed.authority = parsed.host + ":" + port.toString();
  }
  return parsed;
}

/** Accepts the RFC 3986 reg-name characters that DNS names and IPv4 addresses use. */
function checkHostName(host: string): string | null {
  for (let i: i32 = 0; i < host.length; i++) {
    const code = host.charCodeAt(i);
    const isAlphanumeric =
      (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
    if (isAlphanumeric || code == 0x2d || code == 0x2e || code == 0x5f || code == 0x7e) continue;
    if (code > 0x7f) {
      return `URL host "${host}" is not ASCII: write an international domain name in its xn-- (punycode) form`;
    }
    return `URL host "${host}" contains "${String.fromCharCode(code)}", which is not valid in a host name`;
  }
  return null;
}

/** Accepts `[` hex digits, colons and dots `]`. Zone identifiers such as `%25eth0` are rejected. */
function checkIpv6Host(bracketed: string): string | null {
  const inner = bracketed.substring(1, bracketed.length - 1);
  let colons: i32 = 0;
  for (let i: i32 = 0; i < inner.length; i++) {
    const code = inner.charCodeAt(i);
    if (code == CHAR_COLON) {
      colons++;
      continue;
    }
    const isHex = (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
    if (!isHex && code != 0x2e) {
      return `URL host "${bracketed}" is not a valid IPv6 address: only hex digits, ':' and '.' may appear inside [ ]`;
    }
  }
  if (colons < 2) {
    return `URL host "${bracketed}" is not a valid IPv6 address: it needs at least two ':'`;
  }
  return null;
}

/** Returns the port as a number from 1 to 65535, or -1 when `text` is empty, not decimal or out of range. */
function parsePort(text: string): i32 {
  if (text.length == 0 || text.length > 5) return -1;
  let port: i32 = 0;
  for (let i: i32 = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return -1;
    port = port * 10 + (code - 0x30);
  }
  if (port < 1 || port > MAX_PORT) return -1;
  return port;
}

/**
 * Percent-encodes the characters that RFC 3986 does not allow raw in a path or query, so
 * that every HTTP client sends the same bytes. These are non-ASCII characters, `"`, `<`,
 * `>`, `[`, `]`, `^`, backquote, `{`, `|`, `}`, and a `%` that does not start an escape.
 * Existing `%XX` escapes are kept, and `component` itself is returned when nothing needed
 * encoding.
 */
export function percentEncodeForWire(component: string, isQuery: bool): string {
  const bytes = Uint8Array.wrap(String.UTF8.encode(component, false, String.UTF8.ErrorMode.REPLACE));
  let needsEncoding = false;
  for (let i: i32 = 0; i < bytes.length; i++) {
    if (!isWireSafe(bytes, i, isQuery)) {
      needsEncoding = true;
      break;
    }
  }
  if (!needsEncoding) return component;

  const hexDigits = "0123456789ABCDEF";
  const out = new Uint8Array(bytes.length * 3);
  let length: i32 = 0;
  for (let i: i32 = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (isWireSafe(bytes, i, isQuery)) {
      out[length++] = byte;
    } else {
      out[length++] = <u8>CHAR_PERCENT;
      out[length++] = <u8>hexDigits.charCodeAt(byte >> 4);
      out[length++] = <u8>hexDigits.charCodeAt(byte & 0x0f);
    }
  }
  return String.UTF8.decode(out.slice(0, length).buffer);
}

/** True when the byte at `index` may appear raw in a path (or, with `isQuery`, a query). */
function isWireSafe(bytes: Uint8Array, index: i32, isQuery: bool): bool {
  const byte = <i32>bytes[index];
  if (byte == CHAR_PERCENT) {
    return index + 2 < bytes.length && isHexDigit(bytes[index + 1]) && isHexDigit(bytes[index + 2]);
  }
  if ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)) return true;
  if (PATH_MARKS.indexOf(String.fromCharCode(byte)) >= 0) return true;
  return isQuery && byte == CHAR_QUESTION;
}

function isHexDigit(byte: u8): bool {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}
