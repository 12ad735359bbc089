// parseUrl and regionFromSqsHost, run in wasm through the sigv4 harness.

import { beforeAll, describe, expect, test } from "vitest";
import { loadHarness } from "./support/assemblyscript";

interface UrlHarness {
  parseUrlParts(text: string): string[];
  regionFromSqsHost(host: string): string | null;
  percentEncodeForWire(component: string, isQuery: boolean): string;
}

let harness: UrlHarness;

beforeAll(async () => {
  harness = await loadHarness<UrlHarness>("sigv4");
});

interface Parsed {
  error: string;
  scheme: string;
  host: string;
  port: number;
  authority: string;
  path: string;
  query: string;
  pathWithQuery: string;
}

function parse(text: string): Parsed {
  const [error, scheme, host, port, authority, path, query, pathWithQuery] = harness.parseUrlParts(text);
  return { error, scheme, host, port: Number(port), authority, path, query, pathWithQuery };
}

describe("parseUrl", () => {
  test.each([
    {
      url: "https://sqs.us-east-1.amazonaws.com/123456789012/events",
      expected: { scheme: "https", host: "sqs.us-east-1.amazonaws.com", port: -1, authority: "sqs.us-east-1.amazonaws.com", path: "/123456789012/events", query: "" },
    },
    {
      url: "HTTPS://SQS.Eu-West-1.AmazonAWS.com:443/1/q?Action=SendMessage&b=%20",
      expected: { scheme: "https", host: "sqs.eu-west-1.amazonaws.com", port: 443, authority: "sqs.eu-west-1.amazonaws.com", path: "/1/q", query: "Action=SendMessage&b=%20" },
    },
    {
      url: "http://127.0.0.1:9324/000000000000/q",
      expected: { scheme: "http", host: "127.0.0.1", port: 9324, authority: "127.0.0.1:9324", path: "/000000000000/q", query: "" },
    },
    {
      url: "http://localhost:80",
      expected: { scheme: "http", host: "localhost", port: 80, authority: "localhost", path: "/", query: "" },
    },
    {
      url: "http://localhost:443/",
      expected: { scheme: "http", host: "localhost", port: 443, authority: "localhost:443", path: "/", query: "" },
    },
    {
      url: "https://[2001:DB8::1]:8443/p?x",
      expected: { scheme: "https", host: "[2001:db8::1]", port: 8443, authority: "[2001:db8::1]:8443", path: "/p", query: "x" },
    },
    {
      url: "https://[::1]/",
      expected: { scheme: "https", host: "[::1]", port: -1, authority: "[::1]", path: "/", query: "" },
    },
    {
      url: "https://example.com?q=1#frag?x=/y",
      expected: { scheme: "https", host: "example.com", port: -1, authority: "example.com", path: "/", query: "q=1" },
    },
    {
      url: "https://example.com/a/b/#section",
      expected: { scheme: "https", host: "example.com", port: -1, authority: "example.com", path: "/a/b/", query: "" },
    },
    {
      url: "https://example.com/%E1%88%B4/ሴ?k=v=w&&k",
      expected: { scheme: "https", host: "example.com", port: -1, authority: "example.com", path: "/%E1%88%B4/ሴ", query: "k=v=w&&k" },
    },
    {
      url: "https://example.com/p?",
      expected: { scheme: "https", host: "example.com", port: -1, authority: "example.com", path: "/p", query: "" },
    },
    {
      url: "https://my_host.internal.:65535/",
      expected: { scheme: "https", host: "my_host.internal.", port: 65535, authority: "my_host.internal.:65535", path: "/", query: "" },
    },
  ])("$url", ({ url, expected }) => {
    const parsed = parse(url);

    expect(parsed.error).toBe("");
    expect(parsed.scheme).toBe(expected.scheme);
    expect(parsed.host).toBe(expected.host);
    expect(parsed.port).toBe(expected.port);
    expect(parsed.authority).toBe(expected.authority);
    expect(parsed.path).toBe(expected.path);
    expect(parsed.query).toBe(expected.query);
    expect(parsed.pathWithQuery).toBe(expected.query.length > 0 ? `${expected.path}?${expected.query}` : expected.path);
  });

  test.each([
    { url: "sqs.us-east-1.amazonaws.com/1/q", error: "URL has no scheme: write it as https://host/path" },
    { url: "localhost:9324/q", error: "URL has no scheme: write it as https://host/path" },
    { url: "://host/", error: "URL has no scheme: write it as https://host/path" },
    { url: "", error: "URL has no scheme: write it as https://host/path" },
    { url: "ftp://host/", error: 'URL scheme "ftp" is not supported: use http or https' },
    { url: "https://user:pass@host/", error: 'URL contains user info before "@": remove it and pass credentials in a header' },
    { url: "https://host/a b", error: "URL contains a space at offset 14: percent-encode it as %20" },
    { url: "https://host/a\tb", error: "URL contains control character 0x9 at offset 14: remove it or percent-encode it" },
    { url: "https://host/a\u007f", error: "URL contains control character 0x7f at offset 14: remove it or percent-encode it" },
    { url: "https://host\\path", error: "URL contains a backslash at offset 12: write / or %5C" },
    { url: "https:///path", error: "URL has an empty host: write it as https://host/path" },
    { url: "https://:8080/path", error: "URL has an empty host: write it as https://host/path" },
    { url: "https://host:/", error: 'URL port "" is invalid: write a number from 1 to 65535' },
    { url: "https://host:0/", error: 'URL port "0" is invalid: write a number from 1 to 65535' },
    { url: "https://host:65536/", error: 'URL port "65536" is invalid: write a number from 1 to 65535' },
    { url: "https://host:80a/", error: 'URL port "80a" is invalid: write a number from 1 to 65535' },
    { url: "https://host:-1/", error: 'URL port "-1" is invalid: write a number from 1 to 65535' },
    { url: "https://host:1:2/", error: 'URL host "host:1" contains ":", which is not valid in a host name' },
    { url: "https://bücher.example/", error: 'URL host "bücher.example" is not ASCII: write an international domain name in its xn-- (punycode) form' },
    { url: "https://[::1/", error: 'URL host "[::1" opens an IPv6 address with [ but never closes it' },
    { url: "https://[::1]x/", error: 'URL authority "[::1]x" has text after the IPv6 address: only :port may follow it' },
    { url: "https://[fe80::1%25eth0]/", error: "URL host \"[fe80::1%25eth0]\" is not a valid IPv6 address: only hex digits, ':' and '.' may appear inside [ ]" },
    { url: "https://[1]/", error: "URL host \"[1]\" is not a valid IPv6 address: it needs at least two ':'" },
  ])("rejects $url", ({ url, error }) => {
    expect(parse(url).error).toBe(error);
  });
});

