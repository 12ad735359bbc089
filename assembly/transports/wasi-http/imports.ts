// Core-level imports of WASI 0.2.12 HTTP, streams, poll and clocks, lowered by hand
// following the component model's canonical ABI. Handles are i32; `ra` is a return area
// the caller allocates with the size and alignment given next to each function.

// ---- wasi:http/types ----

@external("wasi:http/types@0.2.12", "[constructor]fields")
export declare function fieldsNew(): i32;

/** ra: 2 bytes: +0 result tag, +1 header-error tag. */
@external("wasi:http/types@0.2.12", "[method]fields.append")
export declare function fieldsAppend(self: i32, namePtr: usize, nameLen: usize, valuePtr: usize, valueLen: usize, ra: usize): void;

/** ra: 8 bytes: +0 list pointer, +4 length; each element 16 bytes (name ptr, len, value ptr, len). */
@external("wasi:http/types@0.2.12", "[method]fields.entries")
export declare function fieldsEntries(self: i32, ra: usize): void;

@external("wasi:http/types@0.2.12", "[resource-drop]fields")
export declare function fieldsDrop(self: i32): void;

@external("wasi:http/types@0.2.12", "[constructor]outgoing-request")
export declare function outgoingRequestNew(headers: i32): i32;

@external("wasi:http/types@0.2.12", "[method]outgoing-request.set-method")
export declare function outgoingRequestSetMethod(self: i32, tag: i32, otherPtr: usize, otherLen: usize): i32;

@external("wasi:http/types@0.2.12", "[method]outgoing-request.set-scheme")
export declare function outgoingRequestSetScheme(self: i32, isSome: i32, tag: i32, otherPtr: usize, otherLen: usize): i32;

@external("wasi:http/types@0.2.12", "[method]outgoing-request.set-authority")
export declare function outgoingRequestSetAuthority(self: i32, isSome: i32, ptr: usize, len: usize): i32;

@external("wasi:http/types@0.2.12", "[method]outgoing-request.set-path-with-query")
export declare function outgoingRequestSetPathWithQuery(self: i32, isSome: i32, ptr: usize, len: usize): i32;

/** ra: 8 bytes: +0 tag, +4 outgoing-body handle. */
@external("wasi:http/types@0.2.12", "[method]outgoing-request.body")
export declare function outgoingRequestBody(self: i32, ra: usize): void;

@external("wasi:http/types@0.2.12", "[resource-drop]outgoing-request")
export declare function outgoingRequestDrop(self: i32): void;

/** ra: 8 bytes: +0 tag, +4 output-stream handle. */
@external("wasi:http/types@0.2.12", "[method]outgoing-body.write")
export declare function outgoingBodyWrite(self: i32, ra: usize): void;

/** ra: 40 bytes, align 8: +0 tag; error-code at +8. */
@external("wasi:http/types@0.2.12", "[static]outgoing-body.finish")
export declare function outgoingBodyFinish(body: i32, hasTrailers: i32, trailers: i32, ra: usize): void;

@external("wasi:http/types@0.2.12", "[resource-drop]outgoing-body")
export declare function outgoingBodyDrop(self: i32): void;

@external("wasi:http/types@0.2.12", "[constructor]request-options")
export declare function requestOptionsNew(): i32;

@external("wasi:http/types@0.2.12", "[method]request-options.set-connect-timeout")
export declare function requestOptionsSetConnectTimeout(self: i32, isSome: i32, nanoseconds: u64): i32;

@external("wasi:http/types@0.2.12", "[method]request-options.set-first-byte-timeout")
export declare function requestOptionsSetFirstByteTimeout(self: i32, isSome: i32, nanoseconds: u64): i32;

@external("wasi:http/types@0.2.12", "[method]request-options.set-between-bytes-timeout")
export declare function requestOptionsSetBetweenBytesTimeout(self: i32, isSome: i32, nanoseconds: u64): i32;

@external("wasi:http/types@0.2.12", "[resource-drop]request-options")
export declare function requestOptionsDrop(self: i32): void;

@external("wasi:http/types@0.2.12", "[method]future-incoming-response.subscribe")
export declare function futureResponseSubscribe(self: i32): i32;

