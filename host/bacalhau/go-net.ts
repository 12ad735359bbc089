// The parts of Go's net/url and net/http that decide how Bacalhau's http_request host function
// treats a request before it reaches the network. Each function mirrors one Go routine, so a URL,
// header or domain gets the same treatment here as on Bacalhau. The routines are url.Parse (a URL
// it rejects is result 1), textproto.CanonicalMIMEHeaderKey, the httpguts header checks,
// strings.TrimSpace and the executor's own domain matching.

/** The parts of a URL that Go's url.Parse yields and the host function uses. */
export interface GoUrl {
  /** Lower-cased scheme, empty when the URL has none. */
  scheme: string;
  /** Host with any port, after percent-decoding, as in Go's URL.Host. Empty when absent. */
  host: string;
}

const isAlphaNumeric = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
const isHex = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

// Characters that url.Parse accepts unescaped in a host, besides letters and digits.
const HOST_CHARACTERS = new Set([..."!$&'()*+,;=:[]<>\"-_.~"].map((c) => c.charCodeAt(0)));
// Characters that url.Parse accepts in the userinfo before "@", besides letters and digits.
const USERINFO_CHARACTERS = new Set([..."-._:~!$&'()*+,;=%@"].map((c) => c.charCodeAt(0)));

/** Returns an error message when `text` has an invalid percent escape, as Go's url.unescape does. */
function checkEscapes(text: Buffer, inHost: boolean): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === 0x25) {
      if (i + 2 >= text.length || !isHex(text[i + 1]) || !isHex(text[i + 2])) {
        return `invalid URL escape "${text.subarray(i, i + 3).toString()}"`;
      }
      // In a host, an escape may only encode a non-ASCII byte, except %25 for IPv6 zones.
      const escaped = text.subarray(i, i + 3).toString();
      if (inHost && parseInt(text.subarray(i + 1, i + 2).toString(), 16) < 8 && escaped !== "%25") {
        return `invalid URL escape "${escaped}"`;
      }
      i += 2;
    } else if (inHost && c < 0x80 && !isAlphaNumeric(c) && !HOST_CHARACTERS.has(c)) {
      return `invalid character "${String.fromCharCode(c)}" in host name`;
    }
  }
  return undefined;
}

const isValidOptionalPort = (colonPort: string): boolean =>
  colonPort === "" || /^:[0-9]*$/.test(colonPort);

function parseHost(host: string): string | { error: string } {
  if (host.startsWith("[")) {
    const close = host.lastIndexOf("]");
    if (close < 0) return { error: "missing ']' in host" };
    const colonPort = host.slice(close + 1);
    if (!isValidOptionalPort(colonPort)) return { error: `invalid port "${colonPort}" after host` };
    const zone = host.slice(0, close).indexOf("%25");
    if (zone >= 0) {
      // The zone identifier of an IPv6 literal may contain any escaped byte.
      const before = checkEscapes(Buffer.from(host.slice(0, zone)), true);
      const inZone = checkEscapes(Buffer.from(host.slice(zone, close)), false);
      const after = checkEscapes(Buffer.from(host.slice(close)), true);
      const error = before ?? inZone ?? after;
      return error ? { error } : decodeURIComponentBytes(host);
    }
  } else {
    const colon = host.lastIndexOf(":");
    if (colon !== -1 && !isValidOptionalPort(host.slice(colon))) {
      return { error: `invalid port "${host.slice(colon)}" after host` };
    }
  }
  const error = checkEscapes(Buffer.from(host), true);
  return error ? { error } : decodeURIComponentBytes(host);
}

/** Decodes percent escapes byte by byte, keeping invalid UTF-8 as replacement characters. */
function decodeURIComponentBytes(text: string): string {
  const bytes: number[] = [];
  const raw = Buffer.from(text);
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x25 && i + 2 < raw.length) {
      bytes.push(parseInt(raw.subarray(i + 1, i + 3).toString(), 16));
      i += 2;
    } else {
      bytes.push(raw[i]);
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/**
 * Parses a URL the way Go's url.Parse does, returning its scheme and host, or an error message
 * for the URLs Go rejects. Go also accepts strings that are not usable URLs, such as one without
 * a scheme or host. Those fail later, at the host check or as a network error, as on Bacalhau.
 */
export function parseGoUrl(rawUrl: string): GoUrl | { error: string } {
  const hash = rawUrl.indexOf("#");
  const beforeFragment = hash < 0 ? rawUrl : rawUrl.slice(0, hash);
  if (/[\x00-\x1f\x7f]/.test(beforeFragment)) return { error: "invalid control character in URL" };
  if (beforeFragment === "*") return { scheme: "", host: "" };

  let scheme = "";
  let rest = beforeFragment;
  for (let i = 0; i < beforeFragment.length; i++) {
    const c = beforeFragment.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) break;
      continue;
    }
    if (c === 0x3a) {
      if (i === 0) return { error: "missing protocol scheme" };
      scheme = beforeFragment.slice(0, i).toLowerCase();
      rest = beforeFragment.slice(i + 1);
    }
    break;
  }

  if (rest.endsWith("?") && rest.split("?").length === 2) {
    rest = rest.slice(0, -1);
  } else if (rest.includes("?")) {
    rest = rest.slice(0, rest.indexOf("?"));
  }

  if (!rest.startsWith("/")) {
    if (scheme !== "") return { scheme, host: "" };
    if (rest.split("/")[0].includes(":")) return { error: "first path segment in URL cannot contain colon" };
  }

  let host = "";
  if ((scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    let authority = rest.slice(2);
    const slash = authority.indexOf("/");
    rest = slash >= 0 ? authority.slice(slash) : "";
    authority = slash >= 0 ? authority.slice(0, slash) : authority;
    const at = authority.lastIndexOf("@");
    const parsedHost = parseHost(at < 0 ? authority : authority.slice(at + 1));
    if (typeof parsedHost !== "string") return parsedHost;
    if (at >= 0) {
      const userinfo = Buffer.from(authority.slice(0, at));
      if (![...userinfo].every((c) => isAlphaNumeric(c) || USERINFO_CHARACTERS.has(c))) {
        return { error: "invalid userinfo" };
      }
      const error = checkEscapes(userinfo, false);
      if (error) return { error };
    }
    host = parsedHost;
  }

  const pathError = checkEscapes(Buffer.from(rest), false);
  if (pathError) return { error: pathError };
  if (hash >= 0) {
    const fragmentError = checkEscapes(Buffer.from(rawUrl.slice(hash + 1)), false);
    if (fragmentError) return { error: fragmentError };
  }
  return { scheme, host };
}

