import { KEYS, KeySpec, ValueKind, findKey, nearestKey } from "./keys";
import { LogLevel, RunMode, Settings } from "./settings";
import { YamlDocument, YamlEntry, isYamlNull, parseYaml, ScalarStyle } from "./yaml";
import { readFile } from "../platform/files";
import { parseUrl } from "../http/url";
import { jsonString } from "../json/string";
import { parseHeaderLines } from "../probe/http-probe";

/**
 * The largest config file read. Most are a few hundred bytes, but an HTTP-mode `body` of
 * 1 MiB or more, plus its key and quotes, must still fit.
 */
const MAX_CONFIG_BYTES: i32 = 8 << 20;

/** Settings, or a one-line configuration error (exit code 2). */
export class LoadResult {
  settings: Settings = new Settings();
  error: string = "";
  /** Lines to log once the log level is known, such as which file was read. */
  notes: string[] = [];
}

/** A raw value with its origin, so an error can name the file, line and key, or the variable. */
class RawValue {
  constructor(public text: string, public place: string, public fromFile: bool, public style: ScalarStyle = ScalarStyle.Plain) {}
}

function dirnameOf(path: string): string {
  const slash = path.lastIndexOf("/");
  if (slash < 0) return "";
  if (slash == 0) return "/";
  return path.substring(0, slash);
}

/** Returns "line N: ..." for the first byte sequence that is not UTF-8 (RFC 3629), or "". */
function findInvalidUtf8(bytes: Uint8Array): string {
  let line = 1;
  let i = 0;
  while (i < bytes.length) {
    const lead = <u32>bytes[i];
    if (lead < 0x80) {
      if (lead == 0x0a) line++;
      i++;
      continue;
    }
    // The allowed range of the first continuation byte excludes overlong forms, surrogates
    // and code points above U+10FFFF.
    let count = 0;
    let low: u32 = 0x80;
    let high: u32 = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) count = 1;
    else if (lead == 0xe0) { count = 2; low = 0xa0; }
    else if (lead == 0xed) { count = 2; high = 0x9f; }
    else if (lead >= 0xe1 && lead <= 0xef) count = 2;
    else if (lead == 0xf0) { count = 3; low = 0x90; }
    else if (lead == 0xf4) { count = 3; high = 0x8f; }
    else if (lead >= 0xf1 && lead <= 0xf3) count = 3;
    let valid = count > 0 && i + count < bytes.length;
    for (let k = 1; valid && k <= count; k++) {
      const next = <u32>bytes[i + k];
      valid = k == 1 ? next >= low && next <= high : next >= 0x80 && next <= 0xbf;
    }
    if (!valid) {
      return "line " + line.toString() + ": invalid UTF-8 byte 0x" + lead.toString(16).toUpperCase() +
        " at byte offset " + i.toString() + ": save the file as UTF-8";
    }
    i += count + 1;
  }
  return "";
}

/**
 * Returns the index of the "@" that ends `user:password@` in a URL, or -1. A password may
 * contain "/" (AWS secret keys do), which a URL parser reads as the end of the host and then
 * reports the password as an invalid port, so this looks up to the last "@" before any "#".
 * NOTE: a digits-only password followed by "/" reads as host:port and is not found.
 */
function findUserInfoEnd(url: string): i32 {
  const schemeEnd = url.indexOf("://");
  if (schemeEnd < 0) return -1;
  const start = schemeEnd + 3;
  let end = url.indexOf("#", start);
  if (end < 0) end = url.length;
  const at = url.lastIndexOf("@", end - 1);
  if (at < start) return -1;
  const colon = url.indexOf(":", start);
  if (colon < 0 || colon > at) return -1;
  const user = url.substring(start, colon);
  if (user.includes("/") || user.includes("?")) return -1;
  // "host:8080/path@x" is a port and a path that contains "@", not user info.
  let digitsEnd = colon + 1;
  while (digitsEnd < at && url.charCodeAt(digitsEnd) >= 0x30 && url.charCodeAt(digitsEnd) <= 0x39) digitsEnd++;
  const slash = url.charCodeAt(digitsEnd) == 0x2f;
  return digitsEnd > colon + 1 && slash ? -1 : at;
}

/**
 * Chooses the config file: the first argument when given, else the first that exists of
 * ./config.yaml, config.yaml beside argv[0] when argv[0] is a path, and /app/config.yaml.
 * Returns "" when no file is found, which means the environment is the whole configuration.
 */
