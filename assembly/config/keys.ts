/** How a key's text is read; the YAML layer yields text and this decides its type. */
export enum ValueKind {
  Text,
  Boolean,
  WholeNumber,
  Seconds,
  Choice,
  Colour,
  Url,
}

/** One configuration key: its name in a file, the environment variables that fill it, and its type. */
export class KeySpec {
  constructor(
    public name: string,
    public envNames: string[],
    public kind: ValueKind,
    /** For Choice keys, the accepted words. */
    public choices: string[] = [],
    /** True when an empty value means something (an empty body, no headers) rather than a mistake. */
    public emptyAllowed: bool = false,
  ) {}
}

export const KEYS: KeySpec[] = [
  new KeySpec("mode", ["MODE"], ValueKind.Choice, ["auto", "http", "event-pusher"]),
  new KeySpec("method", ["HTTP_METHOD"], ValueKind.Choice, ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"]),
  new KeySpec("url", ["HTTP_URL"], ValueKind.Url),
  new KeySpec("headers", ["HTTP_HEADERS"], ValueKind.Text, [], true),
  new KeySpec("body", ["HTTP_BODY"], ValueKind.Text, [], true),
  new KeySpec("region", ["AWS_REGION", "AWS_DEFAULT_REGION"], ValueKind.Text),
  new KeySpec("access_key", ["AWS_ACCESS_KEY_ID"], ValueKind.Text),
  new KeySpec("secret_key", ["AWS_SECRET_ACCESS_KEY"], ValueKind.Text),
  new KeySpec("session_token", ["AWS_SESSION_TOKEN"], ValueKind.Text, [], true),
  new KeySpec("queue_url", ["SQS_QUEUE_URL"], ValueKind.Url),
  new KeySpec("color", ["COLOR"], ValueKind.Colour),
  new KeySpec("vm_name", ["VM_NAME", "POD_NAME", "HOSTNAME"], ValueKind.Text),
  new KeySpec("max_interval_seconds", ["MAX_INTERVAL_SECONDS"], ValueKind.Seconds),
  new KeySpec("random_off", ["RANDOM_OFF"], ValueKind.Boolean),
  new KeySpec("max_messages", ["MAX_MESSAGES"], ValueKind.WholeNumber),
  new KeySpec("simulate", ["SIMULATE"], ValueKind.Boolean),
  new KeySpec("sqs_protocol", ["SQS_PROTOCOL"], ValueKind.Choice, ["json", "query"]),
  new KeySpec("log_level", ["LOG_LEVEL"], ValueKind.Choice, ["error", "warn", "info", "debug"]),
  new KeySpec("request_timeout_seconds", ["REQUEST_TIMEOUT_SECONDS"], ValueKind.Seconds),
  new KeySpec("max_retries", ["MAX_RETRIES"], ValueKind.WholeNumber),
  new KeySpec("message_group_id", ["MESSAGE_GROUP_ID"], ValueKind.Text),
  new KeySpec("endpoint_url", ["AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL"], ValueKind.Url),
];

/** Returns the spec of a key, or null when no such key exists. */
export function findKey(name: string): KeySpec | null {
  for (let i = 0; i < KEYS.length; i++) {
    if (KEYS[i].name == name) return KEYS[i];
  }
  return null;
}

function editDistance(a: string, b: string): i32 {
  const previous = new Array<i32>(b.length + 1);
  const current = new Array<i32>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a.charCodeAt(i - 1) == b.charCodeAt(j - 1) ? 0 : 1);
      current[j] = min(min(previous[j] + 1, current[j - 1] + 1), substitution);
    }
    for (let j = 0; j <= b.length; j++) previous[j] = current[j];
  }
  return previous[b.length];
}

/** Returns the known key closest to a misspelt one, or null when none is close. */
export function nearestKey(name: string): string | null {
  const lowered = name.toLowerCase().replaceAll("-", "_");
  let best: string | null = null;
  let bestDistance: i32 = 4;
  for (let i = 0; i < KEYS.length; i++) {
    const distance = editDistance(lowered, KEYS[i].name);
    if (distance < bestDistance) {
      best = KEYS[i].name;
      bestDistance = distance;
    }
  }
  return best;
}
