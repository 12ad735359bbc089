/** One header line. Names keep the case they were given; comparisons lower-case them. */
export class HttpHeader {
  constructor(public name: string, public value: string) {}
}

/** A request as the core hands it to a transport: the full URL, headers and raw body bytes. */
export class HttpRequest {
  method: string = "GET";
  url: string = "";
  headers: HttpHeader[] = [];
  body: Uint8Array = new Uint8Array(0);
  /** The maximum time for the whole exchange in milliseconds, response body included. */
  timeoutMs: u32 = 30000;
}

/** The reason a transport produced no HTTP response. */
export enum TransportFailure {
  None = 0,
  InvalidUrl,
  HostNotAllowed,
  DnsFailed,
  ConnectionRefused,
  TimedOut,
  ResponseTooLarge,
  Network,
  Unsupported,
}

/** The result of one exchange: an HTTP response, or a transport failure with a one-line reason. */
export class HttpResponse {
  status: i32 = 0;
  headers: HttpHeader[] = [];
  body: Uint8Array = new Uint8Array(0);
  failure: TransportFailure = TransportFailure.None;
  /** One line, in words, naming what failed; empty when `failure` is None. */
  failureReason: string = "";
  /** True when the body filled the host's buffer, so it may have been cut short. */
  possiblyTruncated: bool = false;

  get ok(): bool {
    return this.failure == TransportFailure.None;
  }

  /** Returns the first value of the named header, compared without case, or null. */
  header(name: string): string | null {
    const wanted = name.toLowerCase();
    for (let i = 0; i < this.headers.length; i++) {
      if (this.headers[i].name.toLowerCase() == wanted) return this.headers[i].value;
    }
    return null;
  }

  static failed(failure: TransportFailure, reason: string): HttpResponse {
    const response = new HttpResponse();
    response.failure = failure;
    response.failureReason = reason;
    return response;
  }
}

/**
 * The one narrow interface between the shared core and a WASM host's networking.
 * Each build supplies one implementation: wasi:http, Bacalhau's host function, or none.
 */
export abstract class HttpTransport {
  /** A short name for messages, such as "wasi:http". */
  abstract get name(): string;
  /** True when the host follows redirects itself, so the core receives only the final response. */
  abstract get followsRedirects(): bool;
  /** Sends one request and waits for the whole answer or a failure; never traps. */
  abstract send(request: HttpRequest): HttpResponse;
}
