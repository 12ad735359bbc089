/** Log levels in increasing detail; a line is written when its level is at most the configured one. */
export enum LogLevel {
  Error = 0,
  Warn = 1,
  Info = 2,
  Debug = 3,
}

/** The run's mode, after `mode: auto` has been decided. */
export enum RunMode {
  EventPusher,
  Http,
}

/** The whole configuration, typed and with defaults applied. */
export class Settings {
  mode: string = "auto";
  method: string = "GET";
  url: string = "";
  headers: string = "";
  body: string = "";
  region: string = "us-west-2";
  /** True when `region` came from the file or the environment rather than the default. */
  regionConfigured: bool = false;
  accessKey: string = "";
  secretKey: string = "";
  sessionToken: string = "";
  queueUrl: string = "";
  color: string = "#000000";
  vmName: string = "default";
  maxIntervalMs: i64 = 5000;
  randomOff: bool = false;
  maxMessages: i64 = 0;
  simulate: bool = false;
  sqsProtocol: string = "json";
  logLevel: LogLevel = LogLevel.Info;
  requestTimeoutMs: u32 = 30000;
  maxRetries: i32 = 3;
  messageGroupId: string = "";
  endpointUrl: string = "";
  /** The settings' origin for the start-up log line: a file path or "environment". */
  source: string = "environment";

  get runMode(): RunMode {
    if (this.mode == "http") return RunMode.Http;
    if (this.mode == "event-pusher") return RunMode.EventPusher;
    return this.url.length > 0 && this.queueUrl.length == 0 ? RunMode.Http : RunMode.EventPusher;
  }
}
