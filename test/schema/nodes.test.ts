import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalId, encodeGlobalId } from '../../src/plan/global-id.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

interface Listed {
  data: { id: string; attributes: Record<string, unknown>; relationships?: Record<string, { data: unknown }> }[];
}

async function dealWithPeople(): Promise<{ id: string; companyId: string }> {
  const body = (await h.rest('/objects/deal/resources?page[limit]=50')) as Listed;
  const deal = body.data.find((d) => typeof d.attributes.company_id === 'string' && Array.isArray(d.relationships?.people?.data) && (d.relationships.people.data as unknown[]).length > 1);
  if (!deal) throw new Error('no deal with a company and people in the demo data');
  return { id: deal.id, companyId: deal.attributes.company_id as string };
}

const DEAL_FIELDS = `name amount company { name domains } people(first: 10) { nodes { id name { fullName } company { name } } }`;

describe('global ids', () => {
  it('a record reads back its global id as `id` and its Clarify id as `clarifyId`', async () => {
    const { id } = await dealWithPeople();
    const result = await h.run<{ deal: { id: string; clarifyId: string } }, { id: string }>(`query ($id: ID!) { deal(id: $id) { id clarifyId } }`, { id });
    expect(result.data.deal.clarifyId).toBe(id);
    expect(result.data.deal.id).toBe(encodeGlobalId('deal', id));
    expect(decodeGlobalId(result.data.deal.id)).toEqual({ kind: 'deal', id });
    expect(result.calls).toBe(1);
  });

  it('a Clarify id is never taken for a global id', () => {
    for (const id of ['3f6c1a52-8d0e-4b7a-9c11-5e2f7a9b0d41', 'user_01J8ZK3T5XQ0C8D7M2N4P6R9SV', 'google-oauth2|106', 'abc', 'ZGVhbA', '']) {
      expect(decodeGlobalId(id)).toBeUndefined();
    }
  });

  it('every ID argument takes the global id and the Clarify id alike: root reads, filters, mutations', async () => {
    const { id, companyId } = await dealWithPeople();
    const global = encodeGlobalId('deal', id);
    const companyGlobal = encodeGlobalId('company', companyId);
    for (const value of [id, global]) {
      const inline = await h.run<{ deal: { clarifyId: string } }, Record<string, never>>(`{ deal(id: "${value}") { clarifyId } }`);
      expect(inline.data.deal.clarifyId).toBe(id);
      const asVariable = await h.run<{ deal: { clarifyId: string } }, { id: string }>(`query ($id: ID!) { deal(id: $id) { clarifyId } }`, { id: value });
      expect(asVariable.data.deal.clarifyId).toBe(id);
    }
    const filtered = await h.run<{ deals: { nodes: { clarifyId: string }[] } }, { company: string }>(
      `query ($company: ID!) { deals(filter: { companyId: { is: $company } }) { nodes { clarifyId } } }`,
      { company: companyGlobal },
    );
    expect(filtered.data.deals.nodes.map((d) => d.clarifyId)).toContain(id);
    expect(filtered.fetches[0]).toContain(companyId);
    const updated = await h.run<{ updateDeal: { record: { id: string; description: string } } }, { id: string }>(
      `mutation ($id: ID!) { updateDeal(id: $id, input: { description: "by global id" }) { record { id description } } }`,
      { id: global },
    );
    expect(updated.data.updateDeal.record).toEqual({ id: global, description: 'by global id' });
  });
});

