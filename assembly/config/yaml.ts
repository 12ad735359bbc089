// A reader for the YAML subset that config files use: one block mapping at column 0
// whose values are single-line scalars. Everything outside that subset is reported as
// an error with its 1-based line, never guessed at, and no input makes the reader trap.
// Values come back as text; the config layer decides their types.

/** The quoting style of a scalar in the source. */
export enum ScalarStyle {
  Plain,
  SingleQuoted,
  DoubleQuoted,
}

/** One `key: value` line of the mapping. */
export class YamlEntry {
  constructor(
    public key: string,
    /** Decoded text for quoted scalars, trimmed source text for plain ones ("" when empty). */
    public value: string,
    public style: ScalarStyle,
    /** 1-based line number of the entry. */
    public line: i32,
  ) {}
}

/** The entries of a parsed file in source order, or the first error in it. */
export class YamlDocument {
  /** On error, the entries read before the failing line. */
  entries: YamlEntry[] = [];
  /** Null when the whole text parsed. */
  error: string | null = null;
  /** 1-based line of the error, 0 when there is none. */
  errorLine: i32 = 0;
  /** The key on the failing line when it could be read before the error. */
  errorKey: string | null = null;
  private indexByKey: Map<string, i32> = new Map<string, i32>();

  /** Returns the entry with this key (keys compare as decoded text), or null. */
  get(key: string): YamlEntry | null {
    if (!this.indexByKey.has(key)) return null;
    return this.entries[this.indexByKey.get(key)];
  }

  /** Appends an entry; the parser calls this after checking that the key is new. */
  add(entry: YamlEntry): void {
    this.indexByKey.set(entry.key, this.entries.length);
    this.entries.push(entry);
  }
}

/** Parses `text` (a decoded file; a leading U+FEFF byte order mark is skipped). */
export function parseYaml(text: string): YamlDocument {
  const parser = new SubsetParser(text);
  parser.run();
  return parser.document;
}

/** True for the plain scalars YAML 1.2's core schema reads as null: "", "~", "null", "Null", "NULL". */
export function isYamlNull(entry: YamlEntry): bool {
  if (entry.style != ScalarStyle.Plain) return false;
  const value = entry.value;
  return value == "" || value == "~" || value == "null" || value == "Null" || value == "NULL";
}

// YAML caps an implicit key at 1024 characters from its start to the ":" indicator. Like
// yaml 2.9.1, this counts UTF-16 code units, so a key with astral characters reaches it sooner.
const MAX_IMPLICIT_KEY_LENGTH: i32 = 1024;

const TAB: i32 = 0x09;
const LINE_FEED: i32 = 0x0a;
const CARRIAGE_RETURN: i32 = 0x0d;
const SPACE: i32 = 0x20;
const DOUBLE_QUOTE: i32 = 0x22;
const HASH: i32 = 0x23;
const SINGLE_QUOTE: i32 = 0x27;
const MINUS: i32 = 0x2d;
const DOT: i32 = 0x2e;
const COLON: i32 = 0x3a;
const QUESTION_MARK: i32 = 0x3f;
const BACKSLASH: i32 = 0x5c;
const BYTE_ORDER_MARK: i32 = 0xfeff;

const SETTING_FORM = 'write each setting as "key: value" on its own line at the start of the line';

function isBlank(c: i32): bool {
  return c == SPACE || c == TAB;
}

