import { createHash } from 'node:crypto';
import type { HandlerContext, HandlerResult } from './handler.js';
import { buildLinks, parsePaging } from './list.js';
import { paged, recordTarget } from './record-target.js';
import type { ActivityEntry, StoredRecord } from './store.js';

/** A stable UUID-shaped id for the derived "created" entry of a record. */
function derivedId(recordId: string): string {
  const hex = createHash('sha1').update(`created:${recordId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function createdEntry(record: StoredRecord): ActivityEntry {
  return {
    id: derivedId(record.id),
    kind: 'record_created',
    occurredAt: String(record.attrs._created_at),
    actor: String(record.attrs._created_by ?? 'system'),
    details: {},
  };
}

/** `GET /objects/{o}/records/{id}/activities`: the record's timeline, newest first, paged. */
export function listActivities(context: HandlerContext): HandlerResult {
  const { object, record } = recordTarget(context);
  const paging = parsePaging(context.query);
  const { store, extras } = context.workspace;
  const logged = store.activities.get(record.id) ?? [];
  // Newest first; entries logged in the same millisecond keep their logging order reversed.
  const timeline = [createdEntry(record), ...logged].reverse();
  timeline.sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : a.occurredAt > b.occurredAt ? -1 : 0));
  const page = paged(timeline, paging);
  return {
    status: 200,
    body: {
      data: page.map((entry) => {
        const details = { ...entry.details };
        // A comment entry shows the comment as it is now.
        if (entry.kind === 'comment_created' && typeof details.comment_id === 'string') {
          const comment = extras.comments.get(details.comment_id);
          details.body = comment ? comment.body : null;
        }
        return {
          type: 'activity',
          id: entry.id,
          attributes: {
            _id: entry.id,
            kind: entry.kind,
            occurred_at: entry.occurredAt,
            actor: entry.actor,
            record: { type: object.slug, id: record.id },
            details,
          },
        };
      }),
      meta: {
        total_records: timeline.length,
        total_pages: Math.ceil(timeline.length / paging.limit),
        offset: paging.offset,
        limit: paging.limit,
      },
      links: buildLinks(context.url, paging, timeline.length),
    },
  };
}