function findConfigFile(args: string[], result: LoadResult): string {
  if (args.length > 1) return args[1];
  const candidates = ["config.yaml"];
  if (args.length > 0 && args[0].includes("/")) {
    const beside = dirnameOf(args[0]) + "/config.yaml";
    if (!candidates.includes(beside)) candidates.push(beside);
  }
  candidates.push("/app/config.yaml");
  for (let i = 0; i < candidates.length; i++) {
    const attempt = readFile(candidates[i], MAX_CONFIG_BYTES);
    if (!attempt.notFound) return candidates[i];
  }
  result.notes.push("no config file found (looked for " + candidates.join(", ") + "); using environment variables only");
  return "";
}

/** Reads the file, the environment and the defaults, in that order of precedence, per key. */
export function loadSettings(args: string[], env: Map<string, string>): LoadResult {
  const result = new LoadResult();
  const raw = new Map<string, RawValue>();

  // 1. The file, when there is one.
  const path = findConfigFile(args, result);
  if (path.length > 0) {
    const read = readFile(path, MAX_CONFIG_BYTES);
    if (read.bytes == null) {
      result.error = read.notFound
        ? "config file " + path + " not found (" + read.error + "); check the path, and that its directory is shared with the module (wasmtime --dir=.)"
        : "config file " + path + " could not be read: " + read.error;
      return result;
    }
    // AssemblyScript's decoder does not check its input: it would turn a Latin-1 "é" and the
    // line break after it into one character, and so merge two settings.
    const utf8Error = findInvalidUtf8(read.bytes!);
    if (utf8Error.length > 0) {
      result.error = path + " " + utf8Error;
      return result;
    }
    const text = String.UTF8.decode(read.bytes!.slice().buffer);
    const document = parseYaml(text);
    if (document.error != null) {
      result.error = path + " line " + document.errorLine.toString() + (document.errorKey != null ? ", key " + document.errorKey! : "") + ": " + document.error!;
      return result;
    }
    const fileError = collectFileValues(document, path, raw);
    if (fileError.length > 0) {
      result.error = fileError;
      return result;
    }
    result.settings.source = path;
    result.notes.push("read configuration from " + path);
  }

  // 2. The environment fills every key the file left unset; 3. defaults stay for the rest.
  for (let i = 0; i < KEYS.length; i++) {
    const key = KEYS[i];
    if (raw.has(key.name)) continue;
    for (let j = 0; j < key.envNames.length; j++) {
      const name = key.envNames[j];
      if (env.has(name)) {
        const value = env.get(name);
        // An empty variable counts as unset, as the AWS tools treat AWS_REGION="".
        if (value.length == 0) continue;
        raw.set(key.name, new RawValue(value, "environment variable " + name, false));
        break;
      }
    }
  }

  const typeError = applyValues(raw, result.settings);
  if (typeError.length > 0) {
    result.error = typeError;
    return result;
  }
  return result;
}

function collectFileValues(document: YamlDocument, path: string, raw: Map<string, RawValue>): string {
  for (let i = 0; i < document.entries.length; i++) {
    const entry = document.entries[i];
    const place = path + " line " + entry.line.toString() + ", key " + entry.key;
    const key = findKey(entry.key);
    if (key == null) {
      const suggestion = nearestKey(entry.key);
      return place + ": unknown key" + (suggestion != null ? "; did you mean \"" + suggestion + "\"?" : "; see the configuration reference in the README");
    }
    // YAML null (`key: ~`, `key: null`) leaves the key to the environment and defaults,
    // but a bare `key:` is more often a value lost to a `#` comment.
    if (isYamlNull(entry) && entry.value.length > 0) continue;
    if (entry.value.length == 0 && entry.style == ScalarStyle.Plain && !key.emptyAllowed) {
      return place + ": empty value; if it starts with # it was read as a comment, so quote it (" + entry.key + ": \"#FF5500\")";
    }
    raw.set(entry.key, new RawValue(entry.value, place, true, entry.style));
  }
  return "";
}

function parseBoolean(text: string): i32 {
  const word = text.toLowerCase();
  if (word == "true" || word == "yes" || word == "on" || word == "1") return 1;
  if (word == "false" || word == "no" || word == "off" || word == "0") return 0;
  return -1;
}

function isDigit(code: i32): bool {
  return code >= 48 && code <= 57;
}

function isAllDigits(text: string): bool {
  if (text.length == 0) return false;
  for (let i = 0; i < text.length; i++) {
    if (!isDigit(text.charCodeAt(i))) return false;
  }
  return true;
}

