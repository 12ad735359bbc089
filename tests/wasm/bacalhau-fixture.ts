// A WASI preview1 test program for the Bacalhau host emulation in host/bacalhau/.
// Each argument after argv[0] is one step, run in order:
//   args             print argc and every argv entry between < and >
//   env              print every environment variable, in the order the host passed them
//   cat:/PATH        print the contents of a file under the preopened root
//   write:/PATH=TEXT create or replace a file with TEXT
//   stderr:TEXT      write TEXT and a newline to stderr
//   sleep:MS         sleep through poll_oneoff and print the elapsed monotonic time
//   http[:NAME]      call http_request with the HTTP_* environment variables below
//   exit:N           end through proc_exit(N)
//   trap             execute `unreachable`
// Without exit or trap, _start returns without calling proc_exit.
//
// http reads HTTP_URL, HTTP_METHOD (number, default 0), HTTP_HEADERS and HTTP_BODY (absent means
// a null pointer), HTTP_HEADERS_CAPACITY and HTTP_BODY_CAPACITY (bytes, defaults 8192 and 65536)
// and HTTP_FAULT, which passes one deliberately bad pointer to the host (see callHttp).
// With a NAME, a variable HTTP_X_NAME takes precedence over HTTP_X, so one run can make several
// different calls.

import {
  clockid,
  clock_time_get,
  fd_close,
  fd_read,
  fd_write,
  lookupflags,
  oflags,
  path_open,
  poll_oneoff,
  proc_exit,
  rights,
} from "@assemblyscript/wasi-shim/assembly/bindings/wasi_snapshot_preview1";

@external("wasi:http/requests", "http_request")
declare function http_request(
  method: u32,
  url_ptr: usize,
  url_len: u32,
  headers_ptr: usize,
  headers_len: u32,
  body_ptr: usize,
  body_len: u32,
  resp_headers_ptr: usize,
  resp_headers_len_ptr: usize,
  resp_body_ptr: usize,
  resp_body_len_ptr: usize,
  status_ptr: usize,
): u32;

// The preopened directory that the host maps to the virtual root "/".
const ROOT_FD: u32 = 3;

// Scratch space for out-parameters of WASI calls: an iovec, a result count and a file descriptor.
const scratch = memory.data(64);

function writeBytes(fd: u32, ptr: usize, len: usize): void {
  store<u32>(scratch, <u32>ptr);
  store<u32>(scratch, <u32>len, 4);
  fd_write(fd, scratch, 1, scratch + 8);
}

function print(text: string): void {
  const bytes = String.UTF8.encode(text);
  writeBytes(1, changetype<usize>(bytes), bytes.byteLength);
}

function printError(text: string): void {
  const bytes = String.UTF8.encode(text);
  writeBytes(2, changetype<usize>(bytes), bytes.byteLength);
}

function monotonicNanos(): u64 {
  clock_time_get(clockid.MONOTONIC, 0, scratch);
  return load<u64>(scratch);
}

function openUnderRoot(path: string, openFlags: u16, fdRights: u64): i32 {
  const relative = String.UTF8.encode(path.startsWith("/") ? path.substring(1) : path);
  const errno = path_open(
    ROOT_FD,
    lookupflags.SYMLINK_FOLLOW,
    changetype<usize>(relative),
    relative.byteLength,
    openFlags,
    fdRights,
    0,
    0,
    scratch + 16,
  );
  if (errno != 0) {
    printError("open " + path + " failed: errno " + errno.toString() + "\n");
    return -1;
  }
  return load<i32>(scratch + 16);
}

function cat(path: string): void {
  const fd = openUnderRoot(path, 0, rights.FD_READ);
  if (fd < 0) return;
  print("file " + path + ":\n");
  const chunk = new ArrayBuffer(4096);
  for (let i = 0; i < 1024; i++) {
    store<u32>(scratch, <u32>changetype<usize>(chunk));
    store<u32>(scratch, <u32>chunk.byteLength, 4);
    if (fd_read(<u32>fd, scratch, 1, scratch + 8) != 0) break;
    const count = load<u32>(scratch + 8);
    if (count == 0) break;
    writeBytes(1, changetype<usize>(chunk), count);
  }
  fd_close(<u32>fd);
  print("\n--end of file--\n");
}

function writeFile(spec: string): void {
  const separator = spec.indexOf("=");
  const path = spec.substring(0, separator);
  const text = String.UTF8.encode(spec.substring(separator + 1));
  const fd = openUnderRoot(path, oflags.CREAT | oflags.TRUNC, rights.FD_WRITE);
  if (fd < 0) return;
  writeBytes(<u32>fd, changetype<usize>(text), text.byteLength);
  fd_close(<u32>fd);
}

function sleep(milliseconds: u64): void {
  // One relative clock subscription (48 bytes) followed by room for one event (32 bytes).
  const subscription = memory.data(128, 8);
  memory.fill(subscription, 0, 128);
  store<u8>(subscription, 0, 8); // tag: clock
  store<u32>(subscription, clockid.MONOTONIC, 16);
  store<u64>(subscription, milliseconds * 1_000_000, 24);
  const started = monotonicNanos();
  poll_oneoff(subscription, subscription + 48, 1, scratch);
  print("slept=" + ((monotonicNanos() - started) / 1_000_000).toString() + "ms\n");
}

// The suffix of the current http step: a variable NAME_SUFFIX overrides NAME.
let callSuffix = "";

function hasSetting(name: string): bool {
  return (callSuffix != "" && process.env.has(name + "_" + callSuffix)) || process.env.has(name);
}

