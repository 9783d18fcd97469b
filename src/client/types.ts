/**
 * The shapes the gateway works with after the client has read and narrowed an upstream
 * JSON:API document. Nothing past the client sees raw upstream JSON.
 */

/** A `{type, id}` pair as it appears in `relationships` and relationship bodies. */
export interface ResourceIdentifier {
  type: string;
  id: string;
}

/** One entry of a resource's `relationships` block, normalised. */
export type Relationship =
  | { kind: 'one'; data: ResourceIdentifier | null }
  /** `count` is `meta.count` when the upstream sent it, else the number of identifiers. */
  | { kind: 'many'; data: ResourceIdentifier[]; count: number };

/** A record as the gateway sees it. `attributes` keeps upstream attribute names (snake_case). */
export interface ClarifyResource {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  relationships: Record<string, Relationship>;
  /**
   * Set when upstream sent only `{type, id}` (the docs-site variant of the relationship GET):
   * `attributes` is then empty and the caller loads the record by id.
   */
  identifierOnly?: true;
}

export interface ListMeta {
  totalRecords: number;
  totalPages: number;
  offset: number;
  limit: number;
}

export interface ListLinks {
  next: string | null;
  prev: string | null;
}

/** One page of a list endpoint (`/resources`, relationship GET, `/users`). */
export interface ListPage {
  data: ClarifyResource[];
  included: ClarifyResource[];
  meta: ListMeta;
  links: ListLinks;
}

/** A single-resource document (`GET .../resources/{id}`, writes). */
export interface SingleDocument {
  data: ClarifyResource;
  included: ClarifyResource[];
}

/** Clarify's Title-case filter operators. */
export type ClarifyOperator =
  | 'Is'
  | 'Is not'
  | 'Contains'
  | 'Does not contain'
  | 'Starts with'
  | 'Ends with'
  | 'Is empty'
  | 'Is not empty'
  | 'Greater than'
  | 'Greater than or equal'
  | 'Less than'
  | 'Less than or equal'
  | 'Is before'
  | 'Is on or before'
  | 'Is after'
  | 'Is on or after'
  | 'One of'
  | 'Not one of'
  | 'Is set'
  | 'Is not set';

/**
 * One filter condition. `path` is an attribute name (`amount`) or a relationship path that
 * starts with the queried object's slug (`deal.company_id.name`), exactly as Clarify wants it
 * inside `filter[...]`. Conditions are ANDed.
 */
export interface FilterCondition {
  path: string;
  operator: ClarifyOperator;
  /** Already formatted for the wire; `One of`/`Not one of` take the values joined by commas. */
  value: string;
}

export interface SortOrder {
  column: string;
  dir: 'ASC' | 'DESC';
}

export interface ListParams {
  filter?: FilterCondition[];
  sort?: SortOrder;
  /** Relationship paths for `include=` (`company_id`, `people.company_id`). */
  include?: string[];
  limit?: number;
  offset?: number;
}

/** What every call is told about the GraphQL request it serves. */
export interface CallOptions {
  /** The full `Authorization` header value (`api-key …` or `Bearer …`). Never logged. */
  credential: string;
  /** Aborts the call (and its retries) when the GraphQL request goes away. */
  signal?: AbortSignal;
  /** Epoch milliseconds by which the whole GraphQL request must be done; no retry overruns it. */
  deadline?: number;
  /** Receives one entry per upstream call. */
  recorder?: CallRecorder;
  /** The id of the GraphQL request the call serves: on every log line about the call. */
  requestId?: string;
}

export interface CallRecord {
  method: string;
  /** Route template, e.g. `GET /objects/:object/resources`. */
  route: string;
  /** Final HTTP status, or 0 when no response was received. */
  status: number;
  durationMs: number;
  attempts: number;
}

export interface CallRecorder {
  record(entry: CallRecord): void;
}
