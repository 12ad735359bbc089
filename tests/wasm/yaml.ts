// Test harness for assembly/config/yaml.ts. Results cross to JavaScript as JSON text
// because the ESM bindings carry strings but not class instances.
import { parseYaml, isYamlNull, YamlDocument } from "../../assembly/config/yaml";

function jsonString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c == 0x22) out += '\\"';
    else if (c == 0x5c) out += "\\\\";
    else if (c < 0x20) {
      let hex = c.toString(16);
      while (hex.length < 4) hex = "0" + hex;
      out += "\\u" + hex;
    } else out += String.fromCharCode(c);
  }
  return out + '"';
}

function jsonNullableString(value: string | null): string {
  return value == null ? "null" : jsonString(value);
}

function documentJson(document: YamlDocument): string {
  let out = '{"error":' + jsonNullableString(document.error);
  out += ',"errorLine":' + document.errorLine.toString();
  out += ',"errorKey":' + jsonNullableString(document.errorKey);
  out += ',"entries":[';
  for (let i = 0; i < document.entries.length; i++) {
    const entry = document.entries[i];
    if (i > 0) out += ",";
    out += '{"key":' + jsonString(entry.key);
    out += ',"value":' + jsonString(entry.value);
    out += ',"style":' + (<i32>entry.style).toString();
    out += ',"line":' + entry.line.toString();
    out += ',"isNull":' + (isYamlNull(entry) ? "true" : "false") + "}";
  }
  return out + "]}";
}

/** Parses `text` and returns the document as JSON: error, errorLine, errorKey and entries. */
export function parse(text: string): string {
  return documentJson(parseYaml(text));
}

/** Parses `text` and returns JSON for `document.get(key)`: the entry's value and line, or null. */
export function lookup(text: string, key: string): string {
  const entry = parseYaml(text).get(key);
  if (entry == null) return "null";
  return '{"value":' + jsonString(entry.value) + ',"line":' + entry.line.toString() + "}";
}
