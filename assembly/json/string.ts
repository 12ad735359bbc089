// JSON string literals are written here rather than by json-as. json-as 1.6.0 writes some
// characters outside the Basic Multilingual Plane (🛸, U+1F6F8, among them) as a raw high
// surrogate followed by an escaped low one. That is invalid UTF-8, which SQS rejects.

const HEX = "0123456789abcdef";

/** Quotes and escapes `text` as a JSON string, keeping non-ASCII characters as UTF-8. */
export function jsonString(text: string): string {
  let out = "\"";
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let escaped: string | null = null;
    if (code == 0x22) escaped = "\\\"";
    else if (code == 0x5c) escaped = "\\\\";
    else if (code == 0x0a) escaped = "\\n";
    else if (code == 0x0d) escaped = "\\r";
    else if (code == 0x09) escaped = "\\t";
    else if (code == 0x08) escaped = "\\b";
    else if (code == 0x0c) escaped = "\\f";
    else if (code < 0x20 || isLoneSurrogate(text, i)) escaped = "\\u" + hex4(code);
    else if (code >= 0xd800 && code <= 0xdbff) i++;
    if (escaped != null) {
      out += text.substring(runStart, i) + escaped;
      runStart = i + 1;
    }
  }
  return out + text.substring(runStart) + "\"";
}

function hex4(code: i32): string {
  return HEX.charAt((code >> 12) & 15) + HEX.charAt((code >> 8) & 15) + HEX.charAt((code >> 4) & 15) + HEX.charAt(code & 15);
}

/** True for a high surrogate without a low one after it, or a low one without a high one before it. */
function isLoneSurrogate(text: string, at: i32): bool {
  const code = text.charCodeAt(at);
  if (code >= 0xd800 && code <= 0xdbff) {
    if (at + 1 >= text.length) return true;
    const next = text.charCodeAt(at + 1);
    return next < 0xdc00 || next > 0xdfff;
  }
  if (code >= 0xdc00 && code <= 0xdfff) {
    if (at == 0) return true;
    const previous = text.charCodeAt(at - 1);
    return previous < 0xd800 || previous > 0xdbff;
  }
  return false;
}
