import type { Span, Tracer } from '@opentelemetry/api';
import { CallLog } from '../client/call-log.js';
import type { CallRecord } from '../client/types.js';
import type { Logger } from './logger.js';
import { recordUpstreamSpan } from './tracing.js';

/**
 * The call log of one GraphQL request, which also writes one debug line per upstream call (with
 * the request id, through the request's child logger) and an OpenTelemetry span when tracing is on.
 */
export class ObservedCallLog extends CallLog {
  /** Set by the operation plugin once the operation's span exists. */
  operationSpan: Span | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly tracer: Tracer | undefined,
  ) {
    super();
  }

  override record(entry: CallRecord): void {
    super.record(entry);
    this.logger.debug(
      {
        route: entry.route,
        status: entry.status,
        durationMs: entry.durationMs,
        attempts: entry.attempts,
      },
      'upstream call',
    );
    if (this.tracer) recordUpstreamSpan(this.tracer, this.operationSpan, entry);
  }
}
