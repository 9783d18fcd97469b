import { isObject } from './schema-registry.js';
import type { StoredRecord } from './store.js';

/** Range operators that hold from some record of an ascending order on (or a descending one). */
const FROM_IN_ASC = new Set(['Greater than', 'Greater than or equal', 'Is after', 'Is on or after']);
const FROM_IN_DESC = new Set(['Less than', 'Less than or equal', 'Is before', 'Is on or before']);

/**
 * The matching records of a list whose only filter is one range condition on its own sort
 * column, in its direction (`filter[_created_at][Is on or after]=…` on the default order, as a
 * client paging by key sends): a run of the sorted table, found by two binary searches instead
 * of testing every record, so paging through a large table by key costs the page, not the table.
 * Records without a value sort last and match no range, so the run ends where they begin.
 * Undefined when the filter has any other shape.
 */
export function sortedRange(
  ordered: StoredRecord[],
  query: Record<string, unknown>,
  spec: { field: { name: string } | undefined; descending: boolean },
  matches: (record: StoredRecord) => boolean,
): StoredRecord[] | undefined {
  const filter = query.filter;
  if (!isObject(filter)) return undefined;
  const keys = Object.keys(filter);
  const column = spec.field?.name ?? '_created_at';
  if (keys.length !== 1 || keys[0] !== column) return undefined;
  const condition = filter[column];
  if (!isObject(condition)) return undefined;
  const operators = Object.keys(condition);
  const operator = operators[0];
  if (operators.length !== 1 || operator === undefined || typeof condition[operator] !== 'string') return undefined;
  if (!(spec.descending ? FROM_IN_DESC : FROM_IN_ASC).has(operator)) return undefined;
  // The first record that matches or has no value (those sort last, so from there on the test is
  // monotone), then the first one after it that does not match (the first without a value).
  const unset = (record: StoredRecord) => record.attrs[column] === null || record.attrs[column] === undefined;
  const start = firstIndex(ordered, 0, (record) => unset(record) || matches(record));
  const end = firstIndex(ordered, start, (record) => !matches(record));
  return ordered.slice(start, end);
}

/** The first index from `from` where `holds` is true, for a `holds` that stays true once it is. */
function firstIndex(records: StoredRecord[], from: number, holds: (record: StoredRecord) => boolean): number {
  let low = from;
  let high = records.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (holds(records[middle]!)) high = middle;
    else low = middle + 1;
  }
  return low;
}