/**
 * Returns whether `host` (Go's URL.Host, port included) matches one allowed-domain pattern, as
 * the 2025 executor's matchWildcard does. Both lose the text from their last colon (the port).
 * Then "*" matches everything, and a pattern without "*" must equal the host exactly, case
 * included. Any other pattern is compared with the lower-cased host, using the text before and
 * after its first "*" as prefix and suffix.
 */
export function matchesDomainPattern(pattern: string, host: string): boolean {
  const withoutPort = (text: string): string => (text.includes(":") ? text.slice(0, text.lastIndexOf(":")) : text);
  pattern = withoutPort(pattern);
  host = withoutPort(host);
  if (pattern === "*") return true;
  if (!pattern.includes("*")) return pattern === host;

  const parts = pattern.split("*");
  const lowerHost = host.toLowerCase();
  if (pattern.startsWith("*")) return lowerHost.endsWith(parts[1]);
  if (pattern.endsWith("*")) return lowerHost.startsWith(parts[0]);
  return lowerHost.startsWith(parts[0]) && lowerHost.endsWith(parts[1]);
}

/** Lower-cases and trims job domains, as Bacalhau normalizes a job's network configuration. */
export function normalizeDomains(domains: readonly string[]): string[] {
  return domains.map((domain) => domain.toLowerCase().trim());
}

/**
 * Returns why Bacalhau would reject a job domain at submission, or undefined when it accepts it.
 * Its check accepts a text containing a DNS name with a top-level domain, or an IP address, so
 * "localhost", "127.0.0.1:8080" and a lone "*" are rejected even though the host function would
 * match them.
 */
export function rejectedDomainReason(domain: string): string | undefined {
  if (/\b([a-z0-9]+(-[a-z0-9]+)*\.)+[a-z]{2,}\b/.test(domain)) return undefined;
  if (isIpAddress(domain)) return undefined;
  return `invalid domain "${domain}": Bacalhau accepts a DNS name with a top-level domain or an IP address`;
}

function isIpAddress(text: string): boolean {
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(text)) return true;
  try {
    return text.includes(":") && new URL(`http://[${text}]/`).hostname.length > 0;
  } catch {
    return false;
  }
}

// Go's whitespace for strings.TrimSpace: ASCII space characters, U+0085, U+00A0 and the Unicode
// space separators.
const GO_SPACE = "[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const LEADING_SPACE = new RegExp(`^${GO_SPACE}+`);
const TRAILING_SPACE = new RegExp(`${GO_SPACE}+$`);

export const trimGoSpace = (text: string): string => text.replace(LEADING_SPACE, "").replace(TRAILING_SPACE, "");

/** One request header, name and value as the guest wrote them after trimming. */
export type HeaderField = [name: string, value: string];

/**
 * Parses the guest's request headers: one `Name: value` per "\n"-separated line, blank lines and
 * lines without a colon skipped, name and value trimmed. A line ": x" gives an empty name, which
 * Go keeps and its transport later rejects.
 */
export function parseHeaderLines(text: string): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const rawLine of text.split("\n")) {
    const line = trimGoSpace(rawLine);
    if (line === "") continue;
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    fields.push([trimGoSpace(line.slice(0, colon)), trimGoSpace(line.slice(colon + 1))]);
  }
  return fields;
}

// RFC 7230 token characters, which Go accepts in a header field name.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export const isValidHeaderName = (name: string): boolean => TOKEN.test(name);

/** Returns whether Go's transport would send `value`: no control bytes other than tab. */
export const isValidHeaderValue = (value: string): boolean => !/[\x00-\x08\x0a-\x1f\x7f]/.test(value);

/**
 * Canonicalizes a header name as Go's textproto.CanonicalMIMEHeaderKey does: the first letter and
 * each letter after "-" upper-case, the rest lower-case. A name with a non-token character is
 * left as it is.
 */
export function canonicalHeaderName(name: string): string {
  if (!TOKEN.test(name)) return name;
  let upper = true;
  let result = "";
  for (const c of name) {
    result += upper ? c.toUpperCase() : c.toLowerCase();
    upper = c === "-";
  }
  return result;
}
