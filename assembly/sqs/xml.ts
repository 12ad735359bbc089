// A reader for the few elements of SQS query-protocol responses: SendMessageResponse and
// ErrorResponse. Those responses are flat, namespace-free (apart from xmlns attributes) and
// contain no CDATA, so finding an element by name and decoding its text is enough.

/** Decodes the five predefined entities and numeric character references. */
export function decodeXmlText(text: string): string {
  if (!text.includes("&")) return text;
  let out = "";
  let i = 0;
  while (i < text.length) {
    const amp = text.indexOf("&", i);
    if (amp < 0) {
      out += text.substring(i);
      break;
    }
    out += text.substring(i, amp);
    const semicolon = text.indexOf(";", amp);
    if (semicolon < 0 || semicolon - amp > 10) {
      out += "&";
      i = amp + 1;
      continue;
    }
    const entity = text.substring(amp + 1, semicolon);
    let decoded: string | null = null;
    if (entity == "amp") decoded = "&";
    else if (entity == "lt") decoded = "<";
    else if (entity == "gt") decoded = ">";
    else if (entity == "quot") decoded = "\"";
    else if (entity == "apos") decoded = "'";
    else if (entity.startsWith("#x") || entity.startsWith("#X")) decoded = codePointText(entity.substring(2), 16);
    else if (entity.startsWith("#")) decoded = codePointText(entity.substring(1), 10);
    if (decoded == null) {
      out += "&";
      i = amp + 1;
      continue;
    }
    out += decoded;
    i = semicolon + 1;
  }
  return out;
}

function codePointText(digits: string, radix: i32): string | null {
  if (digits.length == 0 || digits.length > 8) return null;
  let value: i32 = 0;
  for (let i = 0; i < digits.length; i++) {
    const code = digits.charCodeAt(i);
    let digit: i32 = -1;
    if (code >= 48 && code <= 57) digit = code - 48;
    else if (radix == 16 && code >= 97 && code <= 102) digit = code - 87;
    else if (radix == 16 && code >= 65 && code <= 70) digit = code - 55;
    if (digit < 0 || digit >= radix) return null;
    value = value * radix + digit;
  }
  if (value <= 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return null;
  return String.fromCodePoint(value);
}

/** Returns the decoded text of the first element with this name, or null when there is none. */
export function xmlElementText(xml: string, name: string): string | null {
  const open = "<" + name;
  let from = 0;
  while (from < xml.length) {
    const start = xml.indexOf(open, from);
    if (start < 0) return null;
    const after = start + open.length;
    if (after >= xml.length) return null;
    const next = xml.charCodeAt(after);
    // `<Message` must not match `<MessageId`: the name ends at `>`, `/` or white space.
    if (next != 62 && next != 47 && next != 32 && next != 9 && next != 10 && next != 13) {
      from = after;
      continue;
    }
    const tagEnd = xml.indexOf(">", after);
    if (tagEnd < 0) return null;
    if (xml.charCodeAt(tagEnd - 1) == 47) return "";
    const close = xml.indexOf("</" + name + ">", tagEnd + 1);
    if (close < 0) return null;
    return decodeXmlText(xml.substring(tagEnd + 1, close));
  }
  return null;
}
