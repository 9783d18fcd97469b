import { createSchema, createYoga } from 'graphql-yoga';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { useBulkRoutes } from '../../src/bulk/use-bulk-routes.js';
import { silentLogger } from '../helpers/gateway.js';

const THINGS = Array.from({ length: 7 }, (_, index) => ({ id: `t${index + 1}`, name: `Thing ${index + 1}` }));

/**
 * A connection over seven things, three a page, behind `/export`. `failFrom` makes every thing
 * from that id on fail its `name`, as an upstream failure would fail a page.
 */
function exportServer(failFrom?: string) {
  const inner: { status: number; body: string | null }[] = [];
  const schema = createSchema({
    typeDefs: /* GraphQL */ `
      type Query { things(first: Int, after: String): ThingConnection! }
      type ThingConnection { nodes: [Thing!]! pageInfo: PageInfo! }
      type PageInfo { hasNextPage: Boolean! endCursor: String }
      type Thing { id: ID! name: String }
    `,
    resolvers: {
      Query: {
        things: (_: unknown, args: { first?: number | null; after?: string | null }) => {
          const start = args.after ? THINGS.findIndex((thing) => thing.id === args.after) + 1 : 0;
          const nodes = THINGS.slice(start, start + Math.min(args.first ?? 3, 3));
          return { nodes, pageInfo: { hasNextPage: start + nodes.length < THINGS.length, endCursor: nodes.at(-1)?.id ?? null } };
        },
      },
      Thing: {
        name: (thing: { id: string; name: string }) => {
          if (failFrom !== undefined && Number(thing.id.slice(1)) >= Number(failFrom.slice(1))) throw new Error('upstream down');
          return thing.name;
        },
      },
    },
  });
  const bulk = useBulkRoutes({
    budgetShare: 100,
    importMaxLineBytes: 1024,
    importMaxLines: 10,
    rateLimitedRetries: 0,
    graphqlEndpoint: '/graphql',
    run: async (request) => {
      const response = await yoga.fetch(request);
      const body = response.body === null ? null : await response.text();
      inner.push({ status: response.status, body });
      return new Response(body, response);
    },
    authenticate: () => ({ ok: true, credential: 'test', scope: 'read' }),
    schemaFor: async () => schema,
    rateLimitPerMinute: 1_000_000,
    bodyBytes: 100_000,
    maxTokens: 1_000,
    requestIdOf: () => 'test',
    logger: silentLogger,
    registry: new Registry(),
  });
  const yoga = createYoga({ schema, plugins: [bulk.plugin], logging: false, maskedErrors: false });
  const exportAll = async () => {
    const response = await yoga.fetch('http://localhost/export', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
      body: JSON.stringify({ query: '{ things { nodes { id name } } }' }),
    });
    const lines = (await response.text())
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { status: response.status, lines };
  };
  return { exportAll, inner };
}

describe('export pages', () => {
  it('are handed over as the objects execution made, with nothing serialised in between', async () => {
    const { exportAll, inner } = exportServer();
    const { status, lines } = await exportAll();
    expect(status).toBe(200);
    expect(lines.slice(0, -1)).toEqual(THINGS);
    expect(lines.at(-1)).toEqual({ extensions: { count: 7, endCursor: 't7', actualCalls: 0 } });
    expect(inner).toEqual([
      { status: 200, body: null },
      { status: 200, body: null },
      { status: 200, body: null },
    ]);
  });

  it('with errors are answered as /graphql answers them, and end the export with those errors', async () => {
    const { exportAll, inner } = exportServer('t5');
    const { lines } = await exportAll();
    expect(lines.slice(0, -1)).toEqual(THINGS.slice(0, 3));
    const down = { message: 'upstream down', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    expect(lines.at(-1)).toEqual({ errors: [down, down], extensions: { count: 3, endCursor: 't3', actualCalls: 0 } });
    expect(inner).toHaveLength(2);
    expect(inner[0]).toEqual({ status: 200, body: null });
    expect(JSON.parse(inner[1]!.body ?? '')).toMatchObject({
      errors: [
        { message: 'upstream down', path: ['things', 'nodes', 1, 'name'] },
        { message: 'upstream down', path: ['things', 'nodes', 2, 'name'] },
      ],
    });
  });
});
