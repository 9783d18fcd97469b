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
