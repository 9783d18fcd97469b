import type { Span, Tracer } from '@opentelemetry/api';
import { CallLog } from '../client/call-log.js';
import type { CallRecord } from '../client/types.js';
import type { Logger } from './logger.js';
import { recordUpstreamSpan } from './tracing.js';

/**
 * The call log of one GraphQL request, which also writes one debug line per upstream call (with
 * the request id, through a child logger made for the request the first time a line is written:
 * at the usual levels, never) and an OpenTelemetry span when tracing is on.
 */
export class ObservedCallLog extends CallLog {
  /** Set by the operation plugin once the operation's span exists. */
  operationSpan: Span | undefined;

  private requestLogger: Logger | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly requestId: string,
    private readonly tracer: Tracer | undefined,
  ) {
    super();
  }

  override record(entry: CallRecord): void {
    super.record(entry);
    if (this.logger.isLevelEnabled('debug')) this.debugLine(entry);
    if (this.tracer) recordUpstreamSpan(this.tracer, this.operationSpan, entry);
  }

  private debugLine(entry: CallRecord): void {
    this.requestLogger ??= this.logger.child({ requestId: this.requestId });
    this.requestLogger.debug(
      {
        route: entry.route,
        status: entry.status,
        durationMs: entry.durationMs,
        attempts: entry.attempts,
      },
      'upstream call',
    );
  }
}
