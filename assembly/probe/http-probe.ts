import { Settings } from "../config/settings";
import { HttpHeader, HttpRequest, HttpTransport } from "../http/types";
import { log } from "../app/log";
import { printLine, writeStdoutBytes } from "../platform/output";

const REASON_PHRASES = new Map<i32, string>();
REASON_PHRASES.set(100, "Continue");
REASON_PHRASES.set(101, "Switching Protocols");
REASON_PHRASES.set(200, "OK");
REASON_PHRASES.set(201, "Created");
REASON_PHRASES.set(202, "Accepted");
REASON_PHRASES.set(203, "Non-Authoritative Information");
REASON_PHRASES.set(204, "No Content");
REASON_PHRASES.set(205, "Reset Content");
REASON_PHRASES.set(206, "Partial Content");
REASON_PHRASES.set(300, "Multiple Choices");
REASON_PHRASES.set(301, "Moved Permanently");
REASON_PHRASES.set(302, "Found");
REASON_PHRASES.set(303, "See Other");
REASON_PHRASES.set(304, "Not Modified");
REASON_PHRASES.set(307, "Temporary Redirect");
REASON_PHRASES.set(308, "Permanent Redirect");
REASON_PHRASES.set(400, "Bad Request");
REASON_PHRASES.set(401, "Unauthorized");
REASON_PHRASES.set(403, "Forbidden");
REASON_PHRASES.set(404, "Not Found");
REASON_PHRASES.set(405, "Method Not Allowed");
REASON_PHRASES.set(408, "Request Timeout");
REASON_PHRASES.set(409, "Conflict");
REASON_PHRASES.set(410, "Gone");
REASON_PHRASES.set(413, "Content Too Large");
REASON_PHRASES.set(415, "Unsupported Media Type");
REASON_PHRASES.set(422, "Unprocessable Content");
REASON_PHRASES.set(429, "Too Many Requests");
REASON_PHRASES.set(500, "Internal Server Error");
REASON_PHRASES.set(501, "Not Implemented");
REASON_PHRASES.set(502, "Bad Gateway");
REASON_PHRASES.set(503, "Service Unavailable");
REASON_PHRASES.set(504, "Gateway Timeout");

/**
 * Returns the standard reason phrase of a status code. wasi:http and Bacalhau's host report only
 * the code, so the phrase the server sent is not available.
 */
export function reasonPhrase(status: i32): string {
  return REASON_PHRASES.has(status) ? REASON_PHRASES.get(status) : "";
}

/** A parsed header list, or the first line that is not `Name: value`. */
export class HeaderLines {
  headers: HttpHeader[] = [];
  error: string = "";
}

function isTokenChar(code: i32): bool {
  if (code >= 48 && code <= 57) return true;
  if (code >= 65 && code <= 90) return true;
  if (code >= 97 && code <= 122) return true;
  return "!#$%&'*+-.^_`|~".includes(String.fromCharCode(code));
}

/**
 * Splits `Name: value` lines. A real newline or the two characters `\n` separate lines,
 * because an environment variable cannot always carry a newline; blank lines are skipped.
 */
export function parseHeaderLines(text: string): HeaderLines {
  const result = new HeaderLines();
  const lines = text.replaceAll("\\n", "\n").replaceAll("\r", "").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line.length == 0) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) {
      result.error = "header line " + (i + 1).toString() + " \"" + line + "\" has no \"Name: value\" form; separate headers with newlines (\\n in a double-quoted YAML string)";
      return result;
    }
    const name = line.substring(0, colon).trim();
    for (let j = 0; j < name.length; j++) {
      if (!isTokenChar(name.charCodeAt(j))) {
        result.error = "header name \"" + name + "\" on header line " + (i + 1).toString() + " is invalid; use letters, digits and -";
        return result;
      }
    }
    result.headers.push(new HttpHeader(name, line.substring(colon + 1).trim()));
  }
  return result;
}

/** Makes the one configured request and prints the status line and the body. Returns the exit code. */
export function runHttpProbe(settings: Settings, transport: HttpTransport, headers: HttpHeader[]): i32 {
  const request = new HttpRequest();
  request.method = settings.method;
  request.url = settings.url;
  request.headers = headers;
  request.body = Uint8Array.wrap(String.UTF8.encode(settings.body));
  request.timeoutMs = settings.requestTimeoutMs;
  let hasContentLength = false;
  for (let i = 0; i < headers.length; i++) {
    if (headers[i].name.toLowerCase() == "content-length") hasContentLength = true;
  }
  if (!hasContentLength && (request.body.length > 0 || settings.method == "POST" || settings.method == "PUT" || settings.method == "PATCH")) {
    request.headers.push(new HttpHeader("Content-Length", request.body.length.toString()));
  }
  if (request.body.length > 0 && (settings.method == "GET" || settings.method == "HEAD")) {
    log.warn("sending a body with " + settings.method + "; many servers ignore it or reject the request");
  }

  log.debug(settings.method + " " + settings.url + " through " + transport.name);
  const response = transport.send(request);
  if (!response.ok) {
    log.error(settings.method + " " + settings.url + " failed: " + response.failureReason);
    return 1;
  }

  const phrase = reasonPhrase(response.status);
  printLine(response.status.toString() + (phrase.length > 0 ? " " + phrase : ""));
  writeStdoutBytes(response.body);
  if (log.debugEnabled) {
    for (let i = 0; i < response.headers.length; i++) log.debug("response header " + response.headers[i].name + ": " + response.headers[i].value);
  }
  if (response.possiblyTruncated) log.warn("the response filled the host's buffer, so its body may be cut short");
  if (response.status >= 300 && response.status < 400 && !transport.followsRedirects) {
    const location = response.header("Location");
    log.info("redirect not followed" + (location != null ? "; Location: " + location : ""));
  }
  if (response.status >= 400) {
    log.error(settings.method + " " + settings.url + " returned HTTP " + response.status.toString() + (phrase.length > 0 ? " " + phrase : "") + "; exiting with code 1");
    return 1;
  }
  return 0;
}
