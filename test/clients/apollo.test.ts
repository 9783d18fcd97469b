import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { relayStylePagination } from '@apollo/client/utilities';
import { filter, firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveStack, type LiveStack } from '../helpers/live-stack.js';

// Apollo Client 4 against the gateway, configured as docs/clients.md shows it.

let stack: LiveStack;
/** Every request the client sent: method, and whether it carried the query text. */
const sent: { method: string; withQuery: boolean }[] = [];

function apolloClient(persisted: boolean): ApolloClient {
  const http = new HttpLink({
    uri: stack.url,
    fetch: async (input, init) => {
      const url = String(input);
      sent.push({ method: init?.method ?? 'GET', withQuery: url.includes('query=') || String(init?.body ?? '').includes('"query"') });
      return fetch(input, init);
    },
  });
  const apq = new PersistedQueryLink({ sha256: (query) => createHash('sha256').update(query).digest('hex'), useGETForHashedQueries: true });
  return new ApolloClient({
    link: persisted ? ApolloLink.from([apq, http]) : http,
    cache: new InMemoryCache({
      typePolicies: {
        // Connections merge their pages; `after`/`first` are not part of the field's identity.
        Query: { fields: { deals: relayStylePagination(['filter', 'orderBy']) } },
        Company: { fields: { people: relayStylePagination(['filter', 'orderBy']) } },
      },
    }),
    incrementalHandler: new Defer20220824Handler(),
  });
}

beforeAll(async () => {
  stack = await startLiveStack({ subscriptions: false });
});
afterAll(async () => stack?.close());

const DEALS = gql`
  query Deals($after: String) {
    deals(first: 3, after: $after, orderBy: { field: AMOUNT, direction: DESC }) {
      edges { cursor node { id name amount company { id name } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

interface Deals {
  deals: { edges: { cursor: string; node: { id: string; name: string; amount: number } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
}

describe('Apollo Client 4', () => {
  it('relayStylePagination merges the pages fetchMore reads, and a mutation updates the normalized record', async () => {
    const client = apolloClient(false);
    const watch = client.watchQuery<Deals>({ query: DEALS });
    const first = await firstValueFrom(watch.pipe(filter((result) => result.dataState === 'complete')));
    expect(first.data.deals.edges).toHaveLength(3);
    await watch.fetchMore({ variables: { after: first.data.deals.pageInfo.endCursor } });
    const merged = client.readQuery<Deals>({ query: DEALS });
    expect(merged?.deals.edges).toHaveLength(6);
    expect(new Set(merged?.deals.edges.map((e) => e.node.id)).size).toBe(6);

    const target = merged!.deals.edges[4]!.node;
    await client.mutate({
      mutation: gql`mutation ($id: ID!) { updateDeal(id: $id, input: { name: "Renamed by Apollo" }) { record { id name } } }`,
      variables: { id: target.id },
    });
    const cached = client.readFragment<{ name: string }>({ id: client.cache.identify({ __typename: 'Deal', id: target.id }), fragment: gql`fragment N on Deal { name }` });
    expect(cached?.name).toBe('Renamed by Apollo');
  });

  it('@defer with the 2022 incremental handler delivers the deferred fields', async () => {
    const client = apolloClient(false);
    const result = await client.query<{ deals: { nodes: { id: string; name: string; company?: { name: string } | null }[] } }>({
      query: gql`query { deals(first: 2) { nodes { id name ... @defer { company { name } } } } }`,
    });
    expect(result.data?.deals.nodes).toHaveLength(2);
    expect(result.data?.deals.nodes.every((n) => 'company' in n)).toBe(true);
  });

  it('automatic persisted queries: the second run sends only the hash, over GET', async () => {
    const client = apolloClient(true);
    sent.length = 0;
    const query = gql`query TwoDeals { deals(first: 2) { nodes { id name } } }`;
    const one = await client.query({ query, fetchPolicy: 'network-only' });
    const two = await client.query({ query, fetchPolicy: 'network-only' });
    expect(two.data).toEqual(one.data);
    expect(sent.at(-1)).toEqual({ method: 'GET', withQuery: false });
    expect(sent.filter((r) => r.withQuery)).toHaveLength(1);
  });
});
