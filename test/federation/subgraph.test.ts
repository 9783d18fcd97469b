import { readFile } from 'node:fs/promises';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { composeServices, type CompositionResult } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { printWorkspaceSchema } from '../../src/cli/print-workspace-schema.js';
import { gatewayOver, graphql, serveOverHttp, startTestSandbox, upstreamTotal, type GraphQLResponse } from '../helpers/gateway.js';
import { ORDERS_SDL, startOrdersSubgraph, type Order } from './orders-subgraph.js';

interface Company {
  id: string;
  clarifyId: string;
}

const COMPANY_FIELDS = 'name domains industry deals { totalCount nodes { name amount stage } }';

let sandbox: RunningSandbox;
let gateway: Gateway;
let served: { origin: string; close: () => Promise<void> };
let orders: Awaited<ReturnType<typeof startOrdersSubgraph>>;
let companies: Company[];
let sdl: string;
let composition: CompositionResult;
let router: GatewayRuntime;

/** A GraphQL request to the router; its JSON answer. */
async function throughRouter(query: string, headers: Record<string, string> = {}): Promise<GraphQLResponse['body']> {
  const response = await router.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as GraphQLResponse['body'];
}

/** Runs `run` and returns its result with the upstream calls the sandbox served meanwhile. */
async function counted<T>(run: () => Promise<T>): Promise<{ result: T; calls: number }> {
  const before = await upstreamTotal(sandbox);
  const result = await run();
  return { result, calls: (await upstreamTotal(sandbox)) - before };
}

function composeWith(clarifyUrl: string, ordersUrl: string): CompositionResult {
  return composeServices([
    { name: 'clarify', typeDefs: parse(sdl), url: clarifyUrl },
    { name: 'orders', typeDefs: parse(ORDERS_SDL), url: ordersUrl },
  ]);
}

function supergraphOf(result: CompositionResult): string {
  if (result.errors) throw new Error(`composition failed:\n${result.errors.map((error) => error.message).join('\n')}`);
  return result.supergraphSdl;
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  gateway = await gatewayOver(sandbox, { federation: true });
  served = await serveOverHttp(gateway);
  const listed = await graphql(gateway, '{ companies(first: 5) { nodes { id clarifyId } } }');
  companies = (listed.body.data?.companies as { nodes: Company[] }).nodes;
  expect(companies).toHaveLength(5);
  const [first, second, third] = companies as [Company, Company, Company];
  const orderList: Order[] = [
    { id: 'order-1', number: 'SO-1001', total: 1200, companyId: first.id },
    { id: 'order-2', number: 'SO-1002', total: 80, companyId: first.id },
    { id: 'order-3', number: 'SO-1003', total: 4500.5, companyId: second.id },
    { id: 'order-4', number: 'SO-1004', total: 99, companyId: third.id },
  ];
  orders = await startOrdersSubgraph(orderList);
  const service = await graphql(gateway, '{ _service { sdl } }');
  sdl = (service.body.data?._service as { sdl: string }).sdl;
  composition = composeWith(`${served.origin}/graphql`, orders.url);
  router = createGatewayRuntime({ supergraph: supergraphOf(composition), logging: false });
});

afterAll(async () => {
  await router?.dispose();
  await orders?.close();
  await served?.close();
  await sandbox?.close();
});

describe('the gateway as a Federation v2 subgraph', () => {
  it('links the federation spec and keys every record type by id and clarifyId, and by a unique text field', () => {
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])');
    const keys = (type: string) => new RegExp(`type ${type} implements Node & Record((?:\\s+@key\\(fields: "\\w+"\\))*)\\s*\\{`).exec(sdl)?.[1]?.match(/"\w+"/g);
    for (const type of ['Company', 'Meeting', 'Person', 'Task', 'User']) expect(keys(type)).toEqual(['"id"', '"clarifyId"']);
    // Deals and the demo's custom sales orders are unique on their name; emails and domains are collections.
    for (const type of ['Deal', 'SalesOrder']) expect(keys(type)).toEqual(['"id"', '"clarifyId"', '"name"']);
  });

  it('composes with another subgraph without errors', () => {
    expect(composition.errors).toBeUndefined();
    expect(composition.supergraphSdl).toContain('@join__type(graph: CLARIFY, key: "id")');
    expect(composition.supergraphSdl).toContain('@join__type(graph: ORDERS, key: "id")');
  });

  it('answers a query across both subgraphs with the data of company(id:), one upstream call per distinct company', async () => {
    const { result, calls } = await counted(() => throughRouter(`{ orders { number total company { id ${COMPANY_FIELDS} } } }`));
    expect(result.errors).toBeUndefined();
    const answered = (result.data?.orders as { number: string; company: Record<string, unknown> & { id: string } }[]);
    expect(answered.map((order) => order.number)).toEqual(['SO-1001', 'SO-1002', 'SO-1003', 'SO-1004']);
    // Three distinct companies: three reads, each with `include=deals`.
    expect(calls).toBe(3);
    for (const order of answered) {
      const own = await graphql(gateway, `query ($id: ID!) { company(id: $id) { id ${COMPANY_FIELDS} } }`, { variables: { id: order.company.id } });
      expect(order.company).toEqual(own.body.data?.company);
    }
  });

  it('lets the other subgraph add fields to Company (Company.orders)', async () => {
    const [first] = companies as [Company];
    const { result, calls } = await counted(() => throughRouter(`{ company(id: "${first.id}") { name orders { number total } } }`));
    expect(result.errors).toBeUndefined();
    expect(result.data?.company).toMatchObject({ orders: [{ number: 'SO-1001', total: 1200 }, { number: 'SO-1002', total: 80 }] });
    expect(calls).toBe(1);
  });
});

