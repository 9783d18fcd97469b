import { parse, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClarifyClient } from '../../src/client/clarify-client.js';
import { PlanCache } from '../../src/plan/plan-cache.js';
import { startSandbox } from '../../src/sandbox/server.js';
import { buildGatewaySchema } from '../../src/schema/build-schema.js';
import { parseWorkspaceModel } from '../../src/workspace/parse-schemas.js';

let items: unknown[];
let schema: GraphQLSchema;

beforeAll(async () => {
  const sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
  const client = new ClarifyClient({ apiUrl: sandbox.apiUrl, workspace: sandbox.workspace });
  try {
    items = await client.listSchemas({ credential: `api-key ${sandbox.apiKey}` });
  } finally {
    await client.close();
    await sandbox.close();
  }
  schema = buildGatewaySchema(parseWorkspaceModel(items));
});
afterAll(() => undefined);

const QUERY = parse(`
  query Deals($first: Int, $withCompany: Boolean!, $label: String) {
    deals(first: $first) { nodes { name company @include(if: $withCompany) { name } } }
    echo: __typename @skip(if: false)
  }
`);

describe('the plan cache', () => {
  it('plans a repeated operation once', () => {
    const cache = new PlanCache();
    const variables = { first: 5, withCompany: true };
    const first = cache.planFor({ schema, document: QUERY, variables });
    const again = cache.planFor({ schema, document: QUERY, variables: { ...variables } });
    expect(cache.planned).toBe(1);
    expect(again).toBe(first);
    expect(first?.entry('deals')).toMatchObject({ kind: 'list', include: ['company_id'] });
  });

  it('re-plans when a variable the plan read changes, and not for one it never read', () => {
    const cache = new PlanCache();
    cache.planFor({ schema, document: QUERY, variables: { first: 5, withCompany: true, label: 'a' } });
    cache.planFor({ schema, document: QUERY, variables: { first: 5, withCompany: true, label: 'b' } });
    expect(cache.planned).toBe(1);
    const without = cache.planFor({ schema, document: QUERY, variables: { first: 5, withCompany: false } });
    expect(cache.planned).toBe(2);
    expect(without?.entry('deals')).toMatchObject({ include: [] });
    const bigger = cache.planFor({ schema, document: QUERY, variables: { first: 1200, withCompany: false } });
    expect(cache.planned).toBe(3);
    expect(bigger?.cost.predictedCalls).toBe(3);
  });

  it('keys plans by operation name', () => {
    const document = parse(`query A { deals(first: 1) { totalCount } } query B { people(last: 2) { totalCount } }`);
    const cache = new PlanCache();
    const a = cache.planFor({ schema, document, operationName: 'A' });
    const b = cache.planFor({ schema, document, operationName: 'B' });
    expect(a?.cost.predictedCalls).toBe(1);
    expect(b?.cost.predictedCalls).toBe(2);
    expect(cache.planned).toBe(2);
  });

  it('re-plans for a new schema, and after clear()', () => {
    const cache = new PlanCache();
    const variables = { first: 5, withCompany: true };
    cache.planFor({ schema, document: QUERY, variables });
    const rebuilt = buildGatewaySchema(parseWorkspaceModel(items));
    cache.planFor({ schema: rebuilt, document: QUERY, variables });
    expect(cache.planned).toBe(2);
    cache.clear();
    cache.planFor({ schema: rebuilt, document: QUERY, variables });
    expect(cache.planned).toBe(3);
  });

  it('stays within its bound, dropping the least recently used', () => {
    const cache = new PlanCache({ maxEntries: 2 });
    const documents = [1, 2, 3].map((n) => parse(`{ deals(first: ${n}) { totalCount } }`));
    const [one, two, three] = documents;
    cache.planFor({ schema, document: one! });
    cache.planFor({ schema, document: two! });
    cache.planFor({ schema, document: one! });
    cache.planFor({ schema, document: three! });
    expect(cache.size).toBe(2);
    expect(cache.planned).toBe(3);
    cache.planFor({ schema, document: one! });
    expect(cache.planned).toBe(3);
    cache.planFor({ schema, document: two! });
    expect(cache.planned).toBe(4);
  });
});

const cursor = (offset: number) => Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');

