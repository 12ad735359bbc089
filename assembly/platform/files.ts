import {
  errno,
  errnoToString,
  fd_close,
  fd_prestat_dir_name,
  fd_prestat_get,
  fd_read,
  filestat,
  filetype,
  iovec,
  lookupflags,
  oflags,
  path_filestat_get,
  path_open,
  prestat,
  rights,
} from "bindings/wasi_snapshot_preview1";

/** A file's bytes, or why it could not be read. */
export class FileRead {
  bytes: Uint8Array | null = null;
  /** True when no such file exists (or no preopened directory covers the path). */
  notFound: bool = false;
  error: string = "";
}

class Preopen {
  constructor(public fd: u32, public name: string) {}
}

let preopens: Preopen[] | null = null;

/** Lists the host's preopened directories; WASI numbers them from fd 3 upward without gaps. */
function listPreopens(): Preopen[] {
  const known = preopens;
  if (known) return known;
  const found = new Array<Preopen>();
  const scratch = heap.alloc(8);
  for (let fd: u32 = 3; fd < 64; fd++) {
    if (fd_prestat_get(fd, changetype<prestat>(scratch)) != 0) break;
    const nameLength = load<u32>(scratch, 4);
    const nameBuffer = heap.alloc(<usize>nameLength + 1);
    if (fd_prestat_dir_name(fd, nameBuffer, nameLength) == 0) {
      found.push(new Preopen(fd, String.UTF8.decodeUnsafe(nameBuffer, nameLength, true)));
    }
    heap.free(nameBuffer);
  }
  heap.free(scratch);
  preopens = found;
  return found;
}

/** Strips "./" prefixes and a trailing "/", so "./" and "." both become "". */
function trimDot(path: string): string {
  let result = path;
  while (result.startsWith("./")) result = result.substring(2);
  if (result == ".") result = "";
  while (result.endsWith("/") && result.length > 1) result = result.substring(0, result.length - 1);
  return result;
}

class Resolved {
  constructor(public fd: u32, public relative: string) {}
}

/**
 * Finds the preopened directory that covers a path. Relative paths resolve against "."
 * (wasmtime --dir=., the Node runner) or else against "/" (Bacalhau preopens only "/").
 * Absolute paths take the preopen with the longest matching prefix.
 */
function resolvePath(path: string): Resolved | null {
  const dirs = listPreopens();
  if (!path.startsWith("/")) {
    const relative = trimDot(path);
    for (let i = 0; i < dirs.length; i++) {
      const name = trimDot(dirs[i].name);
      if (name == "") return new Resolved(dirs[i].fd, relative);
    }
    for (let i = 0; i < dirs.length; i++) {
      if (dirs[i].name == "/") return new Resolved(dirs[i].fd, relative);
    }
    return null;
  }
  let best: Resolved | null = null;
  let bestLength = -1;
  for (let i = 0; i < dirs.length; i++) {
    const name = dirs[i].name;
    if (!name.startsWith("/")) continue;
    const prefix = name.endsWith("/") ? name : name + "/";
    if (path.startsWith(prefix) && prefix.length > bestLength) {
      best = new Resolved(dirs[i].fd, path.substring(prefix.length));
      bestLength = prefix.length;
    }
  }
  return best;
}

function describeOpenError(err: errno): string {
  if (err == errno.NOENT) return "no such file";
  // A path outside the preopened directories, such as one starting with "..", is refused
  // by the host rather than looked up.
  if (err == errno.NOTCAPABLE || err == errno.PERM || err == errno.ACCES) {
    return "permission denied: the host shares only the preopened directories (wasmtime --dir) with the module";
  }
  if (err == errno.ISDIR) return "it is a directory";
  return errnoToString(err);
}

function isDirectory(directoryFd: u32, pathBytes: ArrayBuffer): bool {
  const stat = heap.alloc(offsetof<filestat>());
  const err = path_filestat_get(directoryFd, lookupflags.SYMLINK_FOLLOW, changetype<usize>(pathBytes), <usize>pathBytes.byteLength, changetype<filestat>(stat));
  const found = err == 0 && changetype<filestat>(stat).filetype == filetype.DIRECTORY;
  heap.free(stat);
  return found;
}

/** Reads a whole file, at most maxBytes long, through the preopened directories. */
export function readFile(path: string, maxBytes: i32): FileRead {
  const result = new FileRead();
  const resolved = resolvePath(path);
  if (resolved == null) {
    result.notFound = true;
    result.error = "no preopened directory contains it, so the host does not share it with the module";
    return result;
  }

  const pathBytes = String.UTF8.encode(resolved.relative);
  const fdOut = heap.alloc(4);
  const err = path_open(
    resolved.fd,
    lookupflags.SYMLINK_FOLLOW,
    changetype<usize>(pathBytes),
    <usize>pathBytes.byteLength,
    0 as oflags,
    rights.FD_READ,
    0 as rights,
    0,
    fdOut,
  );
  const fd = load<u32>(fdOut);
  heap.free(fdOut);
  if (err != 0) {
    result.notFound = err == errno.NOENT;
    result.error = describeOpenError(err);
    return result;
  }

  let buffer = new Uint8Array(4096);
  let length: i32 = 0;
  const scratch = heap.alloc(offsetof<iovec>() + sizeof<usize>());
  const iov = changetype<iovec>(scratch);
  let readError: errno = 0;
  while (length <= maxBytes) {
    if (length == buffer.length) {
      const grown = new Uint8Array(buffer.length * 2);
      grown.set(buffer);
      buffer = grown;
    }
    iov.buf = buffer.dataStart + <usize>length;
    iov.buf_len = <usize>(buffer.length - length);
    readError = fd_read(fd, scratch, 1, scratch + offsetof<iovec>());
    if (readError != 0) break;
    const count = <i32>load<usize>(scratch + offsetof<iovec>());
    if (count == 0) break;
    length += count;
  }
  heap.free(scratch);
  fd_close(fd);

  if (readError != 0) {
    // Hosts refuse to read a directory with different codes (BADF, NOTCAPABLE, ISDIR).
    result.error = isDirectory(resolved.fd, pathBytes) ? "it is a directory; give the path of a YAML file" : describeOpenError(readError);
  } else if (length > maxBytes) {
    result.error = "larger than " + maxBytes.toString() + " bytes";
  } else {
    result.bytes = buffer.subarray(0, length);
  }
  return result;
}
