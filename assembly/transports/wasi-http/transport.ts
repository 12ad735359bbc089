import { HttpHeader, HttpRequest, HttpResponse, HttpTransport, TransportFailure } from "../../http/types";
import { parseUrl } from "../../http/url";
import * as wasi from "./imports";
import { failureKind, readErrorCode } from "./error-code";

// Maximum bytes handed to one output-stream.write call; check-write may permit fewer.
const WRITE_CHUNK: i32 = 65536;
const READ_CHUNK: u64 = 65536;
const NANOS_PER_MS: u64 = 1000000;

// Headers the host sets itself or forbids; the authority carries the host name.
const SKIPPED_HEADERS: string[] = ["host", "connection", "transfer-encoding", "keep-alive", "upgrade"];

function methodTag(method: string): i32 {
  if (method == "GET") return 0;
  if (method == "HEAD") return 1;
  if (method == "POST") return 2;
  if (method == "PUT") return 3;
  if (method == "DELETE") return 4;
  if (method == "CONNECT") return 5;
  if (method == "OPTIONS") return 6;
  if (method == "TRACE") return 7;
  if (method == "PATCH") return 8;
  return 9;
}

/** Sets a string-valued option through a setter taking (self, is_some, ptr, len). */
function utf8(text: string): ArrayBuffer {
  return String.UTF8.encode(text);
}

/** Outcome of writing a request body. */
enum BodyWrite {
  Done,
  /** The response, the connection's failure or a stream error came first, and the response future tells which. */
  StoppedEarly,
  TimedOut,
}

/** Pollable that became ready first while a body was being written. */
enum Ready {
  Neither,
  Stream,
  Response,
}

/** The wasi:http transport of the WASI 0.2 component. */
export class WasiHttpTransport extends HttpTransport {
  get name(): string {
    return "wasi:http";
  }

  get followsRedirects(): bool {
    return false;
  }

  send(request: HttpRequest): HttpResponse {
    const url = parseUrl(request.url);
    if (url.error != null) return HttpResponse.failed(TransportFailure.InvalidUrl, url.error!);

    // One return area serves every call: the largest result is 56 bytes, align 8.
    const ra = heap.alloc(64);
    const deadline = new Deadline(request.timeoutMs);
    const response = this.exchange(request, url.scheme, url.authority, url.pathWithQuery, ra, deadline);
    heap.free(ra);
    return response;
  }

