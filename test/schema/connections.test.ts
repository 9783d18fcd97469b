import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { planDocument } from '../../src/plan/planner.js';
import { buildGatewaySchema } from '../../src/schema/build-schema.js';
import { parseWorkspaceModel } from '../../src/workspace/parse-schemas.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ records: 3000 });
});
afterAll(async () => h.close());

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: { id: string } }[];
}

const PAGE = `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id: clarifyId } }`;

async function allPeopleIds(): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const body = (await h.rest(`/objects/person/resources?page[limit]=500&page[offset]=${offset}`)) as { data: { id: string }[] };
    ids.push(...body.data.map((r) => r.id));
    if (body.data.length < 500) return ids;
  }
}

describe('connections over offset paging', () => {
  it('pages forwards with cursors and exact pageInfo', async () => {
    const all = await allPeopleIds();
    expect(all.length).toBeGreaterThan(1200);
    const first = await h.run<{ people: Page }, Record<string, unknown>>(`query { people(first: 7) { ${PAGE} } }`);
    expect(first.data.people.totalCount).toBe(all.length);
    expect(first.data.people.edges.map((e) => e.node.id)).toEqual(all.slice(0, 7));
    expect(first.data.people.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await h.run<{ people: Page }, Record<string, unknown>>(`query($after: String) { people(first: 7, after: $after) { ${PAGE} } }`, {
      after: first.data.people.pageInfo.endCursor,
    });
    expect(second.data.people.edges.map((e) => e.node.id)).toEqual(all.slice(7, 14));
    expect(second.data.people.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(second.data.people.totalCount).toBe(all.length);
    // The page is read from its key (see key-cursors.test.ts); totalCount takes a call of its own.
    expect(second).toMatchObject({ calls: 2, predicted: 2 });
  });

  it('serves first above the upstream page size with several pages', async () => {
    const all = await allPeopleIds();
    const result = await h.run<{ people: Page }, Record<string, unknown>>(`{ people(first: 1200) { ${PAGE} } }`);
    expect(result.data.people.edges.map((e) => e.node.id)).toEqual(all.slice(0, 1200));
    expect(result.routes).toEqual({ 'GET /objects/:object/resources': 3 });
    expect(result.predicted).toBe(3);
    expect(result.fetches.map((f) => JSON.parse(f.slice(f.indexOf('{'))) as { limit: number; offset: number })).toMatchObject([
      { limit: 500, offset: 0 },
      { limit: 500, offset: 500 },
      { limit: 200, offset: 1000 },
    ]);
  });

  it('pages backwards with last and before', async () => {
    const all = await allPeopleIds();
    const tail = await h.run<{ people: Page }, Record<string, unknown>>(`{ people(last: 5) { ${PAGE} } }`);
    expect(tail.data.people.edges.map((e) => e.node.id)).toEqual(all.slice(-5));
    expect(tail.data.people.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(tail.calls).toBe(2);
    expect(tail.predicted).toBe(2);
    const before = await h.run<{ people: Page }, Record<string, unknown>>(`query($before: String) { people(last: 3, before: $before) { ${PAGE} } }`, {
      before: tail.data.people.pageInfo.startCursor,
    });
    expect(before.data.people.edges.map((e) => e.node.id)).toEqual(all.slice(-8, -5));
    expect(before).toMatchObject({ calls: 2, predicted: 2 });
  });

  it('rejects a cursor it did not give out and sizes out of range', async () => {
    const bad = await h.runRaw(`{ people(first: 2, after: "bm90LWEtY3Vyc29y") { totalCount } }`);
    expect(bad.errors?.[0]?.message).toContain('not a cursor');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.calls).toBe(0);
    const negative = await h.runRaw(`{ people(first: -1) { totalCount } }`);
    expect(negative.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(negative.calls).toBe(0);
  });

  it('a to-many relationship pages from the parent block, and through the endpoint when filtered or ordered', async () => {
    const companies = (await h.rest(`/objects/company/resources?page[limit]=500`)) as {
      data: { id: string; relationships: { people: { data: { id: string }[]; meta: { count: number } } } }[];
    };
    const big = companies.data.reduce((a, b) => (b.relationships.people.meta.count > a.relationships.people.meta.count ? b : a));
    const members = big.relationships.people.data.map((r) => r.id);
    expect(members.length).toBeGreaterThan(30);
    const query = `query($id: ID!, $after: String) { company(id: $id) { people(first: 10, after: $after) { ${PAGE} } } }`;
    const page1 = await h.run<{ company: { people: Page } }, Record<string, unknown>>(query, { id: big.id, after: null });
    expect(page1.data.company.people.edges.map((e) => e.node.id)).toEqual(members.slice(0, 10));
    expect(page1.data.company.people.totalCount).toBe(members.length);
    expect(page1.calls).toBe(1);
    const page2 = await h.run<{ company: { people: Page } }, Record<string, unknown>>(query, {
      id: big.id,
      after: page1.data.company.people.pageInfo.endCursor,
    });
    expect(page2.data.company.people.edges.map((e) => e.node.id)).toEqual(members.slice(10, 20));

    const ordered = await h.run<{ company: { people: Page & { nodes: { jobTitle: string | null }[] } } }, Record<string, unknown>>(
      `query($id: ID!) { company(id: $id) { people(first: 5, orderBy: { field: JOB_TITLE, direction: DESC }) { totalCount nodes { jobTitle } } } }`,
      { id: big.id },
    );
    expect(ordered.routes).toEqual({
      'GET /objects/:object/resources/:id': 1,
      'GET /objects/:object/records/:id/relationships/:rel': 1,
    });
    const titles = ordered.data.company.people.nodes.map((n) => n.jobTitle ?? '');
    expect([...titles].sort().reverse()).toEqual(titles);
  });
});

describe('single records', () => {
  it('an unknown id is null with no error', async () => {
    const result = await h.runRaw(`{ person(id: "00000000-0000-4000-8000-000000000000") { id } user(id: "system") { id } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ person: null, user: null });
  });

  it('an upstream failure is a typed error, not null', async () => {
    await fetch(`${h.sandbox.origin}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: 'GET /objects/:object/resources/:id', status: 500, count: 1 }),
    });
    const result = await h.runRaw(`{ person(id: "00000000-0000-4000-8000-000000000000") { id } }`);
    await fetch(`${h.sandbox.origin}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ clear: true }), headers: { 'content-type': 'application/json' } });
    expect(result.data).toEqual({ person: null });
    expect((result.errors?.[0]?.originalError as { code?: string } | undefined)?.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});

describe('filters Clarify cannot express', () => {
  it('are rejected before any upstream call', async () => {
    const cases = [
      `{ deals(filter: { company: { people: { company: { name: { is: "Acme" } } } } }) { totalCount } }`,
      `{ deals(filter: { stage: { in: [] } }) { totalCount } }`,
      `{ people(filter: { jobTitle: { in: ["CTO"] } }) { totalCount } }`,
      `{ companies(first: 2) { nodes { people(filter: { name: { is: "a" }, company: { people: { company: { name: { is: "x" } } } } }) { totalCount } } } }`,
    ];
    for (const source of cases) {
      const result = await h.runRaw(source);
      expect(result.errors?.length, source).toBeGreaterThan(0);
      expect(result.calls, source).toBe(0);
    }
    const deep = await h.runRaw(cases[0]!);
    expect(deep.errors?.[0]?.message).toContain('at most 2 relationship levels');
    const valid = await h.runRaw(
      `{ people(filter: { jobTitle: { is: "CTO" }, emailAddresses: { contains: "a" }, name: { isEmpty: false } }) { totalCount } }`,
    );
    expect(valid.errors).toBeUndefined();
    expect(valid.calls).toBe(1);
  });

  it('a comma inside a list value is refused, since Clarify separates values with commas', () => {
    const survey = {
      id: 'https://getclarify.ai/schemas/entities/c_survey',
      type: 'schema',
      attributes: {
        xClarifyLabel: { singular: 'Survey', plural: 'Surveys' },
        properties: { _id: { type: 'string' }, answer: { type: ['string', 'null'], enum: ['Yes, please', 'No', null] } },
      },
    };
    const schema = buildGatewaySchema(parseWorkspaceModel([survey]));
    const plan = (source: string) => planDocument({ schema, document: parse(source) })!.plan;
    expect(plan(`{ surveys(filter: { answer: { in: [NO] } }) { totalCount } }`).cost.predictedCalls).toBe(1);
    expect(plan(`{ surveys(filter: { answer: { is: YES_PLEASE } }) { totalCount } }`).cost.predictedCalls).toBe(1);
    const refused = plan(`{ surveys(filter: { answer: { in: [YES_PLEASE, NO] } }) { totalCount } }`);
    expect(refused.cost.predictedCalls).toBe(0);
    expect(refused.entry('surveys')?.error?.message).toMatch(/cannot contain one/);
  });
});

describe('filters through a to-one relationship on its id', () => {
  it('mean the FK itself, so isEmpty finds records without the relationship', async () => {
    const viaRelation = await h.run(`{ tasks(filter: { deal: { id: { isEmpty: true } } }) { totalCount } }`);
    const viaFk = await h.run(`{ tasks(filter: { dealId: { isEmpty: true } }) { totalCount } }`);
    const total = (r: { data: unknown }) => (r.data as { tasks: { totalCount: number } }).tasks.totalCount;
    expect(total(viaRelation)).toBeGreaterThan(0);
    expect(total(viaRelation)).toBe(total(viaFk));
    expect(viaRelation.fetches[0]).toContain('"path":"deal_id","operator":"Is empty"');
  });
});
