import { describe, expect, test } from "vitest";
import { loadHarness } from "./support/assemblyscript.ts";
import { mulberry32 } from "./support/random.ts";

interface JsonHarness {
  jsonStringBytes(text: string): Uint8Array;
  checkJson(text: string): boolean;
  iconList(): string[];
}

const SEED = Number(process.env.JSON_TEST_SEED ?? 0x6a50);

/** Random UTF-16 text mixing ASCII, controls, quotes, BMP, astral characters and lone surrogates. */
function randomText(random: () => number): string {
  const length = Math.floor(random() * 40);
  let text = "";
  for (let i = 0; i < length; i++) {
    const kind = Math.floor(random() * 6);
    if (kind === 0) text += String.fromCharCode(Math.floor(random() * 0x20));
    else if (kind === 1) text += "\"\\/'";
    else if (kind === 2) text += String.fromCharCode(0x20 + Math.floor(random() * 0x60));
    else if (kind === 3) text += String.fromCharCode(0xa0 + Math.floor(random() * 0xd700));
    else if (kind === 4) text += String.fromCodePoint(0x10000 + Math.floor(random() * 0xfffff));
    else text += String.fromCharCode(0xd800 + Math.floor(random() * 0x800));
  }
  return text;
}

describe("jsonString", async () => {
  const harness = await loadHarness<JsonHarness>("json");

  test("matches JSON.stringify on every icon", () => {
    for (const icon of harness.iconList()) {
      expect(Buffer.from(harness.jsonStringBytes(icon)).toString("hex"), `icon ${icon}`).toBe(Buffer.from(JSON.stringify(icon)).toString("hex"));
    }
  });

  test("matches JSON.stringify on seeded text", () => {
    const random = mulberry32(SEED);
    for (let i = 0; i < 3000; i++) {
      const text = randomText(random);
      const expected = Buffer.from(JSON.stringify(text)).toString("hex");
      expect(Buffer.from(harness.jsonStringBytes(text)).toString("hex"), `seed ${SEED}, case ${i}: ${JSON.stringify(text)}`).toBe(expected);
    }
  });
});

describe("isWellFormedJson", async () => {
  const harness = await loadHarness<JsonHarness>("json");

  test("accepts SQS answers", () => {
    expect(harness.checkJson('{"MD5OfMessageBody":"abc","MessageId":"1-2"}')).toBe(true);
    expect(harness.checkJson('{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"x \\" \\u00e9"}')).toBe(true);
    expect(harness.checkJson(' {"a":[1,-2.5e3,true,null,{"b":{}}]} ')).toBe(true);
  });

  test("rejects malformed text", () => {
    for (const text of ["", "<html>", "{", '{"a":}', '{"a":1,}', '{"a" 1}', '{"a":"\\x"}', '{"a":1} x', "[1]", '{"a":"\u0001"}']) {
      expect(harness.checkJson(text), JSON.stringify(text)).toBe(false);
    }
  });
});
