import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { Defer20220824Handler, GraphQL17Alpha9Handler } from '@apollo/client/incremental';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { upstreamTotal } from '../helpers/gateway.js';
import { startStack } from '../helpers/stack.js';

// Apollo Client 4 against the gateway over loopback HTTP, with each of its incremental handlers:
// the current format (GraphQL17Alpha9Handler, `incrementalSpec=v0.2`) and the 2022 one
// (Defer20220824Handler, `deferSpec=20220824`). Each must merge the deferred parts into one result.

let sandbox: RunningSandbox;
let served: { origin: string };

beforeAll(async () => {
  const stack = await startStack();
  sandbox = stack.sandbox;
  served = await stack.serve();
  return stack.close;
});

const DEALS = gql`
  query DealsWithTeams($first: Int!) {
    deals(first: $first) {
      nodes {
        id
        name
        ... @defer(label: "team") {
          company { id name }
          people(first: 3) { nodes { id jobTitle } }
        }
      }
    }
    companies(first: 4) { nodes @stream(initialCount: 1) { id name } }
  }
`;

interface DealsResult {
  deals: { nodes: { id: string; name: string; company?: { name: string } | null; people?: { nodes: unknown[] } | null }[] };
  companies: { nodes: { id: string; name: string }[] };
}

function clientWith(incrementalHandler: GraphQL17Alpha9Handler | Defer20220824Handler): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri: `${served.origin}/graphql` }),
    cache: new InMemoryCache(),
    incrementalHandler,
  });
}

/** Every result the watched query emits, until the last one (no deferred part still pending). */
async function watchToEnd(client: ApolloClient): Promise<{ data: DealsResult | undefined; dataState: string }[]> {
  const seen: { data: DealsResult | undefined; dataState: string }[] = [];
  await new Promise<void>((resolve, reject) => {
    const subscription = client.watchQuery<DealsResult>({ query: DEALS, variables: { first: 3 } }).subscribe({
      next(result) {
        seen.push({ data: result.data as DealsResult | undefined, dataState: result.dataState });
        if (result.error) reject(result.error);
        if (result.dataState === 'complete') {
          subscription.unsubscribe();
          resolve();
        }
      },
      error: reject,
    });
  });
  return seen;
}

describe('Apollo Client 4', () => {
  for (const [name, handler] of [
    ['GraphQL17Alpha9Handler (incrementalSpec=v0.2)', () => new GraphQL17Alpha9Handler()],
    ['Defer20220824Handler (deferSpec=20220824)', () => new Defer20220824Handler()],
  ] as const) {
    it(`merges the deferred fragment and the streamed items with ${name}`, async () => {
      const client = clientWith(handler());
      try {
        const before = await upstreamTotal(sandbox);
        const seen = await watchToEnd(client);
        // The deals list (companies and people come with it through `include`) and the companies
        // list: what the same query costs without the directives.
        expect((await upstreamTotal(sandbox)) - before).toBe(2);
        expect(seen.some((result) => result.dataState === 'streaming')).toBe(true);
        const final = seen[seen.length - 1]!.data!;
        expect(final.deals.nodes).toHaveLength(3);
        for (const deal of final.deals.nodes) {
          expect(deal).toHaveProperty('company');
          expect(deal.people?.nodes).toEqual(expect.any(Array));
        }
        expect(final.companies.nodes).toHaveLength(4);
        expect(new Set(final.companies.nodes.map((company) => company.id)).size).toBe(4);
      } finally {
        client.stop();
      }
    });
  }
});