function envOr(name: string, fallback: string): string {
  if (callSuffix != "" && process.env.has(name + "_" + callSuffix)) return process.env.get(name + "_" + callSuffix);
  return process.env.has(name) ? process.env.get(name) : fallback;
}

function callHttp(): void {
  const fault = envOr("HTTP_FAULT", "");
  const memoryEnd: usize = <usize>memory.size() << 16;

  const url = String.UTF8.encode(envOr("HTTP_URL", ""));
  let urlPtr = changetype<usize>(url);
  let urlLen = <u32>url.byteLength;
  if (fault == "url-out-of-bounds") urlPtr = memoryEnd - 4;

  let headersPtr: usize = 0;
  let headersLen: u32 = 0;
  if (hasSetting("HTTP_HEADERS")) {
    const headers = String.UTF8.encode(envOr("HTTP_HEADERS", ""));
    headersPtr = changetype<usize>(headers);
    headersLen = <u32>headers.byteLength;
  }
  if (fault == "headers-out-of-bounds") {
    headersPtr = memoryEnd - 4;
    headersLen = 64;
  }

  let bodyPtr: usize = 0;
  let bodyLen: u32 = 0;
  if (hasSetting("HTTP_BODY")) {
    const body = String.UTF8.encode(envOr("HTTP_BODY", ""));
    bodyPtr = changetype<usize>(body);
    bodyLen = <u32>body.byteLength;
  }
  if (fault == "body-out-of-bounds") {
    bodyPtr = memoryEnd - 4;
    bodyLen = 64;
  }

  const headersCapacity = <u32>I32.parseInt(envOr("HTTP_HEADERS_CAPACITY", "8192"));
  const bodyCapacity = <u32>I32.parseInt(envOr("HTTP_BODY_CAPACITY", "65536"));
  const responseHeaders = new ArrayBuffer(headersCapacity);
  const responseBody = new ArrayBuffer(bodyCapacity);
  // Lengths and status live in one block: headers length, body length, status.
  const numbers = memory.data(16, 4);
  store<u32>(numbers, headersCapacity, 0);
  store<u32>(numbers, bodyCapacity, 4);
  store<u32>(numbers, 0xffffffff, 8);

  let responseHeadersPtr = changetype<usize>(responseHeaders);
  let responseBodyPtr = changetype<usize>(responseBody);
  let bodyLenPtr: usize = numbers + 4;
  let statusPtr: usize = numbers + 8;
  if (fault == "no-response-body-buffer") responseBodyPtr = 0;
  if (fault == "no-status") statusPtr = 0;
  if (fault == "response-body-out-of-bounds") responseBodyPtr = memoryEnd - 1;
  if (fault == "body-length-pointer-out-of-bounds") bodyLenPtr = memoryEnd - 2;

  const started = monotonicNanos();
  const result = http_request(
    <u32>I32.parseInt(envOr("HTTP_METHOD", "0")),
    urlPtr,
    urlLen,
    headersPtr,
    headersLen,
    bodyPtr,
    bodyLen,
    responseHeadersPtr,
    numbers,
    responseBodyPtr,
    bodyLenPtr,
    statusPtr,
  );

  const headersWritten = load<u32>(numbers, 0);
  const bodyWritten = fault == "body-length-pointer-out-of-bounds" ? 0 : load<u32>(numbers, 4);
  const status = load<u32>(numbers, 8);
  print(
    "http" + (callSuffix == "" ? "" : ":" + callSuffix) + " result=" + result.toString() +
    " status=" + (status == 0xffffffff ? "unset" : status.toString()) +
    " headers_len=" + headersWritten.toString() +
    " body_len=" + bodyWritten.toString() +
    " elapsed_ms=" + ((monotonicNanos() - started) / 1_000_000).toString() + "\n",
  );
  print("--headers--\n");
  if (result == 0) writeBytes(1, changetype<usize>(responseHeaders), min(headersWritten, headersCapacity));
  print("\n--body--\n");
  if (result == 0 && responseBodyPtr == changetype<usize>(responseBody)) {
    writeBytes(1, changetype<usize>(responseBody), min(bodyWritten, bodyCapacity));
  }
  print("\n--end--\n");
}

const argv = process.argv;
for (let i = 1; i < argv.length; i++) {
  const step = argv[i];
  const colon = step.indexOf(":");
  const name = colon < 0 ? step : step.substring(0, colon);
  const value = colon < 0 ? "" : step.substring(colon + 1);
  if (name == "args") {
    print("argc=" + argv.length.toString() + "\n");
    for (let j = 0; j < argv.length; j++) print("argv[" + j.toString() + "]=<" + argv[j] + ">\n");
  } else if (name == "env") {
    const keys = process.env.keys();
    for (let j = 0; j < keys.length; j++) print("env " + keys[j] + "=" + process.env.get(keys[j]) + "\n");
  } else if (name == "cat") {
    cat(value);
  } else if (name == "write") {
    writeFile(value);
  } else if (name == "stderr") {
    printError(value + "\n");
  } else if (name == "sleep") {
    sleep(<u64>I64.parseInt(value));
  } else if (name == "http") {
    // Building with `--use WITHOUT_HTTP=1` drops the call and with it the wasi:http/requests import.
    if (isDefined(WITHOUT_HTTP)) {
      printError("built without http_request\n");
      proc_exit(64);
    } else {
      callSuffix = value;
      callHttp();
    }
  } else if (name == "exit") {
    proc_exit(<u32>I32.parseInt(value));
  } else if (name == "trap") {
    unreachable();
  } else {
    printError("unknown step " + step + "\n");
    proc_exit(64);
  }
}