describe('node(id:) and nodes(ids:)', () => {
  it('a Relay refetch query on a deal makes the same calls as deal(id:), inline and with variables', async () => {
    const { id } = await dealWithPeople();
    const global = encodeGlobalId('deal', id);
    const byDeal = await h.run<{ deal: Record<string, unknown> }, { id: string }>(`query ($id: ID!) { deal(id: $id) { id ${DEAL_FIELDS} } }`, { id });
    const refetch = await h.run<{ node: Record<string, unknown> }, { id: string }>(
      `query DealRefetchQuery($id: ID!) { node(id: $id) { __typename ...DealFragment id } }
       fragment DealFragment on Deal { id ${DEAL_FIELDS} }`,
      { id: global },
    );
    const inline = await h.run<{ node: Record<string, unknown> }, Record<string, never>>(
      `{ node(id: "${global}") { id ... on Person { jobTitle deals { nodes { name } } } ... on Deal { ${DEAL_FIELDS} } } }`,
    );
    expect(refetch.data.node).toEqual({ __typename: 'Deal', ...byDeal.data.deal });
    expect(inline.data.node).toEqual(byDeal.data.deal);
    expect(byDeal.calls).toBe(1);
    for (const result of [refetch, inline]) {
      expect(result.calls).toBe(1);
      expect(result.predicted).toBe(1);
      expect(result.fetches).toEqual(byDeal.fetches);
    }
  });

  it('node(id:) with a person, a user and a comment', async () => {
    const person = ((await h.rest('/objects/person/resources?page[limit]=1')) as Listed).data[0]!;
    const user = ((await h.rest('/users?page[limit]=1')) as Listed).data[0]!;
    const created = await h.run<{ createComment: { comment: { id: string; clarifyId: string } } }, { recordId: string }>(
      `mutation ($recordId: ID!) { createComment(input: { object: PERSON, recordId: $recordId, body: { plainText: "Hello" } }) { comment { id clarifyId } } }`,
      { recordId: encodeGlobalId('person', person.id) },
    );
    const comment = created.data.createComment.comment;
    expect(comment.id).toBe(encodeGlobalId('comment', comment.clarifyId));
    const result = await h.run<{ p: unknown; u: unknown; c: unknown }, Record<string, string>>(
      `query ($p: ID!, $u: ID!, $c: ID!) {
        p: node(id: $p) { __typename id ... on Person { clarifyId } }
        u: node(id: $u) { __typename id ... on User { clarifyId } }
        c: node(id: $c) { __typename id ... on Comment { body { plainText } } }
      }`,
      { p: encodeGlobalId('person', person.id), u: encodeGlobalId('user', user.id), c: comment.id },
    );
    expect(result.data).toEqual({
      p: { __typename: 'Person', id: encodeGlobalId('person', person.id), clarifyId: person.id },
      u: { __typename: 'User', id: encodeGlobalId('user', user.id), clarifyId: user.id },
      c: { __typename: 'Comment', id: comment.id, body: { plainText: 'Hello' } },
    });
    expect(result.calls).toBe(3);
    expect(result.predicted).toBe(3);
  });

  it('nodes(ids:) reads each distinct record once, shared with the operation\'s other reads of it', async () => {
    const deals = ((await h.rest('/objects/deal/resources?page[limit]=3')) as Listed).data;
    const person = ((await h.rest('/objects/person/resources?page[limit]=1')) as Listed).data[0]!;
    const ids = [...deals.map((d) => encodeGlobalId('deal', d.id)), encodeGlobalId('person', person.id), encodeGlobalId('deal', deals[0]!.id)];
    const result = await h.run<{ nodes: ({ clarifyId: string; company?: { name: string } | null } | null)[]; deal: { name: string } }, { ids: string[]; first: string }>(
      `query ($ids: [ID!]!, $first: ID!) {
        nodes(ids: $ids) { ... on Record { clarifyId } ... on Deal { company { name } } ... on Person { company { name } } }
        deal(id: $first) { name }
      }`,
      { ids, first: deals[0]!.id },
    );
    expect(result.data.nodes.map((n) => n?.clarifyId)).toEqual([...deals.map((d) => d.id), person.id, deals[0]!.id]);
    expect(result.data.nodes[0]).toEqual(result.data.nodes[4]);
    expect(result.calls).toBe(4);
    expect(result.predicted).toBe(4);
    const gets = result.fetches.filter((f) => f.startsWith('get '));
    expect(new Set(gets).size).toBe(gets.length);
    expect(result.data.nodes.filter((n) => n?.company).length).toBeGreaterThan(0);
  });

  it('nodes(ids:) reads several users in one call to /users', async () => {
    const users = ((await h.rest('/users?page[limit]=3')) as Listed).data;
    expect(users.length).toBeGreaterThan(1);
    const result = await h.run<{ nodes: { clarifyId: string }[] }, { ids: string[] }>(`query ($ids: [ID!]!) { nodes(ids: $ids) { ... on User { clarifyId } } }`, {
      ids: users.map((u) => encodeGlobalId('user', u.id)),
    });
    expect(result.data.nodes.map((n) => n.clarifyId)).toEqual(users.map((u) => u.id));
    expect(result.routes).toEqual({ 'GET /users': 1 });
    expect(result).toMatchObject({ calls: 1, predicted: users.length, exact: false });
  });

  it('nodes(ids:) answers null for a record that does not exist, and a Clarify id is refused with no call', async () => {
    const missing = encodeGlobalId('deal', '00000000-0000-4000-8000-000000000000');
    const result = await h.run<{ nodes: unknown[] }, { ids: string[] }>(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [missing] });
    expect(result.data.nodes).toEqual([null]);
    expect(result.calls).toBe(1);
    const { id } = await dealWithPeople();
    for (const [source, variables] of [
      [`{ node(id: "${id}") { id } }`, undefined],
      [`query ($id: ID!) { node(id: $id) { id } }`, { id }],
      [`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [encodeGlobalId('deal', id), id] }],
    ] as const) {
      const refused = await h.runRaw(source, variables);
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(refused.errors?.[0]?.message).toContain('global id');
      expect(refused.calls).toBe(0);
    }
  });

  it('a global id whose Clarify id no record can have (`..`, empty) names nothing: refused with no call, as a comment or a saved list too', async () => {
    for (const id of [encodeGlobalId('comment', '..'), encodeGlobalId('list', '..', 'deal'), encodeGlobalId('deal', '.'), encodeGlobalId('person', ' ')]) {
      const refused = await h.runRaw(`query ($id: ID!) { node(id: $id) { id } }`, { id });
      expect(refused.errors?.[0]?.extensions?.code, id).toBe('BAD_USER_INPUT');
      expect(refused.calls).toBe(0);
    }
  });
});
