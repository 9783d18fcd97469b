/** Waiting for shared Redis connections to come up or go away (kept apart from ./redis.js, which the benchmarks load without vitest). */
import { expect, vi } from 'vitest';
import type { SharedRedis } from '../../src/shared-state/redis.js';

/** Resolves once every connection reports `available() === expected`; fails with what each reported after `timeout` ms. */
export async function redisAvailable(
  connections: readonly (Pick<SharedRedis, 'available'> | null | undefined)[],
  expected: boolean,
  timeout = 15_000,
): Promise<void> {
  await vi.waitFor(() => expect(connections.map((connection) => connection?.available())).toEqual(connections.map(() => expected)), {
    timeout,
    interval: 25,
  });
}
