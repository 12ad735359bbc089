import { createHash, createHmac } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { loadHarness } from "./support/assemblyscript";
import { mulberry32Uint } from "./support/random.ts";

interface CryptoHarness {
  sha256(data: Uint8Array): Uint8Array;
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  md5(data: Uint8Array): Uint8Array;
  toHex(bytes: Uint8Array): string;
  utf8Bytes(text: string): Uint8Array;
  sha256Pieces(data: Uint8Array, cuts: Int32Array): Uint8Array;
  md5Pieces(data: Uint8Array, cuts: Int32Array): Uint8Array;
  sha256AfterReuse(first: Uint8Array, second: Uint8Array): Uint8Array;
  sha256Repeatedly(data: Uint8Array, count: number): Uint8Array;
}

// Set CRYPTO_TEST_SEED to replay a failure or to try other inputs.
const SEED = Number(process.env.CRYPTO_TEST_SEED ?? 0x5eed2024) >>> 0;

const MIB = 1 << 20;
const HMAC_KEY_LENGTHS = [0, 1, 63, 64, 65, 200];

let harness: CryptoHarness;

beforeAll(async () => {
  harness = await loadHarness<CryptoHarness>("crypto");
});

function randomBytes(next: () => number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 4) {
    const word = next();
    for (let j = 0; j < 4 && i + j < length; j++) bytes[i + j] = (word >>> (8 * j)) & 0xff;
  }
  return bytes;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

function ascii(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "latin1"));
}

function repeatedByte(value: number, length: number): Uint8Array {
  return new Uint8Array(length).fill(value);
}

function nodeSha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function nodeMd5(data: Uint8Array): string {
  return createHash("md5").update(data).digest("hex");
}

function nodeHmacSha256(key: Uint8Array, data: Uint8Array): string {
  return createHmac("sha256", key).update(data).digest("hex");
}

/** Lengths above 300 bytes: multiples of 64 around 1 KiB, 4 KiB, 64 KiB and 1 MiB, each ±1, plus seeded random ones. */
function largeLengths(next: () => number): number[] {
  const lengths: number[] = [];
  for (const base of [1024, 4096, 65536, MIB]) {
    lengths.push(base - 65, base - 64, base - 63, base - 1, base, base + 1, base + 63, base + 64, base + 65);
  }
  for (let i = 0; i < 12; i++) lengths.push(1024 + (next() % (MIB - 1024)));
  return lengths;
}

