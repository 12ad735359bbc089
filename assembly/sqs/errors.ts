/** The client's treatment of an SQS error. */
export enum ErrorClass {
  /** Throttling and server faults: retried with backoff. */
  Retryable,
  /** The request's time was off: re-signed with the server's time and sent again. */
  ClockSkew,
  /** Credentials, permissions, a missing queue, invalid parameters: the run stops. */
  Permanent,
}

const THROTTLING_CODES: string[] = [
  "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException",
  "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
  "RequestLimitExceeded", "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException", "KmsThrottled",
  "ServiceUnavailable", "InternalError", "InternalFailure", "RequestTimeout", "RequestTimeoutException",
];

const SKEW_CODES: string[] = ["RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture"];

/** True when an error's code or message shows that the request's signing time was off. */
export function looksLikeClockSkew(code: string, message: string): bool {
  if (SKEW_CODES.includes(code)) return true;
  const lower = message.toLowerCase();
  const timeWords = lower.includes("signature expired") || lower.includes("not yet current") || lower.includes("request has expired") || lower.includes("time too skewed");
  return timeWords && (code == "InvalidSignatureException" || code == "SignatureDoesNotMatch" || code == "AccessDenied" || code == "AuthFailure" || code.length == 0 || SKEW_CODES.includes(code));
}

export function classifyError(status: i32, code: string, message: string): ErrorClass {
  if (looksLikeClockSkew(code, message)) return ErrorClass.ClockSkew;
  if (status >= 500 || status == 429 || THROTTLING_CODES.includes(code)) return ErrorClass.Retryable;
  return ErrorClass.Permanent;
}

/** Returns what a person should do about an SQS error code. */
export function adviceFor(code: string): string {
  if (code == "InvalidClientTokenId" || code == "UnrecognizedClientException") {
    return "SQS does not know this access key: check access_key (AWS_ACCESS_KEY_ID) and that it is active";
  }
  if (code == "SignatureDoesNotMatch" || code == "InvalidSignatureException" || code == "IncompleteSignature" || code == "IncompleteSignatureException") {
    return "check secret_key (AWS_SECRET_ACCESS_KEY), and that region matches the queue's region; run with log_level: debug to see the canonical request";
  }
  if (code == "ExpiredToken" || code == "ExpiredTokenException" || code == "InvalidToken") {
    return "the temporary credentials have expired or are invalid: get a new session_token (AWS_SESSION_TOKEN) with its key pair";
  }
  if (code == "MissingAuthenticationToken" || code == "MissingAuthenticationTokenException") {
    return "set access_key and secret_key (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)";
  }
  if (code == "AccessDenied" || code == "AccessDeniedException") {
    return "this identity may not send to the queue: grant it sqs:SendMessage on the queue (and kms:GenerateDataKey for an encrypted queue)";
  }
  if (code == "AWS.SimpleQueueService.NonExistentQueue" || code == "QueueDoesNotExist" || code == "NonExistentQueue") {
    return "no such queue: check queue_url, and that region and the account in the URL are right";
  }
  if (code == "MissingParameter" || code == "InvalidParameterValue" || code == "InvalidParameterValueException") {
    return "SQS rejected a parameter; for a FIFO queue check message_group_id";
  }
  if (code == "InvalidMessageContents") {
    return "the message has characters SQS does not accept; check vm_name";
  }
  if (code == "KMS.AccessDeniedException" || code == "KmsAccessDenied" || code == "KmsDisabled" || code == "KmsNotFound") {
    return "the queue's KMS key cannot be used by this identity: grant kms:GenerateDataKey and kms:Decrypt, or check the key";
  }
  if (code == "AWS.SimpleQueueService.UnsupportedOperation" || code == "UnsupportedOperation" || code == "InvalidAction" || code == "UnknownOperationException") {
    return "the server does not know this request: try sqs_protocol: query (or json)";
  }
  return "see the SQS error code in the AWS documentation";
}