describe('plans reused with other values', () => {
  const PAGE = parse(`
    query Page($first: Int!, $after: String) {
      deals(first: $first, after: $after) { nodes { name company { name } people { nodes { name { fullName } } } } }
    }
  `);

  it('plans a page once for any cursor, and each plan carries its own cursor', () => {
    const cache = new PlanCache();
    const first = cache.planFor({ schema, document: PAGE, variables: { first: 20, after: null } });
    expect(first?.entry('deals')).toMatchObject({ kind: 'list', include: ['company_id', 'people'], list: { page: { first: 20, afterOffset: 0 } } });
    for (const offset of [17, 3, 999, 17, 4242, 0, 11_000]) {
      const plan = cache.planFor({ schema, document: PAGE, variables: { first: 20, after: cursor(offset) } });
      expect(plan?.entry('deals')).toMatchObject({ kind: 'list', include: ['company_id', 'people'], list: { page: { first: 20, afterOffset: offset + 1 } } });
      expect(plan?.cost).toEqual(first?.cost);
    }
    expect(cache.planned).toBe(1);
    // The plan made first still holds its own cursor.
    expect(first?.entry('deals')).toMatchObject({ list: { page: { afterOffset: 0 } } });
  });

  it('plans again for another page size, and refuses a cursor it did not give out without reusing that refusal for good ones', () => {
    const cache = new PlanCache();
    cache.planFor({ schema, document: PAGE, variables: { first: 20, after: cursor(5) } });
    const bigger = cache.planFor({ schema, document: PAGE, variables: { first: 600, after: cursor(5) } });
    expect(bigger?.cost.predictedCalls).toBe(2);
    expect(cache.planned).toBe(2);
    const bad = cache.planFor({ schema, document: PAGE, variables: { first: 20, after: 'not-a-cursor' } });
    expect(bad?.entry('deals')).toMatchObject({ kind: 'refused' });
    expect(bad?.cost.predictedCalls).toBe(0);
    expect(cache.planned).toBe(3);
    const good = cache.planFor({ schema, document: PAGE, variables: { first: 20, after: cursor(8) } });
    expect(good?.entry('deals')).toMatchObject({ kind: 'list', list: { page: { afterOffset: 9 } } });
    expect(cache.planned).toBe(3);
  });

  it('keeps `last` with and without `before` apart: only without it is the total read first', () => {
    const document = parse('query($before: String) { deals(last: 5, before: $before) { nodes { name } } }');
    const cache = new PlanCache();
    const withBefore = cache.planFor({ schema, document, variables: { before: cursor(40) } });
    expect(withBefore?.cost.predictedCalls).toBe(1);
    const without = cache.planFor({ schema, document, variables: { before: null } });
    expect(without?.cost.predictedCalls).toBe(2);
    const again = cache.planFor({ schema, document, variables: { before: cursor(90) } });
    expect(again?.cost.predictedCalls).toBe(1);
    expect(again?.entry('deals')).toMatchObject({ list: { page: { last: 5, beforeOffset: 90 } } });
    expect(cache.planned).toBe(2);
  });

  it('plans a record by id once for any id', () => {
    const document = parse('query($id: ID!) { deal(id: $id) { name company { name } people { nodes { name { fullName } } } } }');
    const cache = new PlanCache();
    for (const id of ['d1', 'd2', 'd3', 'd1', 'x-9']) {
      const plan = cache.planFor({ schema, document, variables: { id } });
      expect(plan?.entry('deal')).toEqual({ kind: 'single', object: 'deal', include: ['company_id', 'people'], share: `deal\u0000${id}` });
      // `people` may read the relationship endpoint when the block is incomplete.
      expect(plan?.cost).toEqual({ predictedCalls: 1, maxCalls: 2, exact: false });
    }
    expect(cache.planned).toBe(1);
  });

  it('shares one call between root fields reading the same id, and keeps a plan for equal and one for different ids', () => {
    const document = parse(`
      query($x: ID!, $y: ID!) {
        a: deal(id: $x) { name company { name } }
        b: deal(id: $y) { amount people { nodes { name { fullName } } } }
      }
    `);
    const cache = new PlanCache();
    const check = (x: string, y: string): void => {
      const plan = cache.planFor({ schema, document, variables: { x, y } });
      const a = plan?.entry('a');
      const b = plan?.entry('b');
      expect(a).toMatchObject({ kind: 'single', share: `deal\u0000${x}` });
      expect(b).toMatchObject({ kind: 'single', share: `deal\u0000${y}` });
      if (x === y) {
        expect(plan?.cost.predictedCalls).toBe(1);
        expect(a).toMatchObject({ include: ['company_id', 'people'] });
        expect(b).toMatchObject({ include: ['company_id', 'people'] });
      } else {
        expect(plan?.cost.predictedCalls).toBe(2);
        expect(a).toMatchObject({ include: ['company_id'] });
        expect(b).toMatchObject({ include: ['people'] });
      }
    };
    check('d1', 'd1');
    check('d1', 'd2');
    check('d3', 'd3');
    check('d4', 'd5');
    check('d2', 'd1');
    check('d9', 'd9');
    expect(cache.planned).toBe(2);
  });

  it('shares with a literal id only when the variable holds that id', () => {
    const document = parse('query($y: ID!) { a: deal(id: "d1") { name } b: deal(id: $y) { amount } }');
    const cache = new PlanCache();
    expect(cache.planFor({ schema, document, variables: { y: 'd1' } })?.cost.predictedCalls).toBe(1);
    expect(cache.planFor({ schema, document, variables: { y: 'd2' } })?.cost.predictedCalls).toBe(2);
    expect(cache.planFor({ schema, document, variables: { y: 'd3' } })?.cost.predictedCalls).toBe(2);
    expect(cache.planFor({ schema, document, variables: { y: 'd1' } })?.cost.predictedCalls).toBe(1);
    expect(cache.planned).toBe(2);
  });

  it("compiles a filter from each request's variables, at any depth, without planning again", () => {
    const document = parse(`
      query($q: String, $min: Float, $f: DealFilter, $title: String) {
        deals(first: 10, filter: { name: { contains: $q }, amount: { gt: $min } }) { nodes { name } }
        other: deals(first: 10, filter: $f) { nodes { name } }
        companies(first: 3) { nodes { people(first: 5, filter: { jobTitle: { is: $title } }) { nodes { name { fullName } } } } }
      }
    `);
    const cache = new PlanCache();
    const plan = (variables: Record<string, unknown>) => cache.planFor({ schema, document, variables });
    const first = plan({ q: 'Ac', min: 10, f: { name: { startsWith: 'B' } }, title: 'CEO' });
    const second = plan({ q: 'Zed', min: 2500, f: { amount: { lt: 7 }, stage: { is: 'WON' } }, title: 'CTO' });
    expect(first?.entry('deals')).toMatchObject({
      list: { filter: [{ path: 'amount', operator: 'Greater than', value: '10' }, { path: 'name', operator: 'Contains', value: 'Ac' }] },
    });
    expect(second?.entry('deals')).toMatchObject({
      list: { filter: [{ path: 'amount', operator: 'Greater than', value: '2500' }, { path: 'name', operator: 'Contains', value: 'Zed' }] },
    });
    expect(first?.entry('other')).toMatchObject({ list: { filter: [{ path: 'name', operator: 'Starts with', value: 'B' }] } });
    expect(second?.entry('other')).toMatchObject({
      list: { filter: [{ path: 'amount', operator: 'Less than', value: '7' }, { path: 'stage', operator: 'Is' }] },
    });
    expect(first?.entry('companies.nodes.people')).toMatchObject({ route: 'endpoint', list: { filter: [{ path: 'job_title', value: 'CEO' }] } });
    expect(second?.entry('companies.nodes.people')).toMatchObject({ route: 'endpoint', list: { filter: [{ path: 'job_title', value: 'CTO' }] } });
    expect(second?.cost).toEqual(first?.cost);
    // One operand left out drops its condition, still from the same plan.
    const without = plan({ q: 'Ac', min: null, f: { name: { startsWith: 'B' } }, title: 'CEO' });
    expect(without?.entry('deals')).toMatchObject({ list: { filter: [{ path: 'name', operator: 'Contains', value: 'Ac' }] } });
    expect(cache.planned).toBe(1);
  });

  it('plans again when a filter variable changes the route or is refused', () => {
    const document = parse('query($f: PersonFilter) { companies(first: 3) { nodes { people(first: 5, filter: $f) { nodes { id } } } } }');
    const cache = new PlanCache();
    const filtered = cache.planFor({ schema, document, variables: { f: { jobTitle: { isEmpty: false } } } });
    expect(filtered?.entry('companies.nodes.people')).toMatchObject({ route: 'endpoint' });
    expect(filtered?.cost.predictedCalls).toBe(4);
    const unfiltered = cache.planFor({ schema, document, variables: { f: null } });
    expect(unfiltered?.entry('companies.nodes.people')).toMatchObject({ route: 'block' });
    expect(unfiltered?.cost.predictedCalls).toBe(1);
    expect(cache.planned).toBe(2);
    const refused = cache.planFor({ schema, document, variables: { f: { jobTitle: { in: [] } } } });
    expect(refused?.entry('companies')).toMatchObject({ kind: 'refused' });
    expect(cache.planned).toBe(3);
    const again = cache.planFor({ schema, document, variables: { f: { jobTitle: { is: 'CFO' } } } });
    expect(again?.entry('companies.nodes.people')).toMatchObject({ route: 'endpoint', list: { filter: [{ value: 'CFO' }] } });
    expect(cache.planned).toBe(3);
  });
});