describe("sha256 published vectors", () => {
  // Example messages and digests that NIST publishes for SHA-256 (FIPS 180-4).
  const vectors: Array<[string, Uint8Array, string]> = [
    ["empty", new Uint8Array(0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", ascii("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    [
      "448-bit message",
      ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    ],
    [
      "896-bit message",
      ascii(
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
      ),
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
    ],
    [
      "one million 'a'",
      repeatedByte(0x61, 1_000_000),
      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
    ],
  ];

  test.each(vectors)("sha256 %s", (_name, message, expected) => {
    expect(harness.toHex(harness.sha256(message))).toBe(expected);
  });

  test.each(vectors)("Sha256 class in 1-byte and 63-byte pieces, %s", (_name, message, expected) => {
    // The one-million-byte message in 1-byte pieces would make a million-entry cut list, so
    // it is fed in 63-byte pieces, which never line up with block boundaries.
    const step = message.length > 1000 ? 63 : 1;
    const cuts: number[] = [];
    for (let end = step; end < message.length; end += step) cuts.push(end);
    expect(harness.toHex(harness.sha256Pieces(message, Int32Array.from(cuts)))).toBe(expected);
  });
});

describe("hmacSha256 RFC 4231 vectors", () => {
  const key131 = repeatedByte(0xaa, 131);
  const key25 = Uint8Array.from({ length: 25 }, (_, i) => i + 1);
  // [test case, key, data, expected HMAC-SHA-256 in hex]
  const vectors: Array<[number, Uint8Array, Uint8Array, string]> = [
    [1, repeatedByte(0x0b, 20), ascii("Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"],
    [
      2,
      ascii("Jefe"),
      ascii("what do ya want for nothing?"),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    ],
    [3, repeatedByte(0xaa, 20), repeatedByte(0xdd, 50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"],
    [4, key25, repeatedByte(0xcd, 50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"],
    // RFC 4231 publishes only the first 128 bits of test case 5.
    [5, repeatedByte(0x0c, 20), ascii("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b"],
    [
      6,
      key131,
      ascii("Test Using Larger Than Block-Size Key - Hash Key First"),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    ],
    [
      7,
      key131,
      ascii(
        "This is a test using a larger than block-size key and a larger than block-size data." +
          " The key needs to be hashed before being used by the HMAC algorithm.",
      ),
      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
    ],
  ];

  test.each(vectors)("RFC 4231 test case %i", (_caseNumber, key, data, expected) => {
    const mac = harness.toHex(harness.hmacSha256(key, data));
    expect(mac.length).toBe(64);
    expect(mac.slice(0, expected.length)).toBe(expected);
  });
});

describe("md5 RFC 1321 vectors", () => {
  // RFC 1321, appendix A.5.
  const vectors: Array<[string, string]> = [
    ["", "d41d8cd98f00b204e9800998ecf8427e"],
    ["a", "0cc175b9c0f1b6a831c399e269772661"],
    ["abc", "900150983cd24fb0d6963f7d28e17f72"],
    ["message digest", "f96b697d7cb7938d525a2f31aaf161d0"],
    ["abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"],
    ["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"],
    [
      "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
      "57edf4a22be3c955ac49da2e2107b67a",
    ],
  ];

  test.each(vectors)("md5 of %j", (message, expected) => {
    expect(harness.toHex(harness.md5(ascii(message)))).toBe(expected);
  });
});

describe("hashes against node:crypto", () => {
  const INPUTS_PER_SMALL_LENGTH = 8;

  test("sha256 lengths 0 to 300", () => {
    const next = mulberry32Uint(SEED ^ 0x01);
    for (let length = 0; length <= 300; length++) {
      for (let round = 0; round < INPUTS_PER_SMALL_LENGTH; round++) {
        const data = randomBytes(next, length);
        expect(hex(harness.sha256(data)), `length ${length}, round ${round}, seed ${SEED}`).toBe(nodeSha256(data));
      }
    }
  });

  test("md5 lengths 0 to 300", () => {
    const next = mulberry32Uint(SEED ^ 0x02);
    for (let length = 0; length <= 300; length++) {
      for (let round = 0; round < INPUTS_PER_SMALL_LENGTH; round++) {
        const data = randomBytes(next, length);
        expect(hex(harness.md5(data)), `length ${length}, round ${round}, seed ${SEED}`).toBe(nodeMd5(data));
      }
    }
  });

  test("hmacSha256 key lengths by data lengths 0 to 300", () => {
    const next = mulberry32Uint(SEED ^ 0x03);
    for (const keyLength of HMAC_KEY_LENGTHS) {
      for (let length = 0; length <= 300; length++) {
        const key = randomBytes(next, keyLength);
        const data = randomBytes(next, length);
        expect(
          hex(harness.hmacSha256(key, data)),
          `key length ${keyLength}, data length ${length}, seed ${SEED}`,
        ).toBe(nodeHmacSha256(key, data));
      }
    }
  });

  test("hmacSha256 random key lengths 0 to 300", () => {
    const next = mulberry32Uint(SEED ^ 0x04);
    for (let round = 0; round < 500; round++) {
      const key = randomBytes(next, next() % 301);
      const data = randomBytes(next, next() % 301);
      expect(
        hex(harness.hmacSha256(key, data)),
        `round ${round}, key length ${key.length}, data length ${data.length}, seed ${SEED}`,
      ).toBe(nodeHmacSha256(key, data));
    }
  });

  test("all three on large inputs up to 1 MiB + 65", () => {
    const next = mulberry32Uint(SEED ^ 0x05);
    for (const length of largeLengths(next)) {
      const data = randomBytes(next, length);
      const message = `length ${length}, seed ${SEED}`;
      expect(hex(harness.sha256(data)), `sha256 ${message}`).toBe(nodeSha256(data));
      expect(hex(harness.md5(data)), `md5 ${message}`).toBe(nodeMd5(data));
      const key = randomBytes(next, HMAC_KEY_LENGTHS[next() % HMAC_KEY_LENGTHS.length]);
      expect(hex(harness.hmacSha256(key, data)), `hmacSha256 key length ${key.length}, ${message}`).toBe(
        nodeHmacSha256(key, data),
      );
    }
  });
});

describe("incremental hashers", () => {
  /** Sorted random cut offsets in [0, length], with repeats allowed so empty pieces occur. */
  function randomCuts(next: () => number, length: number): Int32Array {
    const count = next() % 12;
    const cuts = Array.from({ length: count }, () => next() % (length + 1));
    return Int32Array.from(cuts.sort((a, b) => a - b));
  }

  test("Sha256 with random piece boundaries", () => {
    const next = mulberry32Uint(SEED ^ 0x06);
    for (let round = 0; round < 400; round++) {
      const length = round < 300 ? round : next() % 70_000;
      const data = randomBytes(next, length);
      const cuts = randomCuts(next, length);
      expect(
        hex(harness.sha256Pieces(data, cuts)),
        `length ${length}, cuts [${Array.from(cuts)}], seed ${SEED}`,
      ).toBe(nodeSha256(data));
    }
  });

  test("Md5 with random piece boundaries", () => {
    const next = mulberry32Uint(SEED ^ 0x07);
    for (let round = 0; round < 400; round++) {
      const length = round < 300 ? round : next() % 70_000;
      const data = randomBytes(next, length);
      const cuts = randomCuts(next, length);
      expect(
        hex(harness.md5Pieces(data, cuts)),
        `length ${length}, cuts [${Array.from(cuts)}], seed ${SEED}`,
      ).toBe(nodeMd5(data));
    }
  });

  test("Sha256 digest resets the hasher", () => {
    const next = mulberry32Uint(SEED ^ 0x08);
    for (let round = 0; round < 50; round++) {
      const first = randomBytes(next, next() % 200);
      const second = randomBytes(next, next() % 200);
      expect(
        hex(harness.sha256AfterReuse(first, second)),
        `first length ${first.length}, second length ${second.length}, seed ${SEED}`,
      ).toBe(nodeSha256(second));
    }
  });
});

describe("toHex and utf8Bytes", () => {
  test("toHex on every byte value", () => {
    const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(harness.toHex(allBytes)).toBe(hex(allBytes));
  });

  test("toHex on each single byte", () => {
    for (let value = 0; value < 256; value++) {
      expect(harness.toHex(Uint8Array.of(value)), `byte ${value}`).toBe(value.toString(16).padStart(2, "0"));
    }
  });

  test("toHex on empty input", () => {
    expect(harness.toHex(new Uint8Array(0))).toBe("");
  });

  test("utf8Bytes matches Buffer on fixed strings", () => {
    const samples = ["", "abc", "é", "€", "😀", "a\u0000b", "\ud800", "x\udc00y", "\ud83d\ude00\ud83d", "日本語テキスト"];
    for (const text of samples) {
      expect(hex(harness.utf8Bytes(text)), `text ${JSON.stringify(text)}`).toBe(Buffer.from(text, "utf8").toString("hex"));
    }
  });

  test("utf8Bytes matches Buffer on random UTF-16", () => {
    const next = mulberry32Uint(SEED ^ 0x09);
    for (let round = 0; round < 300; round++) {
      // Mostly ASCII and BMP code units, with surrogates often enough to form pairs and strays.
      const codeUnits = Array.from({ length: next() % 40 }, () => {
        const pick = next() % 4;
        if (pick === 0) return next() % 0x80;
        if (pick === 1) return 0xd800 + (next() % 0x800);
        return next() % 0x10000;
      });
      const text = String.fromCharCode(...codeUnits);
      expect(
        hex(harness.utf8Bytes(text)),
        `round ${round}, code units [${codeUnits.map((unit) => unit.toString(16))}], seed ${SEED}`,
      ).toBe(Buffer.from(text, "utf8").toString("hex"));
    }
  });
});

describe("sha256 speed", () => {
  // Prints timings only: a timed assertion would fail on a loaded machine.
  test("sha256 of 1 MiB", () => {
    const data = randomBytes(mulberry32Uint(SEED ^ 0x0a), MIB);
    const expected = nodeSha256(data);

    // Warm up so V8 has tiered the module up from its baseline compiler.
    for (let i = 0; i < 5; i++) harness.sha256(data);

    const runs = 20;
    const callTimes: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const digest = harness.sha256(data);
      callTimes.push(performance.now() - start);
      expect(hex(digest), `seed ${SEED}`).toBe(expected);
    }
    callTimes.sort((a, b) => a - b);

    const start = performance.now();
    const lastDigest = harness.sha256Repeatedly(data, runs);
    const insideMs = (performance.now() - start) / runs;
    expect(hex(lastDigest), `seed ${SEED}`).toBe(expected);

    console.log(
      `sha256 of 1 MiB: median ${callTimes[runs >> 1].toFixed(2)} ms per call including the copy into wasm memory, ` +
        `${insideMs.toFixed(2)} ms per hash inside wasm (mean of ${runs})`,
    );
  });
});