  private exchange(request: HttpRequest, scheme: string, authority: string, pathWithQuery: string, ra: usize, deadline: Deadline): HttpResponse {
    // 1. Headers.
    const fields = wasi.fieldsNew();
    for (let i = 0; i < request.headers.length; i++) {
      const header = request.headers[i];
      if (SKIPPED_HEADERS.includes(header.name.toLowerCase())) continue;
      const name = utf8(header.name);
      const value = utf8(header.value);
      wasi.fieldsAppend(fields, changetype<usize>(name), <usize>name.byteLength, changetype<usize>(value), <usize>value.byteLength, ra);
      if (load<u8>(ra) != 0) {
        wasi.fieldsDrop(fields);
        return HttpResponse.failed(TransportFailure.Unsupported, "the host rejected the header \"" + header.name + "\"");
      }
    }

    // 2. Request line. The request owns `fields` from here on.
    const outgoing = wasi.outgoingRequestNew(fields);
    const method = utf8(request.method);
    const tag = methodTag(request.method);
    let rejected = wasi.outgoingRequestSetMethod(outgoing, tag, tag == 9 ? changetype<usize>(method) : 0, tag == 9 ? <usize>method.byteLength : 0) != 0;
    rejected = rejected || wasi.outgoingRequestSetScheme(outgoing, 1, scheme == "http" ? 0 : 1, 0, 0) != 0;
    const authorityBytes = utf8(authority);
    rejected = rejected || wasi.outgoingRequestSetAuthority(outgoing, 1, changetype<usize>(authorityBytes), <usize>authorityBytes.byteLength) != 0;
    const pathBytes = utf8(pathWithQuery);
    rejected = rejected || wasi.outgoingRequestSetPathWithQuery(outgoing, 1, changetype<usize>(pathBytes), <usize>pathBytes.byteLength) != 0;
    if (rejected) {
      wasi.outgoingRequestDrop(outgoing);
      return HttpResponse.failed(TransportFailure.InvalidUrl, "the host rejected the method or URL of " + request.method + " " + request.url);
    }

    // 3. Body handle, taken before the request is handed over.
    wasi.outgoingRequestBody(outgoing, ra);
    if (load<u8>(ra) != 0) {
      wasi.outgoingRequestDrop(outgoing);
      return HttpResponse.failed(TransportFailure.Network, "the host gave no request body stream");
    }
    const body = load<i32>(ra, 4);

    // 4. Hand the request to the host. The connect timeout is the only option preview2-shim
    // enforces; the deadline below covers the rest of the exchange.
    const options = wasi.requestOptionsNew();
    wasi.requestOptionsSetConnectTimeout(options, 1, <u64>request.timeoutMs * NANOS_PER_MS);
    wasi.outgoingHandlerHandle(outgoing, 1, options, ra);
    if (load<u8>(ra) != 0) {
      const reason = readErrorCode(ra + 8);
      wasi.outgoingBodyDrop(body);
      return HttpResponse.failed(failureKind(load<u8>(ra, 8)), reason);
    }
    const future = load<i32>(ra, 8);

    // 5. Body bytes, then finish. When writing stops early, the response or the connection's
    // failure is already known or on its way, and step 6 reports it.
    const written = this.writeBody(body, request.body, future, deadline, ra);
    if (written == BodyWrite.TimedOut) {
      wasi.outgoingBodyDrop(body);
      wasi.futureResponseDrop(future);
      return HttpResponse.failed(TransportFailure.TimedOut, "the request body could not be sent within " + deadline.totalMs.toString() + " ms (request_timeout_seconds)");
    }
    if (written == BodyWrite.Done) {
      wasi.outgoingBodyFinish(body, 0, 0, ra);
      if (load<u8>(ra) != 0) {
        const reason = readErrorCode(ra + 8);
        wasi.futureResponseDrop(future);
        return HttpResponse.failed(failureKind(load<u8>(ra, 8)), reason);
      }
    } else {
      wasi.outgoingBodyDrop(body);
    }

    // 6. Wait for the response's head, bounded by the deadline.
    if (!this.waitFor(wasi.futureResponseSubscribe(future), deadline)) {
      wasi.futureResponseDrop(future);
      return HttpResponse.failed(TransportFailure.TimedOut, "timed out: no answer within " + deadline.totalMs.toString() + " ms (request_timeout_seconds)");
    }
    wasi.futureResponseGet(future, ra);
    if (load<u8>(ra) == 0 || load<u8>(ra, 8) != 0) {
      wasi.futureResponseDrop(future);
      return HttpResponse.failed(TransportFailure.Network, "the host lost the response");
    }
    if (load<u8>(ra, 16) != 0) {
      const reason = readErrorCode(ra + 24);
      const kind = failureKind(load<u8>(ra, 24));
      wasi.futureResponseDrop(future);
      return HttpResponse.failed(kind, reason);
    }
    const incoming = load<i32>(ra, 24);
    wasi.futureResponseDrop(future);

    const response = new HttpResponse();
    response.status = wasi.incomingResponseStatus(incoming);
    const headers = wasi.incomingResponseHeaders(incoming);
    response.headers = this.readFields(headers, ra);
    wasi.fieldsDrop(headers);

    // 7. The response's body, bounded by the same deadline.
    const bodyFailure = this.readBody(incoming, response, ra, deadline);
    wasi.incomingResponseDrop(incoming);
    if (bodyFailure != TransportFailure.None) {
      const failed = HttpResponse.failed(bodyFailure, bodyFailure == TransportFailure.TimedOut
        ? "timed out: the answer's body did not arrive within " + deadline.totalMs.toString() + " ms (request_timeout_seconds)"
        : "the connection failed while reading the answer's body");
      failed.status = response.status;
      return failed;
    }
    return response;
  }

