import { HttpHeader, HttpRequest, HttpResponse, HttpTransport, TransportFailure } from "../http/types";
import { parseUrl } from "../http/url";
import { SigV4Signer } from "../sigv4/signer";
import { parseHttpDate } from "../time/utc";
import { md5, toHex } from "../crypto";
import { log } from "../app/log";
import { sleepMs, wallClockMs } from "../platform/clock";
import { randomBelow, randomBytes } from "../platform/random";
import { Settings } from "../config/settings";
import { regionFromSqsHost } from "./region";
import { ErrorClass, adviceFor, classifyError } from "./errors";
import { SendMessageAnswer, SendMessageInput, jsonRequest, oneLine, queryRequest, readJsonAnswer, readQueryAnswer } from "./protocols";

const BACKOFF_BASE_MS: i64 = 100;
const BACKOFF_CAP_MS: i64 = 20000;

/** The outcome of one message's delivery. */
export class SendOutcome {
  delivered: bool = false;
  messageId: string = "";
  /** Attempts after the first, whatever their cause. */
  retries: i32 = 0;
  /** One line saying what SQS or the network returned and what to do, when not delivered. */
  failure: string = "";
  /** True when retrying cannot help (credentials, permissions, missing queue), so the run stops. */
  permanent: bool = false;
}

/** Sends SendMessage requests to one queue, signing each attempt at the moment it is sent. */
export class SqsClient {
  private signer: SigV4Signer;
  private endpointOrigin: string;
  private queuePath: string;
  private isFifo: bool;
  /** Server time minus local time, learnt from a clock-skew response's Date header. */
  private clockOffsetMs: i64 = 0;
  private skewWarned: bool = false;

  constructor(private settings: Settings, private transport: HttpTransport) {
    const queue = parseUrl(settings.queueUrl);
    this.queuePath = queue.path;
    this.isFifo = queue.path.endsWith(".fifo");

    let endpoint = queue;
    if (settings.endpointUrl.length > 0) endpoint = parseUrl(settings.endpointUrl);
    this.endpointOrigin = endpoint.scheme + "://" + endpoint.authority;

    // An AWS host names the region the request must be signed for. The endpoint's host comes
    // first, and the queue URL's host counts when endpoint_url is a host without a region
    // (a local proxy or emulator in front of an AWS queue URL).
    let region = settings.region;
    let regionHost = endpoint.host;
    let hostRegion = regionFromSqsHost(endpoint.host);
    if (hostRegion == null && settings.endpointUrl.length > 0) {
      regionHost = queue.host;
      hostRegion = regionFromSqsHost(queue.host);
    }
    if (hostRegion != null) {
      if (settings.regionConfigured && hostRegion != settings.region) {
        log.warn("region " + settings.region + " differs from " + hostRegion + " in the host " + regionHost + "; signing for " + hostRegion + " as SQS requires");
      }
      region = hostRegion;
    }
    const token: string | null = settings.sessionToken.length > 0 ? settings.sessionToken : null;
    this.signer = new SigV4Signer(settings.accessKey, settings.secretKey, token, region, "sqs");
    log.debug("sending to " + this.endpointOrigin + " with the " + settings.sqsProtocol + " protocol, signing for region " + region + (this.isFifo ? ", FIFO queue" : ""));
  }

  get fifo(): bool {
    return this.isFifo;
  }

  /** Sends one message, retrying throttling, server faults and network failures with backoff. */
  send(messageBody: string): SendOutcome {
    const outcome = new SendOutcome();
    const input = new SendMessageInput();
    input.queueUrl = this.settings.queueUrl;
    input.messageBody = messageBody;
    if (this.isFifo) {
      input.messageGroupId = this.settings.messageGroupId;
      // One id for every attempt of this message, so SQS drops a retry of a send it already took.
      input.messageDeduplicationId = toHex(randomBytes(16));
    }

    let failedAttempts: i32 = 0;
    let skewRetried = false;
    while (true) {
      const request = this.buildRequest(input);
      const signed = this.signer.sign(request, wallClockMs() + this.clockOffsetMs);
      if (signed.error != null) {
        outcome.failure = signed.error!;
        outcome.permanent = true;
        return outcome;
      }
      if (log.debugEnabled) this.logSigning(signed.canonicalRequest, signed.stringToSign);
      request.headers.push(new HttpHeader("Content-Length", request.body.length.toString()));

      const response = this.transport.send(request);
      const verdict = this.judge(response, input, outcome);
      if (verdict == Verdict.Done) return outcome;

      if (verdict == Verdict.SkewCorrected && !skewRetried) {
        skewRetried = true;
        outcome.retries++;
        continue;
      }
      if (verdict == Verdict.Stop) {
        outcome.permanent = true;
        return outcome;
      }

      failedAttempts++;
      if (failedAttempts > this.settings.maxRetries) {
        outcome.failure += " (gave up after " + failedAttempts.toString() + " attempts)";
        return outcome;
      }
      const waitMs = this.backoffMs(failedAttempts);
      log.warn("attempt " + failedAttempts.toString() + " failed: " + outcome.failure + "; retrying in " + waitMs.toString() + " ms");
      outcome.retries++;
      sleepMs(waitMs);
    }
  }

