/** The GraphQL operations the benchmark sends, and the variables that vary them. */

/** A page of deals with a to-one and a to-many relationship. */
export const DEALS_PAGE = `query DealsPage($first: Int!, $after: String) {
  deals(first: $first, after: $after) {
    nodes { id name amount company { name } people { nodes { name { fullName } } } }
  }
}`;

/** One deal with its company and people. */
export const DEAL_BY_ID = `query DealById($id: ID!) {
  deal(id: $id) {
    id name amount closeDate
    company { name domains employeeCount }
    people { nodes { name { fullName } emailAddresses jobTitle } }
  }
}`;

export interface Operation {
  query: string;
  operationName?: string;
  variables: Record<string, unknown>;
}

export const PAGE_SIZE = 20;

/** The cursor the gateway gives out for an offset (`offset:N`, base64url). */
export function cursorFor(offset: number): string {
  return Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');
}

/** Deterministic pseudo-random numbers, so every server gets the same sequence. */
export function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Shape {
  name: string;
  /** The i-th request of a run; the same i gives the same request for every server. */
  operation(random: () => number): Operation;
}

export function dealsPageShape(totalDeals: number): Shape {
  return {
    name: `deals page (first: ${PAGE_SIZE}, random offset)`,
    operation(random) {
      const offset = Math.floor(random() * Math.max(1, totalDeals - PAGE_SIZE));
      return { query: DEALS_PAGE, operationName: 'DealsPage', variables: { first: PAGE_SIZE, after: offset === 0 ? null : cursorFor(offset - 1) } };
    },
  };
}

export function dealByIdShape(ids: string[]): Shape {
  return {
    name: 'deal(id) with company and people (random id)',
    operation(random) {
      const id = ids[Math.floor(random() * ids.length)]!;
      return { query: DEAL_BY_ID, operationName: 'DealById', variables: { id } };
    },
  };
}

/**
 * The same deals page every time: what a frontend or a BFF sends over and over. The gateway plans
 * the document once and serves the rest from its plan cache; the upstream call is still made.
 */
export function repeatedDealsPageShape(): Shape {
  return {
    name: `deals page repeated (first: ${PAGE_SIZE}, same page every time)`,
    operation() {
      return { query: DEALS_PAGE, operationName: 'DealsPage', variables: { first: PAGE_SIZE, after: null } };
    },
  };
}
