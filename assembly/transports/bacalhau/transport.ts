import { HttpHeader, HttpRequest, HttpResponse, HttpTransport, TransportFailure } from "../../http/types";
import { parseUrl } from "../../http/url";

/**
 * Bacalhau's HTTP host function, registered by its WASM executor only for jobs with
 * networking. All arguments are i32. Before the call the guest writes each response
 * buffer's capacity as a little-endian u32 at its length pointer. On success the host
 * overwrites it with the byte count. The HTTP status is written at `statusPtr`.
 */
@external("wasi:http/requests", "http_request")
declare function httpRequest(
  method: i32,
  urlPtr: usize, urlLen: usize,
  headersPtr: usize, headersLen: usize,
  bodyPtr: usize, bodyLen: usize,
  respHeadersPtr: usize, respHeadersLenPtr: usize,
  respBodyPtr: usize, respBodyLenPtr: usize,
  statusPtr: usize,
): i32;

// Far larger than any SQS response (under 2 KiB), and room for HTTP-mode probes. A body that
// fills the buffer may have been cut short, because newer executors truncate silently.
const RESPONSE_HEADERS_CAPACITY: usize = 64 * 1024;
const RESPONSE_BODY_CAPACITY: usize = 8 * 1024 * 1024;

function methodCode(method: string): i32 {
  if (method == "GET") return 0;
  if (method == "POST") return 1;
  if (method == "PUT") return 2;
  if (method == "DELETE") return 3;
  if (method == "HEAD") return 4;
  if (method == "OPTIONS") return 5;
  if (method == "PATCH") return 6;
  return -1;
}

/** Returns a failure with a one-line reason for one of the host function's result codes. */
function resultFailure(code: i32, url: string, host: string): HttpResponse {
  if (code == 1) return HttpResponse.failed(TransportFailure.InvalidUrl, "the host rejected the URL " + url + " as invalid (Bacalhau result 1)");
  if (code == 2) return HttpResponse.failed(TransportFailure.Network, "network error: connection refused, DNS failure or connection reset (Bacalhau result 2)");
  if (code == 3) return HttpResponse.failed(TransportFailure.TimedOut, "timed out (Bacalhau result 3; its executor limits each request to 30 s by default)");
  if (code == 4) {
    return HttpResponse.failed(TransportFailure.HostNotAllowed, "host not allowed: the job's network settings do not allow " + host +
      " (Bacalhau result 4); run the job with --network http --domain " + host);
  }
  if (code == 5) return HttpResponse.failed(TransportFailure.ResponseTooLarge, "the answer is larger than the module's buffers (Bacalhau result 5)");
  if (code == 6) return HttpResponse.failed(TransportFailure.Unsupported, "the host rejected the request's arguments as bad input (Bacalhau result 6)");
  if (code == 7) return HttpResponse.failed(TransportFailure.Unsupported, "the host could not read or write the module's memory (Bacalhau result 7)");
  return HttpResponse.failed(TransportFailure.Network, "the host returned unknown result code " + code.toString());
}

/** Bacalhau's `wasi:http/requests` host function, for bin/main.wasm. */
export class BacalhauTransport extends HttpTransport {
  // Unmanaged response buffers, allocated on first use and kept for the whole run because
  // a push loop sends one request per message.
  private headersBuffer: usize = 0;
  private bodyBuffer: usize = 0;

  get name(): string {
    return "Bacalhau's http_request";
  }

  get followsRedirects(): bool {
    return true;
  }

  send(request: HttpRequest): HttpResponse {
    const url = parseUrl(request.url);
    if (url.error != null) return HttpResponse.failed(TransportFailure.InvalidUrl, url.error!);
    const method = methodCode(request.method);
    if (method < 0) {
      return HttpResponse.failed(TransportFailure.Unsupported, "Bacalhau's HTTP host function cannot send " + request.method + "; use GET, POST, PUT, DELETE, HEAD, OPTIONS or PATCH");
    }

    // The host reads one "Name: value" per line and sets Host itself from the URL.
    let headerText = "";
    for (let i = 0; i < request.headers.length; i++) {
      const header = request.headers[i];
      if (header.name.toLowerCase() == "host") continue;
      headerText += header.name + ": " + header.value + "\n";
    }

    if (this.headersBuffer == 0) {
      this.headersBuffer = heap.alloc(RESPONSE_HEADERS_CAPACITY);
      this.bodyBuffer = heap.alloc(RESPONSE_BODY_CAPACITY);
    }
    const lengths = heap.alloc(12);
    store<u32>(lengths, <u32>RESPONSE_HEADERS_CAPACITY);
    store<u32>(lengths, <u32>RESPONSE_BODY_CAPACITY, 4);
    store<u32>(lengths, 0, 8);

    const urlBytes = String.UTF8.encode(request.url);
    const headerBytes = String.UTF8.encode(headerText);
    const hasBody = request.body.length > 0;
    const result = httpRequest(
      method,
      changetype<usize>(urlBytes), <usize>urlBytes.byteLength,
      headerText.length > 0 ? changetype<usize>(headerBytes) : 0, <usize>headerBytes.byteLength,
      hasBody ? request.body.dataStart : 0, <usize>request.body.length,
      this.headersBuffer, lengths,
      this.bodyBuffer, lengths + 4,
      lengths + 8,
    );

    if (result != 0) {
      heap.free(lengths);
      return resultFailure(result, request.url, url.host);
    }

    const headersLength = min<usize>(<usize>load<u32>(lengths), RESPONSE_HEADERS_CAPACITY);
    const bodyLength = min<usize>(<usize>load<u32>(lengths, 4), RESPONSE_BODY_CAPACITY);
    const response = new HttpResponse();
    response.status = <i32>load<u32>(lengths, 8);
    heap.free(lengths);

    response.headers = parseHeaderLines(String.UTF8.decodeUnsafe(this.headersBuffer, headersLength));
    const body = new Uint8Array(<i32>bodyLength);
    memory.copy(body.dataStart, this.bodyBuffer, bodyLength);
    response.body = body;
    // The host may also cut the body below the buffer (at a share of the module's memory), so a
    // shorter body than the declared Content-Length counts as cut short too.
    response.possiblyTruncated = bodyLength == RESPONSE_BODY_CAPACITY || headersLength == RESPONSE_HEADERS_CAPACITY ||
      (request.method != "HEAD" && declaredLength(response) > <i64>bodyLength);
    return response;
  }
}

/** Returns the Content-Length the server declared, or -1 when there is none or it is not a number. A HEAD response declares the length of a body it does not send, so callers skip it. */
function declaredLength(response: HttpResponse): i64 {
  if (response.status == 204 || response.status == 304) return -1;
  const value = response.header("Content-Length");
  if (value == null || value.length == 0 || value.length > 15) return -1;
  let length: i64 = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 48 || code > 57) return -1;
    length = length * 10 + <i64>(code - 48);
  }
  return length;
}

function parseHeaderLines(text: string): HttpHeader[] {
  const headers = new Array<HttpHeader>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    headers.push(new HttpHeader(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
  }
  return headers;
}