function hexDigitValue(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

function formatCodePoint(code: i32): string {
  let hex = code.toString(16).toUpperCase();
  while (hex.length < 4) hex = "0" + hex;
  return "U+" + hex;
}

/** Returns the character produced by a one-letter escape such as `\n`, or -1 when the letter is not one. */
function simpleEscape(letter: i32): i32 {
  switch (letter) {
    case 0x30: return 0x00; // \0
    case 0x61: return 0x07; // \a
    case 0x62: return 0x08; // \b
    case 0x74: return 0x09; // \t
    case TAB: return 0x09; // backslash followed by a literal tab
    case 0x6e: return 0x0a; // \n
    case 0x76: return 0x0b; // \v
    case 0x66: return 0x0c; // \f
    case 0x72: return 0x0d; // \r
    case 0x65: return 0x1b; // \e
    case SPACE: return SPACE;
    case DOUBLE_QUOTE: return DOUBLE_QUOTE;
    case 0x2f: return 0x2f; // \/
    case BACKSLASH: return BACKSLASH;
    case 0x4e: return 0x85; // \N next line
    case 0x5f: return 0xa0; // \_ no-break space
    case 0x4c: return 0x2028; // \L line separator
    case 0x50: return 0x2029; // \P paragraph separator
    default: return -1;
  }
}

/** Returns the number of hex digits that follow `\x`, `\u` or `\U`, or 0 for other letters. */
function hexEscapeLength(letter: i32): i32 {
  if (letter == 0x78) return 2;
  if (letter == 0x75) return 4;
  if (letter == 0x55) return 8;
  return 0;
}

/**
 * Walks the text one line at a time. Each method that can fail records the error on
 * `document` and returns false, and `run` stops at the first failure.
 */
class SubsetParser {
  document: YamlDocument = new YamlDocument();
  private lineNumber: i32 = 0;
  private lineStart: i32 = 0;
  /** End of the current line, before any CR and LF. */
  private lineEnd: i32 = 0;
  private sawDocumentStart: bool = false;
  private sawDocumentEnd: bool = false;
  /** The entry on the most recent mapping line, for messages about indented lines. */
  private previousEntry: YamlEntry | null = null;
  /** Output of parseQuoted: the decoded text and the index just past the closing quote. */
  private quotedValue: string = "";
  private quotedEnd: i32 = 0;

  constructor(private text: string) {}

  run(): void {
    const text = this.text;
    const length = text.length;
    let position = 0;
    if (length > 0 && text.charCodeAt(0) == BYTE_ORDER_MARK) position = 1;

    // Every pass either stops or moves `position` past a line feed, so the loop ends.
    while (true) {
      let breakAt = text.indexOf("\n", position);
      if (breakAt < 0) breakAt = length;
      let contentEnd = breakAt;
      const crlf = breakAt < length && contentEnd > position && text.charCodeAt(contentEnd - 1) == CARRIAGE_RETURN;
      if (crlf) contentEnd--;

      this.lineNumber++;
      this.lineStart = position;
      this.lineEnd = contentEnd;
      if (!this.checkCharacters()) return;
      if (!this.parseLine()) return;

      if (breakAt >= length) return;
      position = breakAt + 1;
    }
  }

  private at(index: i32): i32 {
    return this.text.charCodeAt(index);
  }

  private fail(message: string, key: string | null = null): bool {
    this.document.error = message;
    this.document.errorLine = this.lineNumber;
    this.document.errorKey = key;
    return false;
  }

  /** Rejects characters that YAML does not allow in a stream, and unpaired surrogates. */
  private checkCharacters(): bool {
    const end = this.lineEnd;
    for (let i = this.lineStart; i < end; i++) {
      const c = this.at(i);
      if (c >= SPACE && c < 0x7f) continue;
      if (c == TAB) continue;
      if (c == CARRIAGE_RETURN) {
        return this.fail("carriage return without a following line feed: save the file with LF or CRLF line endings");
      }
      if (c < SPACE || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
        const hex = c.toString(16).toUpperCase();
        const escape = "\\x" + (hex.length < 2 ? "0" + hex : hex);
        return this.fail(
          "invalid control character " + formatCodePoint(c) + " in the text: write it as the escape " +
            escape + " inside a double-quoted string",
        );
      }
      if (c == BYTE_ORDER_MARK) {
        return this.fail(
          "byte order mark (U+FEFF) is only allowed at the start of the file: remove it, or write it as \\uFEFF inside a double-quoted string",
        );
      }
      if (c == 0xfffe || c == 0xffff) {
        return this.fail(
          "invalid noncharacter " + formatCodePoint(c) + " in the text: write it as the escape \\u" +
            c.toString(16).toUpperCase() + " inside a double-quoted string",
        );
      }
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
        const next = this.at(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          i++;
          continue;
        }
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        return this.fail("invalid text: unpaired UTF-16 surrogate " + formatCodePoint(c) + " is not Unicode text");
      }
    }
    return true;
  }

  private parseLine(): bool {
    const start = this.lineStart;
    const end = this.lineEnd;

    let first = start;
    while (first < end && isBlank(this.at(first))) first++;
    if (first == end || this.at(first) == HASH) return true; // blank or comment line
    if (first > start) return this.rejectIndentedLine(first);

    if (this.sawDocumentEnd) {
      return this.fail(
        'several documents are not supported: nothing but comments may follow the document end marker "..."',
      );
    }
    if (this.isMarker(MINUS)) {
      if (this.sawDocumentStart || this.document.entries.length > 0) {
        return this.fail(
          'several documents are not supported: remove this "---" line and move what follows it to its own file',
        );
      }
      this.sawDocumentStart = true;
      return this.checkMarkerRest('text after the document start marker "---" is not supported: put the first setting on the next line');
    }
    if (this.isMarker(DOT)) {
      this.sawDocumentEnd = true;
      return this.checkMarkerRest('text after the document end marker "..." is not supported: remove it');
    }
    return this.parseEntry();
  }

  /** True when the line is `---` or `...` alone or followed by blanks. */
  private isMarker(c: i32): bool {
    const start = this.lineStart;
    if (this.lineEnd - start < 3) return false;
    if (this.at(start) != c || this.at(start + 1) != c || this.at(start + 2) != c) return false;
    return this.lineEnd - start == 3 || isBlank(this.at(start + 3));
  }

  /** Allows only blanks and a comment after a `---` or `...` marker. */
  private checkMarkerRest(message: string): bool {
    let i = this.lineStart + 3;
    while (i < this.lineEnd && isBlank(this.at(i))) i++;
    if (i == this.lineEnd || this.at(i) == HASH) return true;
    return this.fail(message);
  }

  /** Reports a line whose content starts after blanks, picking the message from the line's content. */
  private rejectIndentedLine(first: i32): bool {
    const end = this.lineEnd;
    const colon = this.findValueIndicator(first, end);
    for (let i = this.lineStart; i < first; i++) {
      if (this.at(i) == TAB) {
        // Name the key on the line, so the message points at the setting to move back to column 0.
        const keyText = colon >= 0 ? this.text.substring(first, colon).trim() : "";
        const before = keyText.length > 0 ? ' before "' + keyText + '"' : "";
        return this.fail("tabs are not allowed as indentation" + before + ": " + SETTING_FORM);
      }
    }
    if (this.at(first) == MINUS && (first + 1 == end || isBlank(this.at(first + 1)))) {
      return this.fail('sequences ("- item" lines) are not supported' + this.describePreviousEntry() + ": " + SETTING_FORM + ", with one value");
    }
    if (this.previousEntry == null) {
      return this.fail("indented line: " + SETTING_FORM);
    }
    if (colon >= 0) {
      return this.fail("nested mappings are not supported" + this.describePreviousEntry() + ": " + SETTING_FORM);
    }
    const previous = this.previousEntry;
    if (previous != null) {
      return this.fail(
        'multi-line values are not supported: the value of "' + previous.key + '" (line ' + previous.line.toString() +
          ") must end on its own line, so write it in a double-quoted string with \\n for each line break",
      );
    }
    return this.fail("indented line: " + SETTING_FORM);
  }

  /**
   * Returns ' under "key" (line N)' for the entry above the current line, or "" when there is
   * none, because a nested line belongs to that entry's value and has no key of its own.
   */
  private describePreviousEntry(): string {
    const previous = this.previousEntry;
    if (previous == null) return "";
    return ' under "' + previous.key + '" (line ' + previous.line.toString() + ")";
  }

  /** Returns the index of the first ":" followed by a blank or the line end, stopping at a comment; -1 when none. */
  private findValueIndicator(from: i32, end: i32): i32 {
    for (let i = from; i < end; i++) {
      const c = this.at(i);
      if (c == COLON && (i + 1 == end || isBlank(this.at(i + 1)))) return i;
      if (c == HASH && i > from && isBlank(this.at(i - 1))) return -1;
    }
    return -1;
  }

  private parseEntry(): bool {
    const start = this.lineStart;
    const end = this.lineEnd;
    const first = this.at(start);

    let key: string;
    let colon: i32;
    if (first == DOUBLE_QUOTE || first == SINGLE_QUOTE) {
      if (!this.parseQuoted(start, null)) return false;
      key = this.quotedValue;
      const afterQuote = this.quotedEnd;
      colon = afterQuote;
      while (colon < end && isBlank(this.at(colon))) colon++;
      const missingColon = colon == end || (this.at(colon) == HASH && colon > afterQuote);
      if (missingColon) {
        return this.fail('missing ":" after the key "' + key + '": ' + SETTING_FORM, key);
      }
      if (this.at(colon) != COLON) {
        return this.fail('unexpected text after the closing quote of the key "' + key + '": ' + SETTING_FORM, key);
      }
      if (colon + 1 < end && !isBlank(this.at(colon + 1))) {
        return this.fail('missing space after ":" following the key "' + key + '": ' + SETTING_FORM, key);
      }
    } else {
      if (!this.checkPlainStart(start, true, null)) return false;
      colon = this.findValueIndicator(start, end);
      if (colon < 0) {
        return this.fail(
          'this line is not a "key: value" setting: add ": " after the key, or start the line with "#" to make it a comment',
        );
      }
      let keyEnd = colon;
      while (keyEnd > start && isBlank(this.at(keyEnd - 1))) keyEnd--;
      key = this.text.substring(start, keyEnd);
    }
    if (colon - start > MAX_IMPLICIT_KEY_LENGTH) {
      return this.fail(
        "key is longer than YAML's limit of " + MAX_IMPLICIT_KEY_LENGTH.toString() + " characters before the \":\": shorten it",
        key,
      );
    }

    let valueStart = colon + 1;
    while (valueStart < end && isBlank(this.at(valueStart))) valueStart++;
    let entry: YamlEntry;
    if (valueStart == end || this.at(valueStart) == HASH) {
      entry = new YamlEntry(key, "", ScalarStyle.Plain, this.lineNumber);
    } else {
      const parsed = this.parseValue(key, valueStart);
      if (parsed == null) return false;
      entry = parsed;
    }

    const earlier = this.document.get(key);
    if (earlier != null) {
      return this.fail(
        '"' + key + '" is a duplicate key (first set on line ' + earlier.line.toString() + "): keep only one of the two settings",
        key,
      );
    }
    this.document.add(entry);
    this.previousEntry = entry;
    return true;
  }

  private parseValue(key: string, start: i32): YamlEntry | null {
    const end = this.lineEnd;
    const first = this.at(start);

    if (first == DOUBLE_QUOTE || first == SINGLE_QUOTE) {
      if (!this.parseQuoted(start, key)) return null;
      const afterQuote = this.quotedEnd;
      let i = afterQuote;
      while (i < end && isBlank(this.at(i))) i++;
      const commentFollows = i < end && this.at(i) == HASH && i > afterQuote;
      if (i < end && !commentFollows) {
        this.fail(
          'unexpected text after the closing quote of the value of "' + key +
            '": quote the whole value, and separate a comment from it with a space before "#"',
          key,
        );
        return null;
      }
      const style = first == DOUBLE_QUOTE ? ScalarStyle.DoubleQuoted : ScalarStyle.SingleQuoted;
      return new YamlEntry(key, this.quotedValue, style, this.lineNumber);
    }

    if (!this.checkPlainStart(start, false, key)) return null;
    let stop = start;
    while (stop < end) {
      const c = this.at(stop);
      if (c == HASH && isBlank(this.at(stop - 1))) break;
      if (c == COLON && (stop + 1 == end || isBlank(this.at(stop + 1)))) {
        this.fail(
          'nested mappings are not supported: the value of "' + key +
            '" contains ": ", so put the value in quotes if the colon belongs to it',
          key,
        );
        return null;
      }
      stop++;
    }
    while (stop > start && isBlank(this.at(stop - 1))) stop--;
    return new YamlEntry(key, this.text.substring(start, stop), ScalarStyle.Plain, this.lineNumber);
  }

  /**
   * Rejects a plain key or value that starts with a YAML indicator character. `key` is
   * null while the key itself is being checked, and names the entry while its value is.
   */
  private checkPlainStart(start: i32, isKey: bool, key: string | null): bool {
    const c = this.at(start);
    const next = start + 1 < this.lineEnd ? this.at(start + 1) : SPACE;
    const part = isKey ? "key" : "value";

    // "-", "?" and ":" are indicators only when a blank or the line end follows.
    if (c == MINUS || c == QUESTION_MARK || c == COLON) {
      if (!isBlank(next)) return true;
      if (c == MINUS) {
        const under = isKey ? this.describePreviousEntry() : "";
        return this.fail('sequences ("- item") are not supported' + under + ": " + SETTING_FORM + ", with one value", key);
      }
      if (c == QUESTION_MARK) return this.fail('explicit keys ("? key") are not supported: ' + SETTING_FORM, key);
      if (isKey) return this.fail('missing key before ":": ' + SETTING_FORM);
      return this.fail("nested mappings are not supported: " + SETTING_FORM, key);
    }

    switch (c) {
      case 0x5b: // [
      case 0x7b: // {
        return this.fail(
          'flow collections ("[...]" and "{...}") are not supported: write one scalar per setting, and quote a ' + part +
            ' that starts with "[" or "{"',
          key,
        );
      case 0x26: // &
        return this.fail('anchors ("&name") are not supported: remove the anchor, or quote a ' + part + ' that starts with "&"', key);
      case 0x2a: // *
        return this.fail('aliases ("*name") are not supported: write the value out, or quote a ' + part + ' that starts with "*"', key);
      case 0x21: // !
        return this.fail('tags ("!name") are not supported: remove the tag, or quote a ' + part + ' that starts with "!"', key);
      case 0x7c: // |
      case 0x3e: // >
        return this.fail(
          'block scalars ("|" and ">") are not supported: write the text as a double-quoted string on one line, with \\n for each line break',
          key,
        );
      case 0x25: // %
        if (isKey) return this.fail('directives such as "%YAML" are not supported: remove the line');
        break;
      case 0x5d: // ]
      case 0x7d: // }
      case 0x2c: // ,
      case 0x40: // @
      case 0x60: // `
        break;
      default:
        return true;
    }
    return this.fail(
      "a plain " + part + ' cannot start with "' + String.fromCharCode(c) + '": put the ' + part + " in quotes",
      key,
    );
  }

  /**
   * Decodes the quoted scalar whose opening quote is at `start` into quotedValue and
   * sets quotedEnd just past the closing quote. The scalar must end on this line.
   */
  private parseQuoted(start: i32, key: string | null): bool {
    const end = this.lineEnd;
    const double = this.at(start) == DOUBLE_QUOTE;
    const errorPrefix = key == null ? "" : 'in the value of "' + key + '": ';
    let decoded = "";
    let runStart = start + 1;
    let i = start + 1;
    while (i < end) {
      const c = this.at(i);
      if (!double) {
        if (c == SINGLE_QUOTE) {
          if (i + 1 < end && this.at(i + 1) == SINGLE_QUOTE) {
            // '' inside a single-quoted scalar is one quote.
            decoded += this.text.substring(runStart, i + 1);
            i += 2;
            runStart = i;
            continue;
          }
          this.quotedValue = decoded + this.text.substring(runStart, i);
          this.quotedEnd = i + 1;
          return true;
        }
        i++;
        continue;
      }

      if (c == DOUBLE_QUOTE) {
        this.quotedValue = decoded + this.text.substring(runStart, i);
        this.quotedEnd = i + 1;
        return true;
      }
      if (c != BACKSLASH) {
        i++;
        continue;
      }

      decoded += this.text.substring(runStart, i);
      // A backslash at the line end escapes the line break, so the scalar would go on to the next line.
      if (i + 1 == end) break;
      const letter = this.at(i + 1);
      const simple = simpleEscape(letter);
      if (simple >= 0) {
        decoded += String.fromCharCode(simple);
        i += 2;
        runStart = i;
        continue;
      }

      const digits = hexEscapeLength(letter);
      let code: i64 = 0;
      let read = 0;
      while (digits > 0 && read < digits && i + 2 + read < end) {
        const value = hexDigitValue(this.at(i + 2 + read));
        if (value < 0) break;
        code = (code << 4) | <i64>value;
        read++;
      }
      const escapeText = this.text.substring(i, i + 2 + read);
      if (digits == 0) {
        this.fail(
          errorPrefix + 'invalid escape "' + escapeText + '" in a double-quoted string: write \\\\ for a backslash',
          key,
        );
        return false;
      }
      if (read < digits) {
        this.fail(
          errorPrefix + 'invalid escape "' + escapeText + '" in a double-quoted string: \\' + String.fromCharCode(letter) +
            " needs exactly " + digits.toString() + " hex digits",
          key,
        );
        return false;
      }
      if (code > 0x10ffff) {
        this.fail(errorPrefix + 'invalid escape "' + escapeText + '": the code point is above U+10FFFF', key);
        return false;
      }
      // A \u escape of a surrogate yields that single UTF-16 unit, so "\uD83D\uDE00" pairs up.
      decoded += code < 0x10000 ? String.fromCharCode(<i32>code) : String.fromCodePoint(<i32>code);
      i += 2 + read;
      runStart = i;
    }

    if (double) {
      return this.fail(
        errorPrefix + 'unterminated double-quoted string: end it with " on the same line, and write each line break inside it as \\n',
        key,
      );
    }
    return this.fail(
      errorPrefix + "unterminated single-quoted string: end it with ' on the same line, and write '' for a quote inside it",
      key,
    );
  }
}