describe('_entities', () => {
  const entities = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Company { id ${COMPANY_FIELDS} } } }`;

  it('reads 5 companies with their deals in 5 upstream calls, the same as 5 aliased company(id:) fields', async () => {
    const representations = companies.map((company) => ({ __typename: 'Company', id: company.id }));
    const viaEntities = await counted(() => graphql(gateway, entities, { variables: { representations } }));
    const aliases = companies.map((company, index) => `c${index}: company(id: "${company.id}") { id ${COMPANY_FIELDS} }`).join('\n');
    const viaAliases = await counted(() => graphql(gateway, `{ ${aliases} }`));

    expect(viaEntities.result.body.errors).toBeUndefined();
    expect(viaEntities.calls).toBe(5);
    expect(viaAliases.calls).toBe(5);
    // The same cost as the aliases: 5 reads predicted, at most one more per company whose deals block is incomplete.
    const cost = { predictedCalls: 5, maxCalls: 10, exact: false, actualCalls: 5 };
    expect(viaEntities.result.body.extensions?.cost).toMatchObject(cost);
    expect(viaAliases.result.body.extensions?.cost).toMatchObject(cost);
    expect(viaEntities.result.body.data?._entities).toEqual(companies.map((_, index) => viaAliases.result.body.data?.[`c${index}`]));
  });

  it('plans a filtered connection under _entities as under company(id:): the relationship endpoint once per company', async () => {
    const selection = 'name won: deals(filter: { amount: { gte: 1 } }, orderBy: { field: AMOUNT, direction: DESC }) { nodes { name amount } }';
    const representations = companies.map((company) => ({ __typename: 'Company', id: company.id }));
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Company { ${selection} } } }`;
    const viaEntities = await counted(() => graphql(gateway, query, { variables: { r: representations } }));
    const aliases = companies.map((company, index) => `c${index}: company(id: "${company.id}") { ${selection} }`).join('\n');
    const viaAliases = await counted(() => graphql(gateway, `{ ${aliases} }`));
    expect(viaEntities.result.body.errors).toBeUndefined();
    // 5 company reads, and 5 relationship-endpoint reads for the filtered, ordered deals.
    expect(viaEntities.calls).toBe(10);
    expect(viaAliases.calls).toBe(10);
    expect(viaEntities.result.body.extensions?.cost).toMatchObject({ predictedCalls: 10, actualCalls: 10 });
    expect(viaEntities.result.body.data?._entities).toEqual(companies.map((_, index) => viaAliases.result.body.data?.[`c${index}`]));
  });

  it('reads a record named several ways once: by global id, by Clarify id in id, and by the clarifyId key', async () => {
    const [first] = companies as [Company];
    const representations = [
      { __typename: 'Company', id: first.id },
      { __typename: 'Company', id: first.clarifyId },
      { __typename: 'Company', clarifyId: first.clarifyId },
    ];
    const { result, calls } = await counted(() => graphql(gateway, entities, { variables: { representations } }));
    expect(result.body.errors).toBeUndefined();
    const records = result.body.data?._entities as { id: string }[];
    expect(records.map((record) => record.id)).toEqual([first.id, first.id, first.id]);
    expect(calls).toBe(1);
    expect(result.body.extensions?.cost).toMatchObject({ predictedCalls: 1, actualCalls: 1 });
  });

  it('reads a deal by its unique name in one filtered list call with the include its selection needs', async () => {
    const listed = await graphql(gateway, '{ deals(first: 2) { nodes { id name } } }');
    const deals = (listed.body.data?.deals as { nodes: { id: string; name: string }[] }).nodes;
    const selection = 'id name amount company { name } people { nodes { name { fullName } } }';
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Deal { ${selection} } } }`;
    const representations = [...deals.map((deal) => ({ __typename: 'Deal', name: deal.name })), { __typename: 'Deal', name: deals[0]!.name }];
    const { result, calls } = await counted(() => graphql(gateway, query, { variables: { r: representations } }));
    expect(result.body.errors).toBeUndefined();
    // Two distinct names, two calls; the repeated name shares its read.
    expect(calls).toBe(2);
    expect(result.body.extensions?.cost).toMatchObject({ predictedCalls: 2, actualCalls: 2 });
    const own = await graphql(gateway, `query ($a: ID!, $b: ID!) { a: deal(id: $a) { ${selection} } b: deal(id: $b) { ${selection} } }`, {
      variables: { a: deals[0]!.id, b: deals[1]!.id },
    });
    expect(result.body.data?._entities).toEqual([own.body.data?.a, own.body.data?.b, own.body.data?.a]);

    const missing = await counted(() => graphql(gateway, query, { variables: { r: [{ __typename: 'Deal', name: 'No such deal' }] } }));
    expect(missing.result.body.data?._entities).toEqual([null]);
    expect(missing.calls).toBe(1);
  });

  it('answers null for a record that does not exist, and refuses a representation of no record type before any call', async () => {
    const missing = await counted(() =>
      graphql(gateway, entities, { variables: { representations: [{ __typename: 'Company', id: '00000000-0000-4000-8000-000000000000' }] } }),
    );
    expect(missing.result.body.data?._entities).toEqual([null]);
    expect(missing.calls).toBe(1);

    const [first] = companies as [Company];
    for (const representation of [{ __typename: 'Deal', id: first.id }, { __typename: 'Invoice', id: first.clarifyId }, { __typename: 'Company' }]) {
      const refused = await counted(() => graphql(gateway, entities, { variables: { representations: [representation] } }));
      expect(refused.result.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(refused.calls).toBe(0);
    }
  });

  it('is limited by COST_LIMIT like any operation', async () => {
    const limited = await gatewayOver(sandbox, { federation: true, limits: { cost: 3 } });
    try {
      const representations = companies.map((company) => ({ __typename: 'Company', id: company.id }));
      const { result, calls } = await counted(() => graphql(limited, entities, { variables: { representations } }));
      expect(result.body.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
      expect(calls).toBe(0);
    } finally {
      await limited.close();
    }
  });

  it('reads users from /users', async () => {
    const users = await graphql(gateway, '{ users(first: 2) { nodes { id email } } }');
    const nodes = (users.body.data?.users as { nodes: { id: string; email: string }[] }).nodes;
    const representations = nodes.map((user) => ({ __typename: 'User', id: user.id }));
    const { result, calls } = await counted(() =>
      graphql(gateway, 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email } } }', { variables: { r: representations } }),
    );
    expect(result.body.data?._entities).toEqual(nodes);
    expect(calls).toBe(1);
  });
});

describe('_service and the printed schema', () => {
  it('answers _service { sdl } with introspection off', async () => {
    const closed = await gatewayOver(sandbox, { federation: true, introspection: false });
    try {
      const response = await graphql(closed, '{ _service { sdl } }');
      expect(response.body.errors).toBeUndefined();
      expect((response.body.data?._service as { sdl: string }).sdl).toBe(sdl);
      const introspection = await graphql(closed, '{ __schema { queryType { name } } }');
      expect(introspection.body.errors).toBeDefined();
    } finally {
      await closed.close();
    }
  });

  it('prints the subgraph SDL with print-schema --federation', async () => {
    const printed = await printWorkspaceSchema({ apiUrl: sandbox.apiUrl, workspace: sandbox.workspace, apiKey: sandbox.apiKey, federation: true });
    expect(printed).toBe(`${sdl}\n`);
  });

  it('without federation has neither _service nor _entities, and prints the committed schema', async () => {
    const plain = await gatewayOver(sandbox);
    try {
      for (const query of ['{ _service { sdl } }', '{ _entities(representations: []) { __typename } }']) {
        const response = await graphql(plain, query);
        expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      }
    } finally {
      await plain.close();
    }
    const printed = await printWorkspaceSchema({ apiUrl: sandbox.apiUrl, workspace: sandbox.workspace, apiKey: sandbox.apiKey });
    const committed = await readFile(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
    expect(committed.endsWith(printed)).toBe(true);
    expect(printed).not.toContain('@key');
  });
});
