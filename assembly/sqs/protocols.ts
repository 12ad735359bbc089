import { HttpHeader, HttpRequest, HttpResponse } from "../http/types";
import { uriEncode } from "../sigv4/uri-encoding";
import { xmlElementText } from "./xml";
import { topLevelStringMembers } from "../json/check";
import { jsonString } from "../json/string";

/** One SendMessage call's parameters. */
export class SendMessageInput {
  queueUrl: string = "";
  messageBody: string = "";
  /** FIFO queues only; empty for standard queues. */
  messageGroupId: string = "";
  messageDeduplicationId: string = "";
}

/** The result SQS returned: a MessageId with its MD5, or an error code and message. */
export class SendMessageAnswer {
  messageId: string = "";
  md5OfMessageBody: string = "";
  errorCode: string = "";
  errorMessage: string = "";
  /** False when the response could not be read as either. */
  understood: bool = true;
}

/** Maximum length, in UTF-16 units, of server text copied into a log line. */
const MAX_ANSWER_TEXT = 500;

/**
 * Makes text that a server sent safe for a one-line log: control characters become \uXXXX
 * escapes, so a newline or a terminal escape in a response cannot start a line of its own, and
 * text past MAX_ANSWER_TEXT is cut.
 */
export function oneLine(text: string): string {
  let result = "";
  let segmentStart = 0;
  const end = min(text.length, MAX_ANSWER_TEXT);
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code != 0x7f && !(code >= 0x80 && code < 0xa0)) continue;
    result += text.substring(segmentStart, i) + "\\u" + code.toString(16).padStart(4, "0");
    segmentStart = i + 1;
  }
  result += text.substring(segmentStart, end);
  return end < text.length ? result + "... (" + (text.length - end).toString() + " more characters)" : result;
}

/** Returns the string member `name` made safe for one line, or "" when the response has none. */
function member(members: Map<string, string>, name: string): string {
  return members.has(name) ? oneLine(members.get(name)) : "";
}

/** Builds the AWS JSON 1.0 request: POST to the endpoint's root with the target header. */
export function jsonRequest(endpointOrigin: string, input: SendMessageInput): HttpRequest {
  const request = new HttpRequest();
  request.method = "POST";
  request.url = endpointOrigin + "/";
  request.headers.push(new HttpHeader("Content-Type", "application/x-amz-json-1.0"));
  request.headers.push(new HttpHeader("X-Amz-Target", "AmazonSQS.SendMessage"));
  let body = "{\"QueueUrl\":" + jsonString(input.queueUrl) + ",\"MessageBody\":" + jsonString(input.messageBody);
  if (input.messageGroupId.length > 0) {
    body += ",\"MessageGroupId\":" + jsonString(input.messageGroupId);
    body += ",\"MessageDeduplicationId\":" + jsonString(input.messageDeduplicationId);
  }
  body += "}";
  request.body = Uint8Array.wrap(String.UTF8.encode(body));
  return request;
}

/** Builds the query (form) protocol request: POST to the queue's path on the endpoint. */
export function queryRequest(endpointOrigin: string, queuePath: string, input: SendMessageInput): HttpRequest {
  const request = new HttpRequest();
  request.method = "POST";
  request.url = endpointOrigin + queuePath;
  request.headers.push(new HttpHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"));
  let form = "Action=SendMessage&MessageBody=" + uriEncode(input.messageBody, false);
  if (input.messageGroupId.length > 0) {
    form += "&MessageDeduplicationId=" + uriEncode(input.messageDeduplicationId, false);
    form += "&MessageGroupId=" + uriEncode(input.messageGroupId, false);
  }
  form += "&Version=2012-11-05";
  request.body = Uint8Array.wrap(String.UTF8.encode(form));
  return request;
}

function bodyText(response: HttpResponse): string {
  return String.UTF8.decode(response.body.slice().buffer);
}

/** Reads a JSON 1.0 response; errors carry `__type` ("prefix#Code") and a message. */
export function readJsonAnswer(response: HttpResponse): SendMessageAnswer {
  const answer = new SendMessageAnswer();
  const text = bodyText(response);
  // A proxy may respond with HTML, and an emulator with null or a number where SQS sends a string.
  const members = topLevelStringMembers(text, ["MessageId", "MD5OfMessageBody", "__type", "message", "Message"]);
  if (members == null) {
    answer.understood = false;
    return answer;
  }
  if (response.status == 200) {
    answer.messageId = member(members, "MessageId");
    answer.md5OfMessageBody = member(members, "MD5OfMessageBody");
    answer.understood = answer.messageId.length > 0;
    return answer;
  }
  let code = member(members, "__type");
  const hash = code.lastIndexOf("#");
  if (hash >= 0) code = code.substring(hash + 1);
  // SQS names the query protocol's error code in this header, e.g. "AWS.SimpleQueueService.NonExistentQueue;Sender".
  const queryError = response.header("x-amzn-query-error");
  if (queryError != null && queryError.includes(";")) code = queryError.substring(0, queryError.indexOf(";"));
  answer.errorCode = code;
  const lowerCaseMessage = member(members, "message");
  answer.errorMessage = lowerCaseMessage.length > 0 ? lowerCaseMessage : member(members, "Message");
  answer.understood = code.length > 0;
  return answer;
}

/** Reads a query-protocol XML response: SendMessageResponse or ErrorResponse. */
export function readQueryAnswer(response: HttpResponse): SendMessageAnswer {
  const answer = new SendMessageAnswer();
  const text = bodyText(response);
  if (response.status == 200) {
    const messageId = xmlElementText(text, "MessageId");
    const md5 = xmlElementText(text, "MD5OfMessageBody");
    answer.messageId = messageId != null ? oneLine(messageId) : "";
    answer.md5OfMessageBody = md5 != null ? oneLine(md5) : "";
    answer.understood = answer.messageId.length > 0;
    return answer;
  }
  const code = xmlElementText(text, "Code");
  const message = xmlElementText(text, "Message");
  answer.errorCode = code != null ? oneLine(code) : "";
  answer.errorMessage = message != null ? oneLine(message) : "";
  answer.understood = answer.errorCode.length > 0;
  return answer;
}
