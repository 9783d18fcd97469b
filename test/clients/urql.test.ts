import { Client, fetchExchange, gql, subscriptionExchange, type SubscriptionForwarder } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveStack, type LiveStack } from '../helpers/live-stack.js';

// urql with graphcache against the gateway, configured as docs/clients.md shows it.

let stack: LiveStack;
beforeAll(async () => {
  stack = await startLiveStack();
});
afterAll(async () => stack?.close());

function urqlClient(transport: 'sse' | 'ws'): { client: Client; close: () => void } {
  const sse = createSseClient({ url: stack.url, singleConnection: true, retryAttempts: 0 });
  const ws = createWsClient({ url: stack.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
  const forwardSubscription: SubscriptionForwarder = (request) => {
    const input = { ...request, query: request.query ?? '' };
    return {
      subscribe(sink) {
        const unsubscribe = transport === 'sse' ? sse.subscribe(input, sink) : ws.subscribe(input, sink);
        return { unsubscribe };
      },
    };
  };
  const client = new Client({
    url: stack.url,
    exchanges: [
      cacheExchange({
        // Types without an id are embedded in their parent.
        keys: { DealConnection: () => null, DealEdge: () => null, PageInfo: () => null, PersonName: () => null, DealChange: () => null },
        resolvers: { Query: { deals: relayPagination() } },
      }),
      fetchExchange,
      subscriptionExchange({ forwardSubscription }),
    ],
  });
  return { client, close: () => (sse.dispose(), void ws.dispose()) };
}

const DEALS = gql`
  query Deals($after: String) {
    deals(first: 3, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      edges { cursor node { id name amount } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

interface Deals {
  deals: { edges: { node: { id: string; name: string; amount: number | null } }[]; pageInfo: { endCursor: string } };
}

describe('urql + graphcache', () => {
  it('relayPagination merges pages into one list', async () => {
    const { client, close } = urqlClient('sse');
    try {
      const first = await client.query<Deals>(DEALS, {}).toPromise();
      expect(first.data?.deals.edges).toHaveLength(3);
      const second = await client.query<Deals>(DEALS, { after: first.data!.deals.pageInfo.endCursor }).toPromise();
      expect(second.data?.deals.edges).toHaveLength(6);
      expect(new Set(second.data?.deals.edges.map((e) => e.node.id)).size).toBe(6);
    } finally {
      close();
    }
  });

  for (const transport of ['sse', 'ws'] as const) {
    it(`a subscription over ${transport === 'sse' ? 'graphql-sse (single connection)' : 'graphql-ws'} receives dealChanged after an updateDeal`, async () => {
      const { client, close } = urqlClient(transport);
      const name = `urql ${transport} deal`;
      const events: { kind: string; record: { name: string; amount: number | null } | null }[] = [];
      const created = await client.mutation<{ createDeal: { record: { id: string } } }>(
        gql`mutation ($name: String!) { createDeal(input: { name: $name, amount: 10 }) { record { id name amount } } }`,
        { name },
      ).toPromise();
      const id = created.data!.createDeal.record.id;
      const { unsubscribe } = client
        .subscription<{ dealChanged: (typeof events)[number] }>(
          gql`subscription ($name: String!) { dealChanged(filter: { name: { is: $name } }) { kind id record { id name amount } } }`,
          { name },
        )
        .subscribe((result) => {
          if (result.data) events.push(result.data.dealChanged);
        });
      try {
        await expect.poll(() => stack.gateway.live!.stats().subscribers >= 1 && stack.gateway.live!.stats().polls >= 2, { timeout: 15_000, interval: 20, message: 'the feed to start' }).toBe(true);
        await client.mutation(gql`mutation ($id: ID!) { updateDeal(id: $id, input: { amount: 77 }) { record { id amount } } }`, { id }).toPromise();
        await expect.poll(() => events.length >= 1, { timeout: 15_000, interval: 20, message: `the change over ${transport}` }).toBe(true);
        expect(events[0]).toMatchObject({ kind: 'UPDATED', record: { name, amount: 77 } });
      } finally {
        unsubscribe();
        close();
      }
      await expect.poll(() => stack.gateway.live!.stats().subscribers === 0, { timeout: 15_000, interval: 20, message: 'the subscription to end' }).toBe(true);
    });
  }
});
