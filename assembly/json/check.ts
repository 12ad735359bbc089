// A syntax check and a reader for the string members of SQS's JSON responses. Responses can
// come from proxies and emulators, not only SQS, so no input may abort the module: json-as 1.6.0
// aborts on well-formed JSON too, when a member it reads as a string contains null or a number.

class Cursor {
  constructor(public text: string, public at: i32 = 0) {}
}

function skipSpace(cursor: Cursor): void {
  while (cursor.at < cursor.text.length) {
    const code = cursor.text.charCodeAt(cursor.at);
    if (code != 32 && code != 9 && code != 10 && code != 13) break;
    cursor.at++;
  }
}

function readString(cursor: Cursor): bool {
  cursor.at++;
  while (cursor.at < cursor.text.length) {
    const code = cursor.text.charCodeAt(cursor.at);
    if (code == 34) {
      cursor.at++;
      return true;
    }
    if (code < 0x20) return false;
    if (code == 92) {
      cursor.at++;
      if (cursor.at >= cursor.text.length) return false;
      const escaped = cursor.text.charCodeAt(cursor.at);
      if (escaped == 117) {
        for (let i = 0; i < 4; i++) {
          cursor.at++;
          if (cursor.at >= cursor.text.length) return false;
          const hex = cursor.text.charCodeAt(cursor.at);
          const isHex = (hex >= 48 && hex <= 57) || (hex >= 65 && hex <= 70) || (hex >= 97 && hex <= 102);
          if (!isHex) return false;
        }
      } else if (!"\"\\/bfnrt".includes(String.fromCharCode(escaped))) {
        return false;
      }
    }
    cursor.at++;
  }
  return false;
}

function readLiteral(cursor: Cursor): bool {
  const start = cursor.at;
  while (cursor.at < cursor.text.length) {
    const code = cursor.text.charCodeAt(cursor.at);
    const isLiteralChar = (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || code == 45 || code == 43 || code == 46 || code == 69;
    if (!isLiteralChar) break;
    cursor.at++;
  }
  const word = cursor.text.substring(start, cursor.at);
  if (word == "true" || word == "false" || word == "null") return true;
  if (word.length == 0) return false;
  // A number: the characters were limited above; a stricter check adds nothing for responses.
  const first = word.charCodeAt(0);
  return first == 45 || (first >= 48 && first <= 57);
}

function readValue(cursor: Cursor, depth: i32): bool {
  if (depth > 64) return false;
  skipSpace(cursor);
  if (cursor.at >= cursor.text.length) return false;
  const code = cursor.text.charCodeAt(cursor.at);
  if (code == 34) return readString(cursor);
  if (code == 123 || code == 91) {
    const close = code == 123 ? 125 : 93;
    cursor.at++;
    skipSpace(cursor);
    if (cursor.at < cursor.text.length && cursor.text.charCodeAt(cursor.at) == close) {
      cursor.at++;
      return true;
    }
    while (cursor.at < cursor.text.length) {
      if (code == 123) {
        skipSpace(cursor);
        if (cursor.at >= cursor.text.length || cursor.text.charCodeAt(cursor.at) != 34 || !readString(cursor)) return false;
        skipSpace(cursor);
        if (cursor.at >= cursor.text.length || cursor.text.charCodeAt(cursor.at) != 58) return false;
        cursor.at++;
      }
      if (!readValue(cursor, depth + 1)) return false;
      skipSpace(cursor);
      if (cursor.at >= cursor.text.length) return false;
      const next = cursor.text.charCodeAt(cursor.at);
      cursor.at++;
      if (next == close) return true;
      if (next != 44) return false;
    }
    return false;
  }
  return readLiteral(cursor);
}

/** True when `text` is one well-formed JSON object. */
export function isWellFormedJson(text: string): bool {
  const cursor = new Cursor(text);
  skipSpace(cursor);
  if (cursor.at >= text.length || text.charCodeAt(cursor.at) != 123) return false;
  if (!readValue(cursor, 0)) return false;
  skipSpace(cursor);
  return cursor.at == text.length;
}

/** Decodes the JSON string literal text[start, end), quotes included, that readString accepted. */
function decodeString(text: string, start: i32, end: i32): string {
  let decoded = "";
  const closingQuote = end - 1;
  let segmentStart = start + 1;
  let i = segmentStart;
  while (i < closingQuote) {
    if (text.charCodeAt(i) != 92) {
      i++;
      continue;
    }
    decoded += text.substring(segmentStart, i);
    const escaped = text.charCodeAt(i + 1);
    if (escaped == 117) {
      // A \u escape of a surrogate yields that single UTF-16 unit, so "\uD83D\uDE00" pairs up.
      decoded += String.fromCharCode(<i32>parseInt(text.substring(i + 2, i + 6), 16));
      i += 6;
    } else {
      if (escaped == 98) decoded += "\b";
      else if (escaped == 102) decoded += "\f";
      else if (escaped == 110) decoded += "\n";
      else if (escaped == 114) decoded += "\r";
      else if (escaped == 116) decoded += "\t";
      else decoded += String.fromCharCode(escaped);
      i += 2;
    }
    segmentStart = i;
  }
  return decoded + text.substring(segmentStart, closingQuote);
}

/**
 * Reads the members named in `names` from the top-level JSON object `text`, decoded. A member
 * whose value is not a string (null, a number, an object) counts as missing, and a repeated
 * name keeps its last value. Returns null when `text` is not one well-formed JSON object.
 */
export function topLevelStringMembers(text: string, names: string[]): Map<string, string> | null {
  if (!isWellFormedJson(text)) return null;
  const found = new Map<string, string>();
  const cursor = new Cursor(text);
  skipSpace(cursor);
  cursor.at++;
  skipSpace(cursor);
  if (text.charCodeAt(cursor.at) == 125) return found;
  while (cursor.at < text.length) {
    skipSpace(cursor);
    const nameStart = cursor.at;
    readString(cursor);
    const name = decodeString(text, nameStart, cursor.at);
    skipSpace(cursor);
    cursor.at++;
    skipSpace(cursor);
    const valueStart = cursor.at;
    const isString = text.charCodeAt(valueStart) == 34;
    readValue(cursor, 1);
    if (names.includes(name)) {
      if (isString) found.set(name, decodeString(text, valueStart, cursor.at));
      else if (found.has(name)) found.delete(name);
    }
    skipSpace(cursor);
    const separator = text.charCodeAt(cursor.at);
    cursor.at++;
    if (separator == 125) break;
  }
  return found;
}
