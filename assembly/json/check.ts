// A syntax check run before json-as parses an answer, because json-as aborts the whole
// module on malformed input and answers can come from proxies and emulators, not only SQS.

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
  // A number: the characters were limited above; a stricter check adds nothing for answers.
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

/** True when `text` is one JSON object, so json-as can parse it without aborting. */
export function isWellFormedJson(text: string): bool {
  const cursor = new Cursor(text);
  skipSpace(cursor);
  if (cursor.at >= text.length || text.charCodeAt(cursor.at) != 123) return false;
  if (!readValue(cursor, 0)) return false;
  skipSpace(cursor);
  return cursor.at == text.length;
}
