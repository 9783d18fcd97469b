import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import type { ClarifyClient } from '../../../src/client/clarify-client.js';
import type { ClarifyResource } from '../../../src/client/types.js';
import type { RecordLoader } from '../../../src/loaders/record-loader.js';
import { InProcessWriteLock } from '../../../src/loaders/write-lock.js';
import { useRequestState, type GatewayRequestContext } from '../../../src/server/plugins/use-request-state.js';
import type { SchemaSnapshot } from '../../../src/server/schema-holder.js';
import type { WorkspaceModel } from '../../../src/workspace/model.js';
import { silentLogger } from '../../helpers/gateway.js';

const DEAL: ClarifyResource = { type: 'deal', id: 'd1', attributes: { name: 'Big deal' }, relationships: {} };

/** A gateway of one plugin, the request state, whose resolvers keep the record store they were given. */
function server() {
  const stores: RecordLoader[] = [];
  const seenByDeferred: (ClarifyResource | undefined)[] = [];
  const schema = createSchema<GatewayRequestContext>({
    typeDefs: /* GraphQL */ `
      type Query { deal: Deal }
      type Deal { name: String, later: String }
    `,
    resolvers: {
      Query: {
        deal: (_: unknown, __: unknown, context: GatewayRequestContext) => {
          stores.push(context.records);
          context.records.prime([DEAL]);
          return context.records.peek('deal', 'd1');
        },
      },
      Deal: {
        name: (deal: ClarifyResource) => deal.attributes['name'],
        later: async (deal: ClarifyResource, _: unknown, context: GatewayRequestContext) => {
          await new Promise((resolve) => setImmediate(resolve));
          seenByDeferred.push(context.records.peek('deal', deal.id));
          return 'later';
        },
      },
    },
  });
  const snapshot = { schema, model: {}, fingerprint: 'test', loadedAt: 0, version: 1 } as unknown as SchemaSnapshot<WorkspaceModel>;
  const state = useRequestState({
    authenticate: () => ({ ok: true, credential: 'api-key test', scope: 'read', caller: 'test' }),
    source: { snapshotFor: async () => snapshot, current: () => snapshot, reload: async () => false, reloadFor: async () => false },
    client: {} as ClarifyClient,
    logger: silentLogger,
    tracer: undefined,
    requestTimeoutMs: 10_000,
    requestIdOf: () => 'test',
    writeLock: new InProcessWriteLock(),
  });
  const yoga = createYoga({ schema, plugins: [useDeferStream(), state.plugin], logging: false });
  const post = (query: string, accept = 'application/graphql-response+json') =>
    yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify({ query }) });
  return { post, stores, seenByDeferred };
}

describe('the request state', () => {
  it('empties the record store once the answer is made, so nothing promoted keeps a finished request’s records', async () => {
    const { post, stores } = server();
    const response = await post('{ deal { name } }');
    expect(await response.json()).toEqual({ data: { deal: { name: 'Big deal' } } });
    expect(stores).toHaveLength(1);
    expect(stores[0]!.peek('deal', 'd1')).toBeUndefined();
  });

  it('keeps a streamed answer’s store until its last part, for the deferred fields that read it', async () => {
    const { post, stores, seenByDeferred } = server();
    const response = await post('{ deal { name ... @defer { later } } }', 'multipart/mixed');
    const text = await response.text();
    expect(text).toContain('"later":"later"');
    expect(seenByDeferred).toEqual([DEAL]);
    expect(stores[0]!.peek('deal', 'd1')).toBeUndefined();
  });
});
