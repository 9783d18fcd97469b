import { createGatewayRuntime, type GatewayPlugin, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { composeServices } from '@theguild/federation-composition';
import { parse, type ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { gatewayOver, graphql, serveOverHttp, startTestSandbox, upstreamTotal, type GraphQLResponse } from '../helpers/gateway.js';
import { ORDERS_SDL, startOrdersSubgraph } from './orders-subgraph.js';

/**
 * The gateway in pass-through mode behind Hive Gateway: what a router must forward (the caller's
 * `Authorization`), and what reaches the caller through it (subgraph cost, `@defer`, subscriptions).
 */

let sandbox: RunningSandbox;
let served: { origin: string; close: () => Promise<void> };
let orders: Awaited<ReturnType<typeof startOrdersSubgraph>>;
let router: GatewayRuntime;
let company: { id: string };
const credential = () => `api-key ${sandbox.apiKey}`;

/** Cost of every call to the Clarify subgraph, per router request: the router itself drops subgraph `extensions`. */
function useSubgraphCost(): GatewayPlugin {
  const costs = new WeakMap<object, unknown[]>();
  return {
    onSubgraphExecute({ subgraphName, executionRequest }) {
      const context = executionRequest.context as object | undefined;
      if (subgraphName !== 'clarify' || !context) return undefined;
      return ({ result }) => {
        if (Symbol.asyncIterator in result) return;
        const cost = (result as ExecutionResult).extensions?.cost;
        if (cost !== undefined) costs.set(context, [...(costs.get(context) ?? []), cost]);
      };
    },
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          const context = args.contextValue as object;
          if (Symbol.asyncIterator in result || !costs.has(context)) return;
          setResult({ ...result, extensions: { ...result.extensions, clarifyCost: costs.get(context) } });
        },
      };
    },
  };
}

async function throughRouter(query: string, headers: Record<string, string> = {}): Promise<GraphQLResponse['body']> {
  const response = await router.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as GraphQLResponse['body'];
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  // Pass-through: no server key, every call carries the caller's own Authorization.
  const gateway = await gatewayOver(sandbox, { apiKey: undefined, federation: true, schemaReloadIntervalSeconds: 300, subscriptions: { minIntervalMs: 100, pollsPerMinute: 1_000_000 } });
  served = await serveOverHttp(gateway);
  const listed = await graphql(gateway, '{ companies(first: 1) { nodes { id } } }', { headers: { authorization: credential() } });
  company = (listed.body.data?.companies as { nodes: { id: string }[] }).nodes[0]!;
  orders = await startOrdersSubgraph([{ id: 'order-1', number: 'SO-1001', total: 1200, companyId: company.id }]);
  const service = await graphql(gateway, '{ _service { sdl } }', { headers: { authorization: credential() } });
  const sdl = (service.body.data?._service as { sdl: string }).sdl;
  const composition = composeServices([
    { name: 'clarify', typeDefs: parse(sdl), url: `${served.origin}/graphql` },
    { name: 'orders', typeDefs: parse(ORDERS_SDL), url: orders.url },
  ]);
  if (composition.errors) throw new Error(composition.errors.map((error) => error.message).join('\n'));
  router = createGatewayRuntime({
    supergraph: composition.supergraphSdl,
    logging: false,
    deferStream: true,
    // The caller's credential goes to the Clarify subgraph, and only there.
    propagateHeaders: {
      fromClientToSubgraphs: ({ request, subgraphName }) =>
        subgraphName === 'clarify' ? { authorization: request.headers.get('authorization') } : {},
    },
    plugins: () => [useSubgraphCost()],
  });
});

afterAll(async () => {
  await router?.dispose();
  await orders?.close();
  await served?.close();
  await sandbox?.close();
});

describe('the subgraph in pass-through mode behind Hive Gateway', () => {
  const query = `{ orders { number company { name deals { nodes { name } } } } }`;

  it('answers with the caller Authorization the router forwards, and refuses without it', async () => {
    const answered = await throughRouter(query, { authorization: credential() });
    expect(answered.errors).toBeUndefined();
    expect(answered.data?.orders).toMatchObject([{ number: 'SO-1001', company: { name: expect.any(String) } }]);

    const refused = await throughRouter(query);
    // The orders subgraph still answers; the Clarify fields fail with the gateway's own error, through the router.
    expect(refused.data?.orders).toMatchObject([{ number: 'SO-1001', company: { name: null } }]);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', serviceName: 'clarify' });
  });

  it("passes the subgraph's cost to the caller only through a router plugin", async () => {
    const before = await upstreamTotal(sandbox);
    const answered = await throughRouter(query, { authorization: credential() });
    expect((await upstreamTotal(sandbox)) - before).toBe(1);
    expect(answered.extensions?.cost).toBeUndefined();
    expect(answered.extensions?.clarifyCost).toMatchObject([{ predictedCalls: 1, actualCalls: 1 }]);
  });

  it('delivers @defer from the router, the subgraph answering plain queries', async () => {
    const response = await router.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed', authorization: credential() },
      body: JSON.stringify({ query: `{ orders { number ... @defer { company { name } } } }` }),
    });
    expect(response.headers.get('content-type')).toContain('multipart/mixed');
    const text = await response.text();
    expect(text).toContain('"number":"SO-1001"');
    expect(text).toContain('"incremental"');
  });

  it('streams a subscription through the router over SSE, with the forwarded credential', async () => {
    const controller = new AbortController();
    const response = await router.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: credential() },
      body: JSON.stringify({ query: 'subscription { dealChanged { kind record { name company { name } } } }' }),
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const changed = (async () => {
      while (!received.includes('Routed deal')) {
        const { value, done } = await reader.read();
        if (done) break;
        received += decoder.decode(value, { stream: true });
      }
    })();
    // Changes after the subscription started: write until the poller, started by the first poll, reports one.
    await expect
      .poll(
        async () => {
          await throughRouter(`mutation { createDeal(input: { name: "Routed deal", amount: ${Date.now() % 1000} }) { record { id } } }`, { authorization: credential() });
          return received.includes('Routed deal');
        },
        { timeout: 10_000, interval: 500 },
      )
      .toBe(true);
    controller.abort();
    await changed.catch(() => undefined);
    expect(received).toContain('"dealChanged"');
  });
});