/** Parses a non-negative whole number up to 10^15; returns -1 for anything else. */
function parseWholeNumber(text: string): i64 {
  if (text.length == 0 || text.length > 15) return -1;
  let value: i64 = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + <i64>(code - 48);
  }
  return value;
}

/** Parses a non-negative decimal number of seconds into whole milliseconds; returns -1 for anything else. */
function parseSecondsAsMs(text: string): i64 {
  const dot = text.indexOf(".");
  const whole = dot < 0 ? text : text.substring(0, dot);
  const fraction = dot < 0 ? "" : text.substring(dot + 1);
  if (whole.length == 0 && fraction.length == 0) return -1;
  const wholeValue = whole.length == 0 ? 0 : parseWholeNumber(whole);
  if (wholeValue < 0 || wholeValue > 10000000) return -1;
  let ms: i64 = wholeValue * 1000;
  let scale: i64 = 100;
  for (let i = 0; i < fraction.length; i++) {
    const code = fraction.charCodeAt(i);
    if (!isDigit(code)) return -1;
    ms += <i64>(code - 48) * scale;
    scale /= 10;
  }
  return ms;
}

function isHexDigit(code: i32): bool {
  return isDigit(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function isColour(text: string): bool {
  if (text.length != 7 && text.length != 4) return false;
  if (text.charCodeAt(0) != 35) return false;
  for (let i = 1; i < text.length; i++) {
    if (!isHexDigit(text.charCodeAt(i))) return false;
  }
  return true;
}

/**
 * Finds the first character SQS would reject in a message body, as "U+XXXX", or "" when all are
 * allowed: tab, LF, CR, U+0020 to U+D7FF, U+E000 to U+FFFD and U+10000 to U+10FFFF.
 */
export function firstCharacterSqsRejects(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code == 9 || code == 10 || code == 13) continue;
    if (code >= 0x20 && code <= 0xd7ff) continue;
    if (code >= 0xe000 && code <= 0xfffd) continue;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        i++;
        continue;
      }
    }
    return "U+" + code.toString(16).toUpperCase().padStart(4, "0");
  }
  return "";
}

function applyValues(raw: Map<string, RawValue>, settings: Settings): string {
  const names = raw.keys();
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const value = raw.get(name);
    const key = findKey(name)!;
    const error = applyValue(key, value, settings);
    if (error.length > 0) return value.place + ": " + error;
  }
  if (settings.messageGroupId.length == 0) settings.messageGroupId = settings.vmName;
  return "";
}

