import { badParameter } from './errors.js';
import type { HandlerContext, HandlerResult } from './handler.js';
import { buildLinks, parsePaging, type Query } from './list.js';
import { isObject } from './schema-registry.js';
import type { DeletedEntry } from './store.js';

/** How long a deletion stays listed. */
export const DELETION_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

const DELETED_AT = '_deleted_at';
const OPERATORS = new Set(['Is after', 'Is on or after', 'Is before', 'Is on or before']);

type EntryTest = (entry: DeletedEntry) => boolean;

/** `filter[_deleted_at][Is after]=<ISO date-time>` (and the other three comparisons); nothing else. */
function compileDeletedFilter(filter: unknown): EntryTest[] {
  if (filter === undefined) return [];
  if (!isObject(filter)) throw badParameter('filter must be given as filter[_deleted_at][Operator]=value', 'filter');
  const tests: EntryTest[] = [];
  for (const [field, raw] of Object.entries(filter)) {
    if (field !== DELETED_AT) throw badParameter(`filter[${field}]: deleted resources filter on ${DELETED_AT} only`, `filter[${field}]`);
    if (!isObject(raw)) throw badParameter(`filter[${DELETED_AT}] needs an operator: ${[...OPERATORS].join(', ')}`, `filter[${DELETED_AT}]`);
    for (const [operator, value] of Object.entries(raw)) {
      const parameter = `filter[${DELETED_AT}][${operator}]`;
      if (!OPERATORS.has(operator)) throw badParameter(`${parameter}: unknown operator; use ${[...OPERATORS].join(', ')}`, parameter);
      const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(ms)) throw badParameter(`${parameter}: "${String(value)}" is not a date-time`, parameter);
      const bound = new Date(ms).toISOString();
      tests.push(
        operator === 'Is after'
          ? (entry) => entry.deletedAt > bound
          : operator === 'Is on or after'
            ? (entry) => entry.deletedAt >= bound
            : operator === 'Is before'
              ? (entry) => entry.deletedAt < bound
              : (entry) => entry.deletedAt <= bound,
      );
    }
  }
  return tests;
}

function parseDeletedSort(query: Query): boolean {
  const sort = query.sortOrder;
  if (sort === undefined) return false;
  if (!isObject(sort)) throw badParameter('sortOrder must be given as sortOrder[column] and sortOrder[dir]', 'sortOrder');
  if (sort.column !== undefined && sort.column !== DELETED_AT) {
    throw badParameter(`sortOrder[column]: deleted resources sort on ${DELETED_AT} only`, 'sortOrder[column]');
  }
  if (sort.dir !== undefined && sort.dir !== 'ASC' && sort.dir !== 'DESC') throw badParameter('sortOrder[dir] must be ASC or DESC', 'sortOrder[dir]');
  return sort.dir === 'DESC';
}

function render(entry: DeletedEntry): { type: string; id: string; attributes: Record<string, unknown> } {
  return {
    type: entry.type,
    id: entry.id,
    attributes: { ...entry.attrs, _id: entry.id, [DELETED_AT]: entry.deletedAt, _deleted_by: entry.deletedBy },
  };
}

/** `GET /objects/{o}/deleted-resources`: records deleted in the last 30 days, oldest deletion first. */
export function listDeleted(context: HandlerContext): HandlerResult {
  const object = context.workspace.registry.recordObject(context.params.object ?? '');
  const paging = parsePaging(context.query);
  const tests = compileDeletedFilter(context.query.filter);
  const descending = parseDeletedSort(context.query);
  const horizon = new Date(context.now() - DELETION_RETENTION_MS).toISOString();
  const log = context.workspace.store.deletions.get(object.slug) ?? [];
  const matching = log.filter((entry) => entry.deletedAt >= horizon && tests.every((test) => test(entry)));
  // The log is in deletion order; equal timestamps keep it, so paging is stable.
  if (descending) matching.reverse();
  const page = matching.slice(paging.offset, paging.offset + paging.limit);
  return {
    status: 200,
    body: {
      data: page.map(render),
      meta: {
        total_records: matching.length,
        total_pages: Math.ceil(matching.length / paging.limit),
        offset: paging.offset,
        limit: paging.limit,
      },
      links: buildLinks(context.url, paging, matching.length),
    },
  };
}