  private buildRequest(input: SendMessageInput): HttpRequest {
    const request = this.settings.sqsProtocol == "query"
      ? queryRequest(this.endpointOrigin, this.queuePath, input)
      : jsonRequest(this.endpointOrigin, input);
    request.timeoutMs = this.settings.requestTimeoutMs;
    return request;
  }

  /** Full jitter: a random wait up to the exponential bound, capped. */
  private backoffMs(attempt: i32): i64 {
    let bound = BACKOFF_BASE_MS;
    for (let i = 1; i < attempt && bound < BACKOFF_CAP_MS; i++) bound *= 2;
    if (bound > BACKOFF_CAP_MS) bound = BACKOFF_CAP_MS;
    return <i64>randomBelow(<u32>bound + 1);
  }

  private judge(response: HttpResponse, input: SendMessageInput, outcome: SendOutcome): Verdict {
    if (!response.ok) {
      outcome.failure = "request to " + this.endpointOrigin + " failed: " + response.failureReason;
      const kind = response.failure;
      const hopeless = kind == TransportFailure.InvalidUrl || kind == TransportFailure.HostNotAllowed || kind == TransportFailure.Unsupported;
      if (kind == TransportFailure.HostNotAllowed) outcome.failure += "; allow the queue's host in the job's network settings";
      return hopeless ? Verdict.Stop : Verdict.Retry;
    }

    const answer: SendMessageAnswer = this.settings.sqsProtocol == "query" ? readQueryAnswer(response) : readJsonAnswer(response);
    if (response.status == 200 && answer.understood) {
      const expected = toHex(md5(Uint8Array.wrap(String.UTF8.encode(input.messageBody))));
      if (answer.md5OfMessageBody.toLowerCase() != expected) {
        outcome.failure = "SQS answered MessageId " + answer.messageId + " with MD5OfMessageBody " + answer.md5OfMessageBody +
          " but the body sent has MD5 " + expected + "; the stored message may be corrupted, so it is counted as failed and not re-sent";
        return Verdict.Done;
      }
      outcome.delivered = true;
      outcome.messageId = answer.messageId;
      return Verdict.Done;
    }

    if (!answer.understood) {
      outcome.failure = "unexpected answer from " + this.endpointOrigin + ": HTTP " + response.status.toString() + " " + this.maskSecrets(snippet(response)) +
        "; check queue_url, endpoint_url and sqs_protocol";
      return response.status >= 500 || response.status == 429 ? Verdict.Retry : Verdict.Stop;
    }

    outcome.failure = "SQS answered HTTP " + response.status.toString() + " " + answer.errorCode + ": " + this.maskSecrets(answer.errorMessage) + "; " + adviceFor(answer.errorCode);
    const errorClass = classifyError(response.status, answer.errorCode, answer.errorMessage);
    if (errorClass == ErrorClass.ClockSkew) return this.correctClock(response) ? Verdict.SkewCorrected : Verdict.Stop;
    return errorClass == ErrorClass.Retryable ? Verdict.Retry : Verdict.Stop;
  }

  /** Learns the server's time from its Date header; false when the response has none. */
  private correctClock(response: HttpResponse): bool {
    const date = response.header("Date");
    if (date == null) return false;
    const serverMs = parseHttpDate(date);
    if (serverMs < 0) return false;
    this.clockOffsetMs = serverMs - wallClockMs();
    if (!this.skewWarned) {
      this.skewWarned = true;
      const seconds = this.clockOffsetMs / 1000;
      const direction = seconds >= 0 ? "behind" : "ahead of";
      log.warn("this machine's clock is " + abs(seconds).toString() + " s " + direction + " SQS's clock; signing with SQS's time from now on (fix the clock with NTP)");
    }
    return true;
  }

  /** Hides the secret key and session token in text from a server that echoes the request back. */
  private maskSecrets(text: string): string {
    let masked = text;
    const secret = this.settings.secretKey;
    if (secret.length > 0) masked = masked.replaceAll(secret, "****(secret key)");
    const token = this.settings.sessionToken;
    if (token.length > 0) masked = masked.replaceAll(token, "****(session token)");
    return masked;
  }

  private logSigning(canonicalRequest: string, stringToSign: string): void {
    let shown = canonicalRequest;
    const token = this.settings.sessionToken;
    if (token.length > 0) shown = shown.replaceAll(token, "****(session token)");
    log.debug("canonical request:\n" + shown);
    log.debug("string to sign:\n" + stringToSign);
  }
}

enum Verdict {
  Done,
  Retry,
  SkewCorrected,
  Stop,
}

/** Returns the start of a response's body on one line, for error messages. */
function snippet(response: HttpResponse): string {
  const length = min(response.body.length, 200);
  let text = String.UTF8.decode(response.body.slice(0, length).buffer);
  text = oneLine(text.replaceAll("\r", " ").replaceAll("\n", " "));
  return text.length > 0 ? "\"" + text + "\"" : "(empty body)";
}
