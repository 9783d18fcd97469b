import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DealsWithCompanyAndPeopleDocument, PersonByIdDocument } from '../generated/graphql.js';
import { duplicateFetches, startHarness, type Harness, type RunResult } from './harness.js';

let h: Harness;
/** The harness without the recording: for an upstream that breaks its contract, which no plan foresees. */
let unrecorded: Harness;
/** Every shape run below, checked against its prediction at the end. */
const shapes: { name: string; result: RunResult<unknown> }[] = [];
beforeAll(async () => {
  const harness = await startHarness();
  unrecorded = harness;
  const run = harness.run.bind(harness);
  h = {
    ...harness,
    run: async (document, variables) => {
      const result = await run(document, variables);
      shapes.push({ name: typeof document === 'string' ? document : 'typed document', result });
      return result;
    },
  };
});
afterAll(async () => h.close());

interface Nodes<T> {
  nodes: T[];
}
interface IdName {
  id: string;
  name: string;
}

async function firstId(object: string): Promise<string> {
  const body = (await h.rest(`/objects/${object}/resources?page[limit]=1`)) as { data: { id: string }[] };
  return body.data[0]!.id;
}

describe('upstream calls per query shape', () => {
  it('a list with to-one and to-many relationships is one call with include', async () => {
    const result = await h.run(DealsWithCompanyAndPeopleDocument, { first: 25 });
    expect(result.calls).toBe(1);
    expect(result.predicted).toBe(1);
    expect(result.fetches).toHaveLength(1);
    expect(result.fetches[0]).toContain('"include":["company_id","people","people.company_id"]');
    const deals = result.data.deals?.nodes ?? [];
    expect(deals).toHaveLength(25);
    expect(deals.some((d) => (d.people?.nodes.length ?? 0) > 0 && d.company)).toBe(true);
    for (const deal of deals) expect(deal.people?.totalCount).toBe(deal.people?.nodes.length);
  });

  it('three levels deep is still one call', async () => {
    const result = await h.run(`{
      companies(first: 5) { nodes { name deals { nodes { name people { nodes { name { fullName } company { domains } } } } } } }
    }`);
    expect(result.calls).toBe(1);
    expect(result.predicted).toBe(1);
    expect(result.fetches[0]).toContain('"include":["deals","deals.people","deals.people.company_id"]');
  });

  it('aliases and fragments that reach the same records fetch each record once', async () => {
    const result = await h.run(`
      fragment CompanyBits on Company { id name domains }
      fragment DealBits on Deal { name company { ...CompanyBits } }
      query {
        deals(first: 20) {
          nodes {
            ...DealBits
            again: company { ...CompanyBits industry }
            ... on Deal { people { nodes { company { ...CompanyBits } } } }
          }
        }
      }`);
    expect(result.calls).toBe(1);
    expect(duplicateFetches(result.fetches)).toEqual([]);
  });

  it('@skip and @include change what is included', async () => {
    const query = `query($withCompany: Boolean!) { deals(first: 3) { nodes { name company @include(if: $withCompany) { name } } } }`;
    const without = await h.run(query, { withCompany: false });
    expect(without.fetches[0]).toContain('"include":[]');
    const withCompany = await h.run(query, { withCompany: true });
    expect(withCompany.fetches[0]).toContain('"include":["company_id"]');
    expect(withCompany.calls).toBe(1);
  });

  it('a single record with everything: one GET, plus one for the owner user', async () => {
    const id = await firstId('deal');
    const result = await h.run(
      `query($id: ID!) { deal(id: $id) {
        id: clarifyId name amount stage closeDate description
        company { name domains people { totalCount nodes { name { fullName } } } }
        people { nodes { name { fullName } emailAddresses company { name } } }
        tasks { nodes { title status dueDate } }
        ownerId owner { email }
      } }`,
      { id },
    );
    expect(result.routes).toEqual({ 'GET /objects/:object/resources/:id': 1, 'GET /users/:id': 1 });
    expect(result.predicted).toBe(2);
    // The owner may be unset, and the people's page may be cut from an incomplete block.
    expect(result.exact).toBe(false);
    expect(result.data).toMatchObject({ deal: { id } });
  });

  it('a custom object joined to standard ones is one call', async () => {
    const result = await h.run(`{
      salesOrders(first: 10) { totalCount nodes { name amount status orderedOn company { name } deal { name stage people { nodes { name { fullName } } } } } }
    }`);
    expect(result.calls).toBe(1);
    expect(result.fetches[0]).toContain('"include":["company_id","deal_id","deal_id.people"]');
    const orders = (result.data as { salesOrders: Nodes<{ company: IdName | null }> }).salesOrders.nodes;
    expect(orders.some((o) => o.company !== null)).toBe(true);
  });

  it('owners of many records are read in one call to /users', async () => {
    const result = await h.run(`{ deals(first: 30) { nodes { owner { email } } } }`);
    expect(result.routes).toEqual({ 'GET /objects/:object/resources': 1, 'GET /users': 1 });
  });

  it('beyond the include depth, records load once each through the loader', async () => {
    const result = await h.run(`{
      people(first: 3) { nodes { company { deals { nodes { company { name people(first: 2) { nodes { name { fullName } } } } } } } } }
    }`);
    expect(duplicateFetches(result.fetches)).toEqual([]);
    expect(result.calls).toBeLessThanOrEqual(result.predicted);
    expect(result.calls).toBeGreaterThan(1);
  });

  it('a filtered to-many relationship uses the relationship endpoint once per parent', async () => {
    const result = await h.run(`{
      companies(first: 4) { nodes { name people(filter: { jobTitle: { isEmpty: false } }, first: 5) { totalCount nodes { jobTitle } } } }
    }`);
    expect(result.routes).toEqual({
      'GET /objects/:object/resources': 1,
      'GET /objects/:object/records/:id/relationships/:rel': 4,
    });
    expect(result.predicted).toBe(5);
  });

  it('an incomplete relationship block (fewer ids than its count) is read through the relationship endpoint', async () => {
    const companies = (await h.rest(`/objects/company/resources?page[limit]=100`)) as {
      data: { id: string; relationships: { people: { data: { id: string }[] } } }[];
    };
    const company = companies.data.find((c) => c.relationships.people.data.length >= 3)!;
    const members = company.relationships.people.data.map((r) => r.id);
    h.client.alterResource = (resource) => {
      const block = resource.relationships.people;
      if (block?.kind === 'many') block.data = block.data.slice(0, 1);
    };
    try {
      const result = await h.run(`query($id: ID!) { company(id: $id) { people(first: 50) { totalCount nodes { id: clarifyId } } } }`, { id: company.id });
      const people = (result.data as { company: { people: { totalCount: number; nodes: { id: string }[] } } }).company.people;
      expect(people.nodes.map((n) => n.id).sort()).toEqual([...members].sort());
      expect(people.totalCount).toBe(members.length);
      expect(result.routes).toEqual({
        'GET /objects/:object/resources/:id': 1,
        'GET /objects/:object/records/:id/relationships/:rel': 1,
      });
      // The plan expected the block to be complete (1 call), and said it could take one more.
      expect(result).toMatchObject({ calls: 2, predicted: 1, maxCalls: 2, exact: false });
    } finally {
      h.client.alterResource = undefined;
    }
  });

  it('relationship items that come back as identifiers only are loaded, each once', async () => {
    const company = await firstId('company');
    const query = `query($id: ID!) { company(id: $id) { people(first: 5, orderBy: { field: NAME, direction: ASC }) { nodes { id name { fullName } } } } }`;
    const full = await h.run(query, { id: company });
    h.client.alterRelationshipPage = (page) => {
      page.data = page.data.map((r) => ({ type: r.type, id: r.id, attributes: {}, relationships: {}, identifierOnly: true }));
      page.included = [];
    };
    try {
      // Clarify answers the relationship endpoint with full resources; identifiers alone are a
      // tolerated deviation, paid per record, and beyond what a plan can foresee.
      const bare = await unrecorded.run(query, { id: company });
      expect(bare.data).toEqual(full.data);
      const people = (full.data as { company: { people: Nodes<{ id: string }> } }).company.people.nodes;
      expect(bare.routes['GET /objects/:object/resources/:id']).toBe(1 + people.length);
      expect(duplicateFetches(bare.fetches)).toEqual([]);
    } finally {
      h.client.alterRelationshipPage = undefined;
    }
  });

  it('a failed relationship read costs only that field: its siblings and parents stay', async () => {
    await fetch(`${h.sandbox.origin}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: 'GET /objects/:object/records/:id/relationships/:rel', status: 500, count: 1 }),
    });
    const result = await h.runRaw<{ companies: Nodes<{ name: string; people: { totalCount: number } | null }> }>(
      `{ companies(first: 3) { nodes { name people(filter: { name: { isEmpty: false } }) { totalCount } } } deals(first: 1) { totalCount } }`,
    );
    const companies = result.data.companies.nodes;
    expect(companies).toHaveLength(3);
    expect(companies.filter((c) => c.people === null)).toHaveLength(1);
    expect(companies.filter((c) => c.people !== null && c.people.totalCount > 0)).toHaveLength(2);
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.path?.slice(0, 3)).toEqual(['companies', 'nodes', companies.findIndex((c) => c.people === null)]);
    expect((result.data as unknown as { deals: { totalCount: number } }).deals.totalCount).toBeGreaterThan(0);
  });

  it('an unordered to-many page is in the same order whichever way its records arrive', async () => {
    const deals = (await h.rest(`/objects/deal/resources?page[limit]=100`)) as { data: { id: string; attributes: { company_id: string | null } }[] };
    const deal = deals.data.find((d) => d.attributes.company_id)!;
    const companyId = deal.attributes.company_id!;
    const direct = await h.run(`query($id: ID!) { company(id: $id) { people(first: 5) { nodes { id } } } }`, { id: companyId });
    // Four levels down the people are beyond `include`, so they are fetched separately.
    const deep = await h.run(
      `query($id: ID!) { deal(id: $id) { company { deals(first: 50) { nodes { company { people(first: 5) { nodes { id } } } } } } } }`,
      { id: deal.id },
    );
    type People = { people: Nodes<{ id: string }> };
    const expected = (direct.data as { company: People }).company.people.nodes.map((n) => n.id);
    const nested = (deep.data as { deal: { company: { deals: Nodes<{ company: People }> } } }).deal.company.deals.nodes;
    expect(expected.length).toBeGreaterThan(1);
    for (const sibling of nested) expect(sibling.company.people.nodes.map((n) => n.id)).toEqual(expected);
    expect(deep.routes).toEqual({ 'GET /objects/:object/resources/:id': 1, 'GET /objects/:object/records/:id/relationships/:rel': 1 });
    expect(duplicateFetches(deep.fetches)).toEqual([]);
  });

  it('two root fields reading the same record make one call with their includes merged', async () => {
    const id = await firstId('person');
    const result = await h.run(
      `query($id: ID!) { a: person(id: $id) { id: clarifyId } b: person(id: $id) { name { fullName } company { name } } c: person(id: $id) { deals { totalCount } } }`,
      { id },
    );
    // At most 2: the deals page is cut from the person's block, unless that block is incomplete.
    expect(result).toMatchObject({ calls: 1, predicted: 1, maxCalls: 2 });
    expect(result.fetches).toEqual([`get person/${id}`]);
    const data = result.data as { a: { id: string }; b: { name: unknown; company: unknown }; c: { deals: { totalCount: number } } };
    expect(data.a.id).toBe(id);
    expect(data.b.name).not.toBeNull();
    expect(data.c.deals.totalCount).toBeGreaterThanOrEqual(0);

    const other = await firstId('company');
    const two = await h.run(`query($p: ID!, $c: ID!) { person(id: $p) { id } company(id: $c) { id } again: person(id: $p) { id } }`, { p: id, c: other });
    expect(two).toMatchObject({ calls: 2, predicted: 2, exact: true });
  });

  it('the two root fields share one fetch that includes what both select', async () => {
    const id = await firstId('person');
    const plain = await h.run(`query($id: ID!) { person(id: $id) { company { name } } }`, { id });
    const merged = await h.run(`query($id: ID!) { a: person(id: $id) { company { name } } b: person(id: $id) { deals { nodes { name } } } }`, { id });
    expect(plain.calls).toBe(1);
    expect(merged).toMatchObject({ calls: 1, predicted: 1 });
    // Both answers came from that one fetch: the company and the deals were included with it.
    const data = merged.data as { a: { company: unknown }; b: { deals: Nodes<{ name: string }> } };
    expect(data.a.company).toEqual((plain.data as { person: { company: unknown } }).person.company);
    expect(Array.isArray(data.b.deals.nodes)).toBe(true);
  });

  it('a single person by typed document', async () => {
    const id = await firstId('person');
    const result = await h.run(PersonByIdDocument, { id });
    expect(result.calls).toBe(1);
    expect(result.data.person?.clarifyId).toBe(id);
  });

  it('every shape above made at most the calls its plan allowed, and exactly the predicted ones where the plan was certain', () => {
    expect(shapes.length).toBeGreaterThanOrEqual(15);
    for (const { name, result } of shapes) {
      expect(result.calls, name).toBeLessThanOrEqual(result.maxCalls);
      expect(result.predicted, name).toBeLessThanOrEqual(result.maxCalls);
      if (result.exact) expect(result.calls, name).toBe(result.predicted);
    }
  });
});
