import type { DocumentNode, GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { OperationPlan } from './plan.js';
import { fragmentsOf, planOperation, requestedOperation } from './planner.js';

export interface PlanCacheOptions {
  /** Most (document, operation, schema) keys kept; the least recently used goes first. Default 500. */
  maxEntries?: number;
  /** Most plans kept per key, one per distinct shape the variables give the plan. Default 8. */
  maxVariants?: number;
  /** Told of every look-up: whether the plan came from the cache. */
  onLookup?(hit: boolean): void;
}

interface Variant {
  plan: OperationPlan;
  /** The variables that shape the plan, and their values as JSON. */
  reads: string[];
  values: string;
  /** The plan with another request's cursors, filter values and ids (see `PlannedOperation.bind`). */
  bind: ((variables: Record<string, unknown>) => OperationPlan | undefined) | undefined;
}

export interface PlanRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  /** Raw variables as the request sent them. */
  variables?: Record<string, unknown> | null;
}

/**
 * Plans operations, and keeps the plans in a bounded LRU keyed by document, operation name,
 * schema and the values of the variables that shape the plan (`@skip`/`@include` conditions, page
 * sizes, a mutation's arguments). Variables that only fill values in (cursors, filter operands,
 * orders, the id of a root field) are taken from each request when a kept plan is reused, so a
 * stream of requests for random pages or random ids plans once. Repeated operations, the normal
 * case for a frontend or a BFF, skip planning.
 */
export class PlanCache {
  private readonly entries: LRUCache<string, Variant[]>;
  private readonly documentIds = new WeakMap<DocumentNode, number>();
  /** A rebuilt schema is a new object, so a schema change never serves an old plan. */
  private readonly schemaIds = new WeakMap<GraphQLSchema, number>();
  private readonly maxVariants: number;
  private readonly onLookup: ((hit: boolean) => void) | undefined;
  /** How many operations were planned (cache misses); a hit leaves it alone. */
  planned = 0;

  constructor(options: PlanCacheOptions = {}) {
    this.entries = new LRUCache({ max: options.maxEntries ?? 500 });
    this.maxVariants = options.maxVariants ?? 8;
    this.onLookup = options.onLookup;
  }

  /** Drops every plan (the schema changed). */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** The plan of an operation; undefined when the document has no such operation. */
  planFor(request: PlanRequest): OperationPlan | undefined {
    const requested = requestedOperation(request);
    if (!requested) return undefined;
    const { operation, variables } = requested;
    const key = `${idOf(this.documentIds, request.document)}\u0000${request.operationName ?? ''}\u0000${idOf(this.schemaIds, request.schema)}`;
    const variants = this.entries.get(key);
    if (variants) {
      for (const variant of variants) {
        if (variant.values !== valuesOf(variables, variant.reads)) continue;
        const plan = variant.bind ? variant.bind(variables) : variant.plan;
        if (!plan) continue;
        this.onLookup?.(true);
        return plan;
      }
    }
    this.planned++;
    this.onLookup?.(false);
    const { plan, readVariables, bind } = planOperation({
      schema: request.schema,
      operation,
      fragments: fragmentsOf(request.document),
      variables,
    });
    const list = variants ?? [];
    list.unshift({ plan, reads: readVariables, values: valuesOf(variables, readVariables), bind });
    if (list.length > this.maxVariants) list.length = this.maxVariants;
    this.entries.set(key, list);
    return plan;
  }
}

let nextId = 1;

/** A number per object, for keys: a document or schema is the same exactly when it is the same object. */
function idOf<T extends object>(ids: WeakMap<T, number>, value: T): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = nextId++;
    ids.set(value, id);
  }
  return id;
}

function valuesOf(variables: Record<string, unknown>, names: string[]): string {
  return JSON.stringify(names.map((name) => variables[name] ?? null));
}
