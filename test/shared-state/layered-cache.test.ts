import { describe, expect, it } from 'vitest';
import { LayeredCache } from '../../src/shared-state/layered-cache.js';
import { MemoryResponseCache, scopedTag } from '../../src/shared-state/memory-response-cache.js';

// The layered cache over a shared store that can be taken away (an in-process store standing in
// for Redis): what it does with reads, stores and writes while the store is unreachable.

const answer = (text: string) => ({ result: { data: { text } }, etag: `"${text}"` });
const tag = (name: string) => scopedTag('upstream:a', name);

function setup() {
  const shared = new MemoryResponseCache();
  let reachable = true;
  const fallbacks: string[] = [];
  const cache = new LayeredCache({ shared, sharedAvailable: () => reachable, onFallback: (operation) => fallbacks.push(operation) });
  /** The versions while the store is usable. */
  const versions = async (families: string[]): Promise<string[]> => {
    const found = await cache.versions(families);
    if (found === undefined) throw new Error('the cache is unusable');
    return found;
  };
  return { shared, cache, versions, fallbacks, setReachable: (value: boolean) => (reachable = value) };
}

describe('the layered response cache', () => {
  it('answers uncached while the shared store is away, keeps the writes, and replays them before using it again', async () => {
    const { shared, cache, versions, fallbacks, setReachable } = setup();
    const seen = await versions([tag('person')]);
    expect(await cache.set('k', answer('old'), [tag('person:1'), tag('*')], 60_000, [tag('person')], seen)).toBe(true);
    expect((await cache.get('k'))?.result).toEqual({ data: { text: 'old' } });

    setReachable(false);
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.versions([tag('person')])).toBeUndefined();
    await cache.invalidate([tag('person:1')], [tag('person')]);
    expect(cache.pendingInvalidations).toBe(2);
    expect(fallbacks).toEqual(['get', 'invalidate']);
    // The shared store still holds the answer the write made stale.
    expect((await shared.get('k'))?.result).toEqual({ data: { text: 'old' } });

    setReachable(true);
    expect(await cache.get('k')).toBeUndefined();
    expect(cache.pendingInvalidations).toBe(0);
    expect(await shared.get('k')).toBeUndefined();
    // A read that noted the versions before the replay cannot store.
    expect(await cache.set('k', answer('old'), [tag('person:1')], 60_000, [tag('person')], seen)).toBe(false);
  });

  it('answers no versions when the shared store fails, instead of throwing (the lookup before it counted the fallback)', async () => {
    const shared = new MemoryResponseCache();
    shared.versions = () => Promise.reject(new Error('connection reset'));
    const fallbacks: string[] = [];
    const cache = new LayeredCache({ shared, onFallback: (operation) => fallbacks.push(operation) });
    expect(await cache.versions([tag('person')])).toBeUndefined();
    expect(fallbacks).toEqual([]);
  });

  it('keeps at most 10,000 tags for the store, then drops every answer of their upstream instead', async () => {
    const { shared, cache, versions, setReachable } = setup();
    const seen = await versions([tag('deal')]);
    await cache.set('other', answer('kept?'), [tag('deal:9'), tag('*')], 60_000, [tag('deal')], seen);
    setReachable(false);
    for (let i = 0; i < 10_001; i++) await cache.invalidate([tag(`person:${i}`)], [tag('person')]);
    expect(cache.pendingInvalidations).toBe(2);
    setReachable(true);
    await cache.reconnected();
    expect(await shared.get('other')).toBeUndefined();
  });
});
