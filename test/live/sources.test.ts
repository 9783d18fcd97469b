import { describe, expect, it } from 'vitest';
import type { ClarifyClient } from '../../src/client/clarify-client.js';
import type { CallOptions, ClarifyResource } from '../../src/client/types.js';
import { ChangeSource } from '../../src/live/sources.js';

const deal = (id: string, at: string): ClarifyResource =>
  ({ type: 'deal', id, attributes: { _updated_at: at, _created_at: '2026-01-01T00:00:00.000Z' } }) as unknown as ClarifyResource;
const company = (id: string): ClarifyResource => ({ type: 'company', id, attributes: {} }) as unknown as ClarifyResource;

/** A client whose list answers come from a queue: a page, or an error to throw. */
function scriptedClient(answers: ({ data: ClarifyResource[]; included: ClarifyResource[] } | Error)[]): ClarifyClient {
  return {
    list: async () => {
      const next = answers.shift();
      if (!next) return { data: [], included: [] };
      if (next instanceof Error) throw next;
      return next;
    },
  } as unknown as ClarifyClient;
}

const call = { credential: 'test-key' } as CallOptions;

describe('ChangeSource', () => {
  it('attaches to events only the included records of the poll that read them, not those of a poll that failed part-way', async () => {
    const client = scriptedClient([
      // The start point: the newest write.
      { data: [deal('d0', '2026-02-01T00:00:00.000Z')], included: [] },
      // A poll whose first page brings a stale company, then fails on its second page.
      { data: [deal('d1', '2026-02-02T00:00:00.000Z'), deal('d2', '2026-02-02T00:00:01.000Z')], included: [company('stale')] },
      new Error('page 2 failed'),
      // The next poll succeeds with its own company.
      { data: [deal('d3', '2026-02-03T00:00:00.000Z')], included: [company('fresh')] },
    ]);
    const source = new ChangeSource({ client, object: 'deal', filter: [], include: () => ['company'], pageSize: 2, maxPagesPerPoll: 3 });
    await source.start(call);
    await expect(source.poll(call)).rejects.toThrow('page 2 failed');
    const { events } = await source.poll(call);
    expect(events.map((event) => event.id)).toContain('d3');
    for (const event of events) expect(event.included.map((record) => record.id)).toEqual(['fresh']);
  });
});
