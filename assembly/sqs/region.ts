// The AWS region an SQS endpoint belongs to, read from its host name, so that a queue URL
// alone is enough to sign requests for it.

/**
 * DNS suffixes of the AWS partitions, regular and dual-stack, as listed in
 * @aws-sdk/core 3.981 (util-endpoints partitions.js). Longest first, so that a suffix is
 * never matched where a longer one ending in it was meant.
 */
const PARTITION_SUFFIXES: string[] = [
  "api.amazonwebservices.com.cn",
  "api.amazonwebservices.eu",
  "api.cloud-aws.adc-e.uk",
  "api.aws.hci.ic.gov",
  "amazonaws.com.cn",
  "api.aws.scloud",
  "csp.hci.ic.gov",
  "cloud.adc-e.uk",
  "api.aws.ic.gov",
  "amazonaws.com",
  "sc2s.sgov.gov",
  "amazonaws.eu",
  "c2s.ic.gov",
  "api.aws",
];

/** The host `queue.amazonaws.com` is the legacy endpoint of us-east-1, so it names no region. */
const LEGACY_US_EAST_1_HOST = "queue.amazonaws.com";

/**
 * Returns the region of an AWS SQS host (without port), or null for any other host such
 * as localhost, an IP address or a custom name. Recognised forms, for every partition
 * suffix above: `sqs.REGION.SUFFIX`, `sqs-fips.REGION.SUFFIX`, and VPC endpoints
 * `vpce-ID.sqs.REGION.vpce.SUFFIX`; also the legacy `REGION.queue.amazonaws.com` and
 * `queue.amazonaws.com`.
 */
export function regionFromSqsHost(host: string): string | null {
  let name = host.toLowerCase();
  if (name.endsWith(".")) name = name.substring(0, name.length - 1);
  if (name == LEGACY_US_EAST_1_HOST) return "us-east-1";

  const suffix = matchPartitionSuffix(name);
  if (suffix == null) return null;
  const labels = name.substring(0, name.length - suffix.length - 1).split(".");

  if (labels.length == 2 && (labels[0] == "sqs" || labels[0] == "sqs-fips") && isRegionName(labels[1])) {
    return labels[1];
  }
  if (labels.length == 2 && labels[1] == "queue" && suffix == "amazonaws.com" && isRegionName(labels[0])) {
    return labels[0];
  }
  const isVpcEndpoint =
    labels.length == 4 && labels[0].startsWith("vpce-") && labels[1] == "sqs" && labels[3] == "vpce";
  if (isVpcEndpoint && isRegionName(labels[2])) return labels[2];
  return null;
}

/** Returns the partition suffix `name` ends in after a dot, or null. */
function matchPartitionSuffix(name: string): string | null {
  for (let i: i32 = 0; i < PARTITION_SUFFIXES.length; i++) {
    const suffix = PARTITION_SUFFIXES[i];
    if (name.length > suffix.length + 1 && name.endsWith("." + suffix)) return suffix;
  }
  return null;
}

/**
 * True for names shaped like AWS regions: three or more lower-case parts joined by `-`,
 * the first letters only and the last digits only (us-east-1, us-gov-west-1, eusc-de-east-1).
 */
function isRegionName(label: string): bool {
  const parts = label.split("-");
  if (parts.length < 3) return false;
  for (let i: i32 = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.length == 0) return false;
    for (let j: i32 = 0; j < part.length; j++) {
      const code = part.charCodeAt(j);
      const isLetter = code >= 0x61 && code <= 0x7a;
      const isDigit = code >= 0x30 && code <= 0x39;
      if (i == 0 && !isLetter) return false;
      if (i == parts.length - 1 && !isDigit) return false;
      if (!isLetter && !isDigit) return false;
    }
  }
  return true;
}