  /**
   * Writes the body with check-write and write, waiting at most until the deadline. It stops
   * early when the response or the connection's failure arrives first. preview2-shim 0.26.1
   * never completes a blocking write once its request has failed, so a body larger than its
   * stream buffer (about 32 KiB) sent to a refused port would block forever.
   */
  private writeBody(body: i32, bytes: Uint8Array, future: i32, deadline: Deadline, ra: usize): BodyWrite {
    if (bytes.length == 0) return BodyWrite.Done;
    wasi.outgoingBodyWrite(body, ra);
    if (load<u8>(ra) != 0) return BodyWrite.StoppedEarly;
    const stream = load<i32>(ra, 4);
    let outcome = BodyWrite.Done;
    let offset: i32 = 0;
    while (offset < bytes.length) {
      wasi.outputStreamCheckWrite(stream, ra);
      if (load<u8>(ra) != 0) {
        // stream-error: last-operation-failed (0) carries an error resource; closed (1) does not.
        if (load<u8>(ra, 8) == 0) wasi.ioErrorDrop(load<i32>(ra, 12));
        outcome = BodyWrite.StoppedEarly;
        break;
      }
      const permitted = load<u64>(ra, 8);
      if (permitted == 0) {
        const ready = this.waitForStreamOrResponse(wasi.outputStreamSubscribe(stream), wasi.futureResponseSubscribe(future), deadline);
        if (ready == Ready.Neither) {
          outcome = BodyWrite.TimedOut;
          break;
        }
        if (ready == Ready.Response) {
          outcome = BodyWrite.StoppedEarly;
          break;
        }
        continue;
      }
      const length = <i32>min<u64>(permitted, <u64>min(WRITE_CHUNK, bytes.length - offset));
      wasi.outputStreamWrite(stream, bytes.dataStart + <usize>offset, <usize>length, ra);
      if (load<u8>(ra) != 0) {
        if (load<u8>(ra, 4) == 0) wasi.ioErrorDrop(load<i32>(ra, 8));
        outcome = BodyWrite.StoppedEarly;
        break;
      }
      offset += length;
    }
    if (outcome == BodyWrite.Done) outcome = this.flushBody(stream, future, deadline, ra);
    wasi.outputStreamDrop(stream);
    return outcome;
  }

  /**
   * Flushes what was written, because a host may buffer writes until a flush. The flush is
   * complete when check-write permits bytes again; waiting is bounded like the writes.
   */
  private flushBody(stream: i32, future: i32, deadline: Deadline, ra: usize): BodyWrite {
    wasi.outputStreamFlush(stream, ra);
    if (load<u8>(ra) != 0) {
      if (load<u8>(ra, 4) == 0) wasi.ioErrorDrop(load<i32>(ra, 8));
      return BodyWrite.StoppedEarly;
    }
    while (true) {
      wasi.outputStreamCheckWrite(stream, ra);
      if (load<u8>(ra) != 0) {
        if (load<u8>(ra, 8) == 0) wasi.ioErrorDrop(load<i32>(ra, 12));
        return BodyWrite.StoppedEarly;
      }
      if (load<u64>(ra, 8) > 0) return BodyWrite.Done;
      const ready = this.waitForStreamOrResponse(wasi.outputStreamSubscribe(stream), wasi.futureResponseSubscribe(future), deadline);
      if (ready == Ready.Neither) return BodyWrite.TimedOut;
      if (ready == Ready.Response) return BodyWrite.StoppedEarly;
    }
  }

  /** Polls a stream's pollable and the response's pollable with the deadline's timer; consumes both. */
  private waitForStreamOrResponse(streamPollable: i32, responsePollable: i32, deadline: Deadline): Ready {
    const remaining = deadline.remainingMs();
    if (remaining <= 0) {
      wasi.pollableDrop(streamPollable);
      wasi.pollableDrop(responsePollable);
      return Ready.Neither;
    }
    const timer = wasi.subscribeDuration(<u64>remaining * NANOS_PER_MS);
    // Unmanaged list of three pollable handles and a return area for the ready indexes.
    const list = heap.alloc(20);
    store<i32>(list, streamPollable);
    store<i32>(list, responsePollable, 4);
    store<i32>(list, timer, 8);
    wasi.poll(list, 3, list + 12);
    const readyIndexes = <usize>load<u32>(list, 12);
    const readyCount = load<u32>(list, 16);
    let result = Ready.Neither;
    for (let i: u32 = 0; i < readyCount; i++) {
      const index = load<u32>(readyIndexes + <usize>i * 4);
      if (index == 1) result = Ready.Response;
      else if (index == 0 && result == Ready.Neither) result = Ready.Stream;
    }
    if (readyCount > 0) heap.free(readyIndexes);
    heap.free(list);
    wasi.pollableDrop(timer);
    wasi.pollableDrop(streamPollable);
    wasi.pollableDrop(responsePollable);
    return result;
  }

