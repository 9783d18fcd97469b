import type { GraphQLError } from 'graphql';
import type { FilterCondition, SortOrder } from '../client/types.js';
import type { AccessScope } from './field-info.js';
import type { CacheReads, PlannedWrite } from './effects.js';
import type { PageRequest } from './paging.js';

/**
 * How a field's records reach the store:
 * - `included`: with its parent's fetch, through `include`;
 * - `block`: cut from the parent's relationships block, records included, unless that block is
 *   incomplete (fewer ids than its count): then the relationship endpoint answers it;
 * - `endpoint`: the relationship endpoint (filtered or ordered relationships);
 * - `loader`: a fetch of its own through the request's DataLoader (beyond the include depth).
 */
export type Route = 'included' | 'block' | 'endpoint' | 'loader';

/** A list query's or relationship's page: what to fetch and how to cut it. */
export interface ListPlan {
  filter: FilterCondition[];
  sort: SortOrder | undefined;
  page: PageRequest;
  /** Present when the list's order is on a column Clarify compares with a range: its cursors are key cursors. */
  keyset?: KeysetPlan;
}

export interface KeysetPlan {
  column: string;
  dir: 'ASC' | 'DESC';
  /** The Clarify range operators of the column's type (`gte`-, `lte`-, `gt`-, `lt`-like). */
  operators: { atOrAfter: FilterCondition['operator']; atOrBefore: FilterCondition['operator']; after: FilterCondition['operator']; before: FilterCondition['operator'] };
  /** Whether records may lack a value (they sort last); `_created_at` and `_updated_at` never do. */
  nullable: boolean;
  /** Whether the selection wants `totalCount`, which a keyed read cannot give: one call more. */
  countTotal: boolean;
}

export type PlanEntry =
  | { kind: 'list'; object: string; include: string[]; list: ListPlan; error?: undefined }
  | { kind: 'single'; object: string; include: string[]; /** Root fields reading the same record share this key, and one call. */ share: string; error?: undefined }
  /** `nodes(ids)`: per id, the share key of its read and what that read includes. */
  | { kind: 'nodes'; include: string[]; items: { share: string; include: string[] }[]; error?: undefined }
  | { kind: 'reference'; route: 'included' | 'loader'; include: string[]; error?: undefined }
  | { kind: 'toMany'; route: 'block' | 'endpoint' | 'loader'; include: string[]; list: ListPlan; error?: undefined }
  /** A connection read from its own endpoint per parent (activities, attachments, a saved list's records). */
  | { kind: 'paged'; include: string[]; page: PageRequest; /** For a connection of records: its filter and order. */ list?: ListPlan; error?: undefined }
  /** A subscription's change feed: the compiled filter of its poller, and what to include with each record. */
  | { kind: 'changes'; object: string; include: string[]; filter: FilterCondition[]; error?: undefined }
  | { kind: 'write'; /** For a payload's `record`, when the write reads it back. */ recordInclude: string[]; error?: undefined }
  /** Arguments the planner refused: the field fails with this error and makes no call. */
  | { kind: 'refused'; error: GraphQLError };

export interface PlanCost {
  /** Calls the plan expects when every relationships block lists all its members. */
  predictedCalls: number;
  /** Most calls the operation can make (an incomplete block reads the relationship endpoint). */
  maxCalls: number;
  /** False when the count depends on the data (per-record loads that may share or be absent). */
  exact: boolean;
}

/** What the response cache needs of an operation: what a query reads, what a mutation's fields change. */
export interface CachePlan {
  reads: CacheReads;
  writes: PlannedWrite[];
}

/** The plan of one operation: an entry per response path (list indices left out), and its cost. */
export class OperationPlan {
  constructor(
    private readonly entries: ReadonlyMap<string, PlanEntry>,
    readonly cost: PlanCost,
    readonly cache: CachePlan,
    /** True when a selection it runs asks for incremental delivery (`@defer`, `@stream`). */
    readonly incremental = false,
    /** An argument naming an id no record can have: the whole operation is refused with it. */
    readonly invalidId?: GraphQLError,
    /** The scope a caller's token needs for the operation (its most demanding root field). */
    readonly scope: AccessScope = 'read',
  ) {}

  /** The entry of the field at `path` (a resolver's `info.path`); undefined for a field the plan does not cover. */
  at(path: ResponsePath): PlanEntry | undefined {
    return this.entries.get(pathKey(path));
  }

  /** The entry at a path key such as `deals.nodes.company` (for tests and diagnostics). */
  entry(key: string): PlanEntry | undefined {
    return this.entries.get(key);
  }

  /** Every entry's path key (for tests and diagnostics). */
  paths(): string[] {
    return [...this.entries.keys()];
  }

  /** Whether the planner refused some field. */
  get refused(): boolean {
    for (const entry of this.entries.values()) if (entry.kind === 'refused') return true;
    return false;
  }

  /** The same plan with some entries replaced (the same cost); this plan itself when none are. */
  with(changed: ReadonlyMap<string, PlanEntry>): OperationPlan {
    if (changed.size === 0) return this;
    const entries = new Map(this.entries);
    for (const [key, entry] of changed) entries.set(key, entry);
    return new OperationPlan(entries, this.cost, this.cache, this.incremental, this.invalidId, this.scope);
  }
}

/** GraphQL's `info.path`: a linked list from the field back to the root. */
export interface ResponsePath {
  readonly prev: ResponsePath | undefined;
  readonly key: string | number;
}

/** The path's response keys joined by dots, with list indices left out: `deals.nodes.company`. */
export function pathKey(path: ResponsePath | undefined): string {
  const keys: string[] = [];
  for (let at = path; at; at = at.prev) if (typeof at.key === 'string') keys.push(at.key);
  return keys.reverse().join('.');
}