/**
 * ra: 56 bytes, align 8: +0 option tag, +8 outer result tag, +16 inner result tag,
 * +24 incoming-response handle or error-code (tag +24, payload +32).
 */
@external("wasi:http/types@0.2.12", "[method]future-incoming-response.get")
export declare function futureResponseGet(self: i32, ra: usize): void;

@external("wasi:http/types@0.2.12", "[resource-drop]future-incoming-response")
export declare function futureResponseDrop(self: i32): void;

@external("wasi:http/types@0.2.12", "[method]incoming-response.status")
export declare function incomingResponseStatus(self: i32): i32;

@external("wasi:http/types@0.2.12", "[method]incoming-response.headers")
export declare function incomingResponseHeaders(self: i32): i32;

/** ra: 8 bytes: +0 tag, +4 incoming-body handle. */
@external("wasi:http/types@0.2.12", "[method]incoming-response.consume")
export declare function incomingResponseConsume(self: i32, ra: usize): void;

@external("wasi:http/types@0.2.12", "[resource-drop]incoming-response")
export declare function incomingResponseDrop(self: i32): void;

/** ra: 8 bytes: +0 tag, +4 input-stream handle. */
@external("wasi:http/types@0.2.12", "[method]incoming-body.stream")
export declare function incomingBodyStream(self: i32, ra: usize): void;

@external("wasi:http/types@0.2.12", "[resource-drop]incoming-body")
export declare function incomingBodyDrop(self: i32): void;

// ---- wasi:http/outgoing-handler ----

/** ra: 40 bytes, align 8: +0 tag; ok: future handle at +8; err: error-code at +8. */
@external("wasi:http/outgoing-handler@0.2.12", "handle")
export declare function outgoingHandlerHandle(request: i32, hasOptions: i32, options: i32, ra: usize): void;

// ---- wasi:io/streams, wasi:io/error, wasi:io/poll ----

/** ra: 12 bytes: +0 tag; ok: list ptr +4, len +8; err: stream-error tag +4 (1 = closed), error handle +8. */
@external("wasi:io/streams@0.2.12", "[method]input-stream.read")
export declare function inputStreamRead(self: i32, length: u64, ra: usize): void;

@external("wasi:io/streams@0.2.12", "[method]input-stream.subscribe")
export declare function inputStreamSubscribe(self: i32): i32;

@external("wasi:io/streams@0.2.12", "[resource-drop]input-stream")
export declare function inputStreamDrop(self: i32): void;

/** ra: 16 bytes, align 8: +0 tag; ok: permitted byte count (u64) at +8; err: stream-error tag +8, error handle +12. */
@external("wasi:io/streams@0.2.12", "[method]output-stream.check-write")
export declare function outputStreamCheckWrite(self: i32, ra: usize): void;

/** Writes at most the count that check-write permitted. ra: 12 bytes: +0 tag; err: stream-error tag +4, error handle +8. */
@external("wasi:io/streams@0.2.12", "[method]output-stream.write")
export declare function outputStreamWrite(self: i32, ptr: usize, len: usize, ra: usize): void;

/** Starts flushing; check-write permits 0 bytes until the flush completes. ra: 12 bytes: +0 tag; err: stream-error tag +4, error handle +8. */
@external("wasi:io/streams@0.2.12", "[method]output-stream.flush")
export declare function outputStreamFlush(self: i32, ra: usize): void;

@external("wasi:io/streams@0.2.12", "[method]output-stream.subscribe")
export declare function outputStreamSubscribe(self: i32): i32;

@external("wasi:io/streams@0.2.12", "[resource-drop]output-stream")
export declare function outputStreamDrop(self: i32): void;

@external("wasi:io/error@0.2.12", "[resource-drop]error")
export declare function ioErrorDrop(self: i32): void;

/** ra: 8 bytes: +0 pointer, +4 length of a list of u32 indexes of the ready pollables. */
@external("wasi:io/poll@0.2.12", "poll")
export declare function poll(listPtr: usize, listLen: usize, ra: usize): void;

@external("wasi:io/poll@0.2.12", "[resource-drop]pollable")
export declare function pollableDrop(self: i32): void;

// ---- wasi:clocks/monotonic-clock ----

@external("wasi:clocks/monotonic-clock@0.2.12", "subscribe-duration")
export declare function subscribeDuration(nanoseconds: u64): i32;
