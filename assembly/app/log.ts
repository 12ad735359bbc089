import { LogLevel } from "../config/settings";
import { printErrorLine } from "../platform/output";

const LEVEL_NAMES: string[] = ["error", "warn", "info", "debug"];

/** Every line goes to stderr, because stdout carries only messages (or the HTTP response). */
export class Log {
  constructor(public level: LogLevel = LogLevel.Info) {}

  write(level: LogLevel, text: string): void {
    if (level > this.level) return;
    printErrorLine("event-pusher " + LEVEL_NAMES[<i32>level] + ": " + text);
  }

  error(text: string): void {
    this.write(LogLevel.Error, text);
  }

  warn(text: string): void {
    this.write(LogLevel.Warn, text);
  }

  info(text: string): void {
    this.write(LogLevel.Info, text);
  }

  debug(text: string): void {
    this.write(LogLevel.Debug, text);
  }

  get debugEnabled(): bool {
    return this.level >= LogLevel.Debug;
  }
}

export const log = new Log();
