import { TransportFailure } from "../../http/types";

// The cases of wasi:http/types@0.2.12 `error-code`, in declaration order, so a tag indexes this list.
const ERROR_CODE_NAMES: string[] = [
  "DNS-timeout", "DNS-error", "destination-not-found", "destination-unavailable",
  "destination-IP-prohibited", "destination-IP-unroutable", "connection-refused",
  "connection-terminated", "connection-timeout", "connection-read-timeout",
  "connection-write-timeout", "connection-limit-reached", "TLS-protocol-error",
  "TLS-certificate-error", "TLS-alert-received", "HTTP-request-denied",
  "HTTP-request-length-required", "HTTP-request-body-size", "HTTP-request-method-invalid",
  "HTTP-request-URI-invalid", "HTTP-request-URI-too-long", "HTTP-request-header-section-size",
  "HTTP-request-header-size", "HTTP-request-trailer-section-size", "HTTP-request-trailer-size",
  "HTTP-response-incomplete", "HTTP-response-header-section-size", "HTTP-response-header-size",
  "HTTP-response-body-size", "HTTP-response-trailer-section-size", "HTTP-response-trailer-size",
  "HTTP-response-transfer-coding", "HTTP-response-content-coding", "HTTP-response-timeout",
  "HTTP-upgrade-failed", "HTTP-protocol-error", "loop-detected", "configuration-error",
  "internal-error",
];

const DNS_ERROR: u8 = 1;
const INTERNAL_ERROR: u8 = 38;

/** Words for an error-code case, for a one-line failure reason. */
function describe(tag: u8): string {
  switch (tag) {
    case 0: return "DNS lookup timed out";
    case 1: return "DNS lookup failed";
    case 2: return "destination not found";
    case 3: return "destination unavailable";
    case 4: return "destination IP address prohibited";
    case 5: return "destination IP address unroutable";
    case 6: return "connection refused";
    case 7: return "connection closed by the server";
    case 8: return "connection timed out";
    case 9: return "timed out reading from the connection";
    case 10: return "timed out writing to the connection";
    case 11: return "connection limit reached";
    case 12: return "TLS protocol error";
    case 13: return "TLS certificate error (not trusted or wrong host)";
    case 14: return "TLS alert received";
    case 15: return "request denied by the host";
    case 19: return "invalid request URI";
    case 25: return "incomplete response";
    case 33: return "response timed out";
    case 35: return "HTTP protocol error";
    case 37: return "host configuration error";
    default: return "HTTP failure";
  }
}

/** Maps an error-code case to the transport failure kinds the core reports on. */
export function failureKind(tag: u8): TransportFailure {
  switch (tag) {
    case 0:
    case 1:
    case 2:
      return TransportFailure.DnsFailed;
    case 6:
      return TransportFailure.ConnectionRefused;
    case 8:
    case 9:
    case 10:
    case 33:
      return TransportFailure.TimedOut;
    case 15:
      return TransportFailure.HostNotAllowed;
    case 19:
      return TransportFailure.InvalidUrl;
    default:
      return TransportFailure.Network;
  }
}

/**
 * Reads an `error-code` value stored at `at` (tag u8, payload from +8) and returns a reason
 * such as "connection refused (wasi:http error-code connection-refused)".
 * The strings inside the payload were allocated through cabi_realloc and are freed here.
 */
export function readErrorCode(at: usize): string {
  const tag = load<u8>(at);
  const name = tag < <u8>ERROR_CODE_NAMES.length ? ERROR_CODE_NAMES[tag] : "unknown-" + tag.toString();
  let detail = "";
  if (tag == INTERNAL_ERROR || tag == DNS_ERROR) {
    // internal-error(option<string>) and DNS-error's first field, rcode: option<string>.
    if (load<u8>(at, 8) == 1) {
      const ptr = load<u32>(at, 12);
      const len = load<u32>(at, 16);
      detail = String.UTF8.decodeUnsafe(<usize>ptr, <usize>len);
      heap.free(<usize>ptr);
    }
  }
  let reason = describe(tag) + " (wasi:http error-code " + name;
  if (detail.length > 0) reason += ": " + detail;
  return reason + ")";
}