describe("percentEncodeForWire", () => {
  test.each([
    { text: "/123/queue", isQuery: false, expected: "/123/queue" },
    { text: "/a%20b/%zz", isQuery: false, expected: "/a%20b/%25zz" },
    { text: "/ሴ/\"<>[]^`{|}", isQuery: false, expected: "/%E1%88%B4/%22%3C%3E%5B%5D%5E%60%7B%7C%7D" },
    { text: "/!$&'()*+,;=:@~", isQuery: false, expected: "/!$&'()*+,;=:@~" },
    { text: "a=?/&b=é", isQuery: true, expected: "a=?/&b=%C3%A9" },
    { text: "/?", isQuery: false, expected: "/%3F" },
    { text: "100%", isQuery: true, expected: "100%25" },
  ])("$text", ({ text, isQuery, expected }) => {
    expect(harness.percentEncodeForWire(text, isQuery)).toBe(expected);
  });
});

describe("regionFromSqsHost", () => {
  test.each([
    ["sqs.us-east-1.amazonaws.com", "us-east-1"],
    ["SQS.EU-WEST-1.AMAZONAWS.COM", "eu-west-1"],
    ["sqs.ap-southeast-2.amazonaws.com.", "ap-southeast-2"],
    ["sqs-fips.us-east-2.amazonaws.com", "us-east-2"],
    ["sqs.us-gov-west-1.amazonaws.com", "us-gov-west-1"],
    ["sqs.cn-north-1.amazonaws.com.cn", "cn-north-1"],
    ["sqs.cn-northwest-1.api.amazonwebservices.com.cn", "cn-northwest-1"],
    ["sqs.us-west-2.api.aws", "us-west-2"],
    ["sqs-fips.us-west-2.api.aws", "us-west-2"],
    ["sqs.us-iso-east-1.c2s.ic.gov", "us-iso-east-1"],
    ["sqs.us-isob-east-1.sc2s.sgov.gov", "us-isob-east-1"],
    ["sqs.eusc-de-east-1.amazonaws.eu", "eusc-de-east-1"],
    ["eu-central-1.queue.amazonaws.com", "eu-central-1"],
    ["queue.amazonaws.com", "us-east-1"],
    ["vpce-0123abcd-4567efgh.sqs.us-east-1.vpce.amazonaws.com", "us-east-1"],
    ["vpce-0123abcd-4567efgh-us-east-1a.sqs.us-east-1.vpce.amazonaws.com", "us-east-1"],
    ["vpce-0a1b2c3d.sqs.cn-north-1.vpce.amazonaws.com.cn", "cn-north-1"],
  ])("%s is in %s", (host, region) => {
    expect(harness.regionFromSqsHost(host)).toBe(region);
  });

  test.each([
    "127.0.0.1",
    "localhost",
    "[::1]",
    "sqs.us-west-2.localhost",
    "queue.example.com",
    "sqs.example.com",
    "sqs.amazonaws.com",
    "sqs.us-east-1.amazonaws.com.evil.example",
    "evil-sqs.us-east-1.amazonaws.com",
    "s3.us-east-1.amazonaws.com",
    "sqs.useast1.amazonaws.com",
    "sqs.us-east-x.amazonaws.com",
    "sqs.1us-east-1.amazonaws.com",
    "a.sqs.us-east-1.amazonaws.com",
    "eu-central-1.queue.amazonaws.com.cn",
    "vpce-0123.sqs.us-east-1.amazonaws.com",
    "x.sqs.us-east-1.vpce.amazonaws.com",
    "sqs.us-east-1.amazonaws.com:443",
    "",
  ])("%s has no region", (host) => {
    expect(harness.regionFromSqsHost(host)).toBeNull();
  });
});