function applyValue(key: KeySpec, value: RawValue, settings: Settings): string {
  const text = value.fromFile ? value.text : value.text.trim();
  const name = key.name;
  if (text.trim().length == 0 && !key.emptyAllowed) return "empty value; give " + name + " a value, or remove it to use the default";

  if (key.kind == ValueKind.Boolean) {
    const flag = parseBoolean(text.trim());
    if (flag < 0) return "invalid boolean " + jsonString(text) + "; expected true/false, yes/no, on/off or 1/0";
    if (name == "random_off") settings.randomOff = flag == 1;
    else settings.simulate = flag == 1;
    return "";
  }

  if (key.kind == ValueKind.WholeNumber) {
    const number = parseWholeNumber(text.trim());
    if (number < 0) {
      if (isAllDigits(text.trim())) return jsonString(text) + " is too large; use at most 999999999999999";
      return "invalid number " + jsonString(text) + "; expected a whole number, 0 or more";
    }
    if (name == "max_messages") {
      settings.maxMessages = number;
    } else {
      if (number > 100) return "max_retries " + text + " is too large; use at most 100";
      settings.maxRetries = <i32>number;
    }
    return "";
  }

  if (key.kind == ValueKind.Seconds) {
    const ms = parseSecondsAsMs(text.trim());
    if (ms < 0) return "invalid number of seconds " + jsonString(text) + "; expected a number, 0 or more, such as 5 or 0.5";
    if (name == "max_interval_seconds") {
      if (ms > 86400000) return "max_interval_seconds " + text + " is more than a day; use at most 86400";
      settings.maxIntervalMs = ms;
    } else {
      if (ms == 0) {
        const belowOneMs = text.includes("1") || text.includes("2") || text.includes("3") || text.includes("4") || text.includes("5") ||
          text.includes("6") || text.includes("7") || text.includes("8") || text.includes("9");
        return belowOneMs ? "request_timeout_seconds " + text + " is shorter than 1 ms; use at least 0.001" : "request_timeout_seconds must be more than 0";
      }
      if (ms > 3600000) return "request_timeout_seconds " + text + " is more than an hour; use at most 3600";
      settings.requestTimeoutMs = <u32>ms;
    }
    return "";
  }

  if (key.kind == ValueKind.Choice) {
    const word = name == "method" ? text.trim().toUpperCase() : text.trim().toLowerCase();
    if (!key.choices.includes(word)) return "invalid value " + jsonString(text) + "; expected one of " + key.choices.join(", ");
    if (name == "mode") settings.mode = word;
    else if (name == "method") settings.method = word;
    else if (name == "sqs_protocol") settings.sqsProtocol = word;
    else settings.logLevel = <LogLevel>key.choices.indexOf(word);
    return "";
  }

  if (key.kind == ValueKind.Colour) {
    if (!isColour(text)) {
      return "invalid colour " + jsonString(text) + "; expected #RRGGBB or #RGB in hex, quoted in YAML (color: \"#FF5500\")";
    }
    settings.color = text;
    return "";
  }

  if (key.kind == ValueKind.Url) {
    const userInfoEnd = findUserInfoEnd(text);
    if (userInfoEnd >= 0) {
      const redacted = text.substring(0, text.indexOf("://") + 3) + "****" + text.substring(userInfoEnd);
      return "invalid URL " + jsonString(redacted) + ": URL contains user info before \"@\": remove it and pass credentials in a header";
    }
    const url = parseUrl(text.trim());
    if (url.error != null) return "invalid URL " + jsonString(text) + ": " + url.error!;
    if (name == "url") settings.url = text.trim();
    else if (name == "queue_url") settings.queueUrl = text.trim();
    else settings.endpointUrl = text.trim();
    return "";
  }

  // Text keys.
  if (name == "headers") {
    // Checked here rather than only before the request, so the error names the file line or variable.
    const lines = parseHeaderLines(text);
    if (lines.error.length > 0) return lines.error;
    settings.headers = text;
  } else if (name == "body") settings.body = text;
  else if (name == "region") {
    settings.region = text.trim();
    settings.regionConfigured = true;
  } else if (name == "access_key") settings.accessKey = text.trim();
  else if (name == "secret_key") settings.secretKey = text.trim();
  else if (name == "session_token") settings.sessionToken = text.trim();
  else if (name == "vm_name") {
    const rejected = firstCharacterSqsRejects(text);
    if (rejected.length > 0) return "vm_name contains " + rejected + ", which SQS does not accept in a message; remove it";
    if (String.UTF8.byteLength(text) > 65536) return "vm_name is longer than 64 KiB; shorten it";
    settings.vmName = text;
  } else if (name == "message_group_id") {
    if (!isValidGroupId(text)) return "invalid message_group_id " + jsonString(text) + "; SQS takes 1 to 128 characters of letters, digits and ASCII punctuation";
    settings.messageGroupId = text;
  }
  return "";
}

function isValidGroupId(text: string): bool {
  if (text.length == 0 || text.length > 128) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) return false;
  }
  return true;
}

/** Lists, in one line, what the chosen mode needs and the configuration lacks; "" when nothing. */
export function checkModeRequirements(settings: Settings): string {
  const missing = new Array<string>();
  if (settings.runMode == RunMode.Http) {
    if (settings.url.length == 0) missing.push("url (HTTP_URL)");
    if (missing.length > 0) return "missing settings for http mode: " + missing.join(", ");
    return "";
  }
  if (settings.simulate) return "";
  if (settings.queueUrl.length == 0) missing.push("queue_url (SQS_QUEUE_URL)");
  if (settings.accessKey.length == 0) missing.push("access_key (AWS_ACCESS_KEY_ID)");
  if (settings.secretKey.length == 0) missing.push("secret_key (AWS_SECRET_ACCESS_KEY)");
  if (missing.length > 0) {
    return "missing settings to send to SQS: " + missing.join(", ") + "; set them in the config file or the environment, or set simulate: true to print messages without sending";
  }
  if (settings.queueUrl.endsWith(".fifo") && !isValidGroupId(settings.messageGroupId)) {
    return "message_group_id (default: vm_name) " + jsonString(settings.messageGroupId) + " is not a valid FIFO MessageGroupId; set message_group_id to 1 to 128 letters, digits or ASCII punctuation";
  }
  return "";
}
