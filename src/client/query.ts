import qs from 'qs';
import type { ListParams } from './types.js';

/** Clarify refuses `page[limit]` above this. */
export const MAX_PAGE_SIZE = 500;

/** One `key=value` pair of a query string, before encoding. Order is kept. */
export type QueryPair = readonly [key: string, value: string];

/**
 * Encodes pairs in RFC 3986 style: brackets as `%5B`/`%5D`, spaces as `%20`, commas as `%2C`.
 * Clarify accepts this form (§6 "Encoding"). Pairs are encoded one by one so that the same
 * key may repeat (two conditions with the same field and operator) and order is preserved.
 */
export function encodeQuery(pairs: readonly QueryPair[]): string {
  return pairs
    .map(([key, value]) => qs.stringify({ [key]: value }, { format: 'RFC3986', encodeValuesOnly: false }))
    .join('&');
}

/** Clamps a requested page size to 1..max (max itself never above 500). */
export function clampLimit(requested: number | undefined, max: number): number {
  const ceiling = Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(max)));
  if (requested === undefined || !Number.isFinite(requested)) return ceiling;
  return Math.max(1, Math.min(ceiling, Math.floor(requested)));
}

/**
 * The query pairs of a list request:
 * `filter[path][Operator]=value` for every condition (always the explicit form: the plain form
 * would read values such as `null`, `>5` or `*x*` as shorthand operators),
 * `sortOrder[column]`/`sortOrder[dir]`, `include` as a comma list, `page[limit]`/`page[offset]`.
 */
export function listQueryPairs(params: ListParams, maxPageSize: number): QueryPair[] {
  const pairs: QueryPair[] = [];
  for (const condition of params.filter ?? []) {
    pairs.push([`filter[${condition.path}][${condition.operator}]`, condition.value]);
  }
  if (params.sort) {
    pairs.push(['sortOrder[column]', params.sort.column]);
    pairs.push(['sortOrder[dir]', params.sort.dir]);
  }
  if (params.include && params.include.length > 0) {
    pairs.push(['include', includeList(params.include)]);
  }
  pairs.push(['page[limit]', String(clampLimit(params.limit, maxPageSize))]);
  pairs.push(['page[offset]', String(Math.max(0, Math.floor(params.offset ?? 0)))]);
  return pairs;
}

/** Deduplicated comma list for `include=`. */
export function includeList(include: readonly string[]): string {
  return [...new Set(include.map((name) => name.trim()).filter((name) => name !== ''))].join(',');
}

/** `?a=b&c=d`, or the empty string when there are no pairs. */
export function withQuery(path: string, pairs: readonly QueryPair[]): string {
  return pairs.length === 0 ? path : `${path}?${encodeQuery(pairs)}`;
}
