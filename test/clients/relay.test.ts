import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createOperationDescriptor, Environment, fetchQuery, getSingularSelector, Network, RecordSource, Store, type GraphQLResponse } from 'relay-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../src/plan/global-id.js';
import { startHarness, type Harness } from '../schema/harness.js';
import CompanyPeopleFragment from './relay/src/__generated__/CompanyPeople_company.graphql.js';
import CompanyPeoplePaginationQuery from './relay/src/__generated__/CompanyPeoplePaginationQuery.graphql.js';
import CompanyPeopleQuery from './relay/src/__generated__/CompanyPeopleQuery.graphql.js';
import DealCardRefetchQuery from './relay/src/__generated__/DealCardRefetchQuery.graphql.js';

// Relay against the gateway: relay-compiler (its own binary, from its npm package) compiles the
// fragments in test/clients/relay/src with relay.config.json, and the compiled queries run as
// Relay sends them.

const relayProject = join(dirname(fileURLToPath(import.meta.url)), 'relay');
const relayCli = createRequire(import.meta.url).resolve('relay-compiler/cli.js');

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

interface Listed {
  data: { id: string; attributes: Record<string, unknown>; relationships: Record<string, { data: unknown }> }[];
}

async function recordWith(object: string, relationship: string, atLeast: number): Promise<string> {
  const body = (await h.rest(`/objects/${object}/resources?page[limit]=100`)) as Listed;
  const found = body.data.find((r) => Array.isArray(r.relationships[relationship]?.data) && (r.relationships[relationship].data as unknown[]).length >= atLeast);
  if (!found) throw new Error(`no ${object} with ${atLeast} ${relationship}`);
  return found.id;
}

function textOf(request: { params: { text?: string | null } }): string {
  const text = request.params.text;
  if (!text) throw new Error('the compiled query has no text');
  return text;
}

describe('Relay', () => {
  it('relay-compiler compiles the refetchable Deal fragment and the Company.people connection, and the artifacts are current', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [relayCli, '--validate', 'relay.config.json'], { cwd: relayProject });
    expect(`${stdout}${stderr}`).not.toMatch(/ERROR/);
    expect(textOf(DealCardRefetchQuery)).toContain('node(id: $id)');
    expect(textOf(CompanyPeoplePaginationQuery)).toContain('people(first: $count, after: $cursor)');
  });

  it('the compiled refetch query of a deal returns the deal with the same upstream calls as deal(id:)', async () => {
    const id = await recordWith('deal', 'people', 2);
    const refetch = await h.run<{ node: Record<string, unknown> }, { id: string }>(textOf(DealCardRefetchQuery), { id: encodeGlobalId('deal', id) });
    const direct = await h.run<{ deal: Record<string, unknown> }, { id: string }>(
      `query ($id: ID!) { deal(id: $id) { __typename name amount company { name id } people(first: 10) { nodes { id name { fullName } } } id } }`,
      { id },
    );
    expect(refetch.data.node).toEqual(direct.data.deal);
    expect(refetch.fetches).toEqual(direct.fetches);
    expect(refetch.calls).toBe(1);
    expect(refetch.predicted).toBe(1);
  });

  it('the compiled pagination query pages Company.people like company(id:) { people(first, after) }, and Relay merges the pages', async () => {
    const id = await recordWith('company', 'people', 5);
    const global = encodeGlobalId('company', id);
    const network = Network.create(async (params, variables) => {
      const result = await h.runRaw(params.text ?? '', variables);
      return { data: result.data, ...(result.errors ? { errors: result.errors } : {}) } as GraphQLResponse;
    });
    const environment = new Environment({ network, store: new Store(new RecordSource()) });
    await fetchQuery(environment, CompanyPeopleQuery, { id }).toPromise();
    const operation = createOperationDescriptor(CompanyPeopleQuery, { id });
    const root = environment.lookup(operation.fragment).data as { company: unknown };
    const selector = getSingularSelector(CompanyPeopleFragment, root.company);
    type People = { name: string; people: { edges: { cursor: string; node: { id: string; name: { fullName: string } } }[]; pageInfo: { endCursor: string; hasNextPage: boolean } } };
    const firstPage = environment.lookup(selector).data as People;
    expect(firstPage.people.edges).toHaveLength(3);
    expect(firstPage.people.pageInfo.hasNextPage).toBe(true);

    const variables = { id: global, count: 3, cursor: firstPage.people.pageInfo.endCursor };
    const next = await h.run<{ node: { people: { edges: { node: { id: string } }[] } } }, typeof variables>(textOf(CompanyPeoplePaginationQuery), variables);
    const direct = await h.run<{ company: { people: { edges: { node: { id: string } }[] } } }, { id: string; after: string }>(
      `query ($id: ID!, $after: String) { company(id: $id) { __typename name people(first: 3, after: $after) { edges { node { id name { fullName } __typename } cursor } pageInfo { endCursor hasNextPage } } id } }`,
      { id, after: variables.cursor },
    );
    expect(next.data.node).toEqual(direct.data.company);
    expect(next.fetches).toEqual(direct.fetches);
    expect(next.calls).toBe(1);

    await fetchQuery(environment, CompanyPeoplePaginationQuery, variables).toPromise();
    const merged = environment.lookup(selector).data as People;
    expect(merged.people.edges.map((e) => e.node.id)).toEqual([
      ...firstPage.people.edges.map((e) => e.node.id),
      ...next.data.node.people.edges.map((e) => e.node.id),
    ]);
    expect(new Set(merged.people.edges.map((e) => e.node.id)).size).toBe(6);
  });
});
