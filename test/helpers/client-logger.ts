/** A client logger that keeps what it was told and lets a test wait for one message. */
import type { ClientLogger } from '../../src/client/clarify-client.js';

export interface LoggedLine {
  level: 'debug' | 'warn';
  msg: string | undefined;
  fields: Record<string, unknown>;
}

export class RecordingClientLogger implements ClientLogger {
  readonly lines: LoggedLine[] = [];
  private readonly waiters: { msg: string; resolve: (line: LoggedLine) => void }[] = [];

  debug(obj: object, msg?: string): void {
    this.push({ level: 'debug', msg, fields: { ...obj } });
  }

  warn(obj: object, msg?: string): void {
    this.push({ level: 'warn', msg, fields: { ...obj } });
  }

  /** Lines logged with this message, in order. */
  withMessage(msg: string): LoggedLine[] {
    return this.lines.filter((line) => line.msg === msg);
  }

  /** Resolves with the next line logged with this message (or the first one already logged). */
  next(msg: string): Promise<LoggedLine> {
    const logged = this.lines.find((line) => line.msg === msg);
    if (logged) return Promise.resolve(logged);
    return new Promise((resolve) => this.waiters.push({ msg, resolve }));
  }

  private push(line: LoggedLine): void {
    this.lines.push(line);
    for (const waiter of this.waiters.splice(0)) {
      if (waiter.msg === line.msg) waiter.resolve(line);
      else this.waiters.push(waiter);
    }
  }
}
