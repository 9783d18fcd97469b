import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ClarifyError } from '../../src/client/errors.js';
import { PassThroughSchemaSource, ServerKeySchemaSource } from '../../src/server/schema-holder.js';

function fakeUpstream() {
  const state = { items: [{ id: 'person' }] as unknown[], reads: [] as string[], builds: 0 };
  return {
    state,
    options: {
      readSchemas: async (credential: string) => {
        state.reads.push(credential);
        if (credential === 'api-key bad') throw new ClarifyError('rejected', { code: 'UNAUTHENTICATED', route: 'GET /schemas' });
        if (credential === 'api-key flaky') throw new ClarifyError('unavailable', { code: 'UPSTREAM_UNAVAILABLE', route: 'GET /schemas' });
        return structuredClone(state.items);
      },
      build: (items: unknown[]) => {
        state.builds += 1;
        return { model: items, schema: buildSchema(`type Query { n${items.length}: Int }`) };
      },
    },
  };
}

describe('ServerKeySchemaSource', () => {
  it('loads once, swaps on change, and keeps old snapshots intact', async () => {
    const upstream = fakeUpstream();
    const source = new ServerKeySchemaSource(upstream.options, 'api-key k');
    const first = await source.snapshotFor();
    expect(first.version).toBe(1);
    expect(await source.reload()).toBe(false);
    expect(upstream.state.builds).toBe(1);

    upstream.state.items.push({ id: 'c_order' });
    expect(await source.reload()).toBe(true);
    const second = await source.snapshotFor();
    expect(second.version).toBe(2);
    expect(second.schema.getQueryType()?.getFields()).toHaveProperty('n2');
    expect(first.schema.getQueryType()?.getFields()).toHaveProperty('n1');
    expect(upstream.state.reads).toEqual(['api-key k', 'api-key k', 'api-key k']);
  });

  it('shares one upstream read between concurrent reloads', async () => {
    const upstream = fakeUpstream();
    const source = new ServerKeySchemaSource(upstream.options, 'api-key k');
    await Promise.all([source.reload(), source.reload(), source.snapshotFor()]);
    expect(upstream.state.reads).toHaveLength(1);
  });
});

describe('PassThroughSchemaSource', () => {
  it('reads once per credential, shares the built schema, and remembers a refusal but not an outage', async () => {
    const upstream = fakeUpstream();
    const source = new PassThroughSchemaSource(upstream.options, 60_000);
    const a = await source.snapshotFor('api-key a');
    await source.snapshotFor('api-key a');
    const b = await source.snapshotFor('api-key b');
    expect(b).toBe(a);
    expect(upstream.state.builds).toBe(1);
    await expect(source.snapshotFor('api-key bad')).rejects.toThrow('rejected');
    await expect(source.snapshotFor('api-key bad')).rejects.toThrow('rejected');
    await expect(source.snapshotFor('api-key flaky')).rejects.toThrow('unavailable');
    await expect(source.snapshotFor('api-key flaky')).rejects.toThrow('unavailable');
    expect(upstream.state.reads).toEqual(['api-key a', 'api-key b', 'api-key bad', 'api-key flaky', 'api-key flaky']);

    // A reload forgets both the schemas and the refusals.
    expect(await source.reload()).toBe(true);
    await source.snapshotFor('api-key a');
    await expect(source.snapshotFor('api-key bad')).rejects.toThrow('rejected');
    expect(upstream.state.reads).toHaveLength(7);
  });
});