  /** Copies a fields resource into header objects, freeing the host-allocated list. */
  private readFields(fields: i32, ra: usize): HttpHeader[] {
    wasi.fieldsEntries(fields, ra);
    const list = <usize>load<u32>(ra);
    const count = <i32>load<u32>(ra, 4);
    const headers = new Array<HttpHeader>();
    for (let i = 0; i < count; i++) {
      const entry = list + <usize>i * 16;
      const namePtr = <usize>load<u32>(entry);
      const nameLen = <usize>load<u32>(entry, 4);
      const valuePtr = <usize>load<u32>(entry, 8);
      const valueLen = <usize>load<u32>(entry, 12);
      headers.push(new HttpHeader(String.UTF8.decodeUnsafe(namePtr, nameLen), String.UTF8.decodeUnsafe(valuePtr, valueLen)));
      if (nameLen > 0) heap.free(namePtr);
      if (valueLen > 0) heap.free(valuePtr);
    }
    if (count > 0) heap.free(list);
    return headers;
  }

  private readBody(incoming: i32, response: HttpResponse, ra: usize, deadline: Deadline): TransportFailure {
    wasi.incomingResponseConsume(incoming, ra);
    if (load<u8>(ra) != 0) return TransportFailure.Network;
    const body = load<i32>(ra, 4);
    wasi.incomingBodyStream(body, ra);
    if (load<u8>(ra) != 0) {
      wasi.incomingBodyDrop(body);
      return TransportFailure.Network;
    }
    const stream = load<i32>(ra, 4);

    let buffer = new Uint8Array(4096);
    let length: i32 = 0;
    let failure = TransportFailure.None;
    // Bounded by the deadline: each pass either reads bytes, waits on the stream with the
    // deadline's timer, or ends.
    while (true) {
      wasi.inputStreamRead(stream, READ_CHUNK, ra);
      if (load<u8>(ra) != 0) {
        // stream-error: closed (1) is the normal end; last-operation-failed carries an error.
        if (load<u8>(ra, 4) == 0) {
          wasi.ioErrorDrop(load<i32>(ra, 8));
          failure = TransportFailure.Network;
        }
        break;
      }
      const chunk = <usize>load<u32>(ra, 4);
      const chunkLength = <i32>load<u32>(ra, 8);
      if (chunkLength > 0) {
        if (length + chunkLength > buffer.length) {
          let capacity = buffer.length * 2;
          while (capacity < length + chunkLength) capacity *= 2;
          const grown = new Uint8Array(capacity);
          grown.set(buffer.subarray(0, length));
          buffer = grown;
        }
        memory.copy(buffer.dataStart + <usize>length, chunk, <usize>chunkLength);
        length += chunkLength;
        heap.free(chunk);
        continue;
      }
      if (!this.waitFor(wasi.inputStreamSubscribe(stream), deadline)) {
        failure = TransportFailure.TimedOut;
        break;
      }
    }
    wasi.inputStreamDrop(stream);
    wasi.incomingBodyDrop(body);
    response.body = buffer.subarray(0, length);
    return failure;
  }

  /** Polls a pollable together with the deadline's timer; consumes the pollable. True when it became ready. */
  private waitFor(pollable: i32, deadline: Deadline): bool {
    const remaining = deadline.remainingMs();
    if (remaining <= 0) {
      wasi.pollableDrop(pollable);
      return false;
    }
    const timer = wasi.subscribeDuration(<u64>remaining * NANOS_PER_MS);
    // Unmanaged list of two pollable handles and a return area for the ready indexes.
    const list = heap.alloc(16);
    store<i32>(list, pollable);
    store<i32>(list, timer, 4);
    wasi.poll(list, 2, list + 8);
    const ready = <usize>load<u32>(list, 8);
    const readyCount = load<u32>(list, 12);
    let pollableReady = false;
    for (let i: u32 = 0; i < readyCount; i++) {
      if (load<u32>(ready + <usize>i * 4) == 0) pollableReady = true;
    }
    if (readyCount > 0) heap.free(ready);
    heap.free(list);
    wasi.pollableDrop(timer);
    wasi.pollableDrop(pollable);
    return pollableReady;
  }
}

import { monotonicMs } from "../../platform/clock";

/** The time left for one exchange, measured on the monotonic clock. */
class Deadline {
  private endMs: i64;
  constructor(public totalMs: u32) {
    this.endMs = monotonicMs() + <i64>totalMs;
  }
  remainingMs(): i64 {
    return this.endMs - monotonicMs();
  }
}
