import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskError } from '../../src/server/mask-error.js';
import { run, scriptFault, startWriteHarness, type Executed, type WriteHarness } from './mutations-helpers.js';

let h: WriteHarness;

beforeAll(async () => {
  h = await startWriteHarness({ retryBaseMs: 1 });
});
afterAll(async () => {
  await h.close();
});

type Kind = 'person' | 'deal' | 'task' | 'meeting';

interface Attempt {
  kind: Kind;
  key: string;
  outcome: 'written' | 'failed';
}

const MUTATIONS: Record<Kind, (key: string) => string> = {
  person: (key) => `mutation { w: createPerson(input: { name: { fullName: "Fault ${key}" }, emailAddresses: ["${key}@faults.example"] }) { record { id } matched userErrors { code } } }`,
  deal: (key) => `mutation { w: createDeal(input: { name: "${key}", stage: PROSPECTING }) { record { id } matched userErrors { code } } }`,
  task: (key) => `mutation { w: createTask(input: { title: "${key}" }) { record { id } matched userErrors { code } } }`,
  meeting: (key) => `mutation { w: createMeeting(input: { title: "${key}" }) { record { id } matched userErrors { code } } }`,
};

/** Every response either carries the written record or tells the caller, with a code, that it failed. */
function outcomeOf(result: Executed): 'written' | 'failed' {
  const payload = result.data?.w as { record: { id: string } | null; userErrors: { code: string }[] } | null | undefined;
  if (payload?.record) return 'written';
  const masked = result.raw.map((error) => maskError(error, 'Unexpected error.') as GraphQLError);
  const codes = [...masked.map((error) => error.extensions.code), ...(payload?.userErrors ?? []).map((e) => e.code)];
  expect(codes.length, JSON.stringify(result)).toBeGreaterThan(0);
  expect(codes.every((code) => typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR'), JSON.stringify(codes)).toBe(true);
  return 'failed';
}

async function allRecords(object: string): Promise<{ id: string; attributes: Record<string, unknown> }[]> {
  const records: { id: string; attributes: Record<string, unknown> }[] = [];
  for await (const page of h.client.listAll(object, {}, { credential: h.credential })) records.push(...page.data);
  return records;
}

function keyOf(kind: Kind, attributes: Record<string, unknown>): string | undefined {
  if (kind === 'person') {
    const items = (attributes.email_addresses as { items?: string[] } | null)?.items ?? [];
    return items.find((email) => email.endsWith('@faults.example'))?.replace('@faults.example', '');
  }
  const value = kind === 'deal' ? attributes.name : attributes.title;
  return typeof value === 'string' && value.startsWith('fault-') ? value : undefined;
}

describe('writes under scripted upstream faults', () => {
  it('500 creates at a 20% fault rate: no duplicate record, every failure reported', { timeout: 120_000 }, async () => {
    const kinds: Kind[] = ['person', 'deal', 'task', 'meeting'];
    const attempts: Attempt[] = [];
    const faults = [{ rate: 0.2, status: 503 }, { rate: 0.2, drop: true }, { rate: 0.2, status: 502 }, { rate: 0.2, status: 429, retryAfter: 0 }];
    for (let round = 0; round < faults.length; round++) {
      await scriptFault(h, { clear: true });
      await scriptFault(h, faults[round]!);
      const batch = Array.from({ length: 125 }, (_, i) => {
        const n = round * 125 + i;
        return { kind: kinds[n % kinds.length]!, key: `fault-${n}` };
      });
      // A few at a time, as concurrent callers would.
      for (let start = 0; start < batch.length; start += 5) {
        const slice = batch.slice(start, start + 5);
        const results = await Promise.all(slice.map((item) => run(h, MUTATIONS[item.kind](item.key))));
        results.forEach((result, index) => attempts.push({ ...slice[index]!, outcome: outcomeOf(result) }));
      }
    }
    await scriptFault(h, { clear: true });
    expect(attempts).toHaveLength(500);

    for (const kind of kinds) {
      const counts = new Map<string, number>();
      for (const record of await allRecords(kind)) {
        const key = keyOf(kind, record.attributes);
        if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const mine = attempts.filter((attempt) => attempt.kind === kind);
      const duplicates = [...counts].filter(([, count]) => count > 1);
      expect(duplicates, `${kind} duplicates`).toEqual([]);
      const missing = mine.filter((attempt) => attempt.outcome === 'written' && counts.get(attempt.key) !== 1);
      expect(missing, `${kind} reported written but not stored once`).toEqual([]);
    }
    // Upserts (person, deal: sent with match_on) are retried and nearly always land; plain creates
    // (task, meeting) are not retried once they may have reached Clarify, so their faults surface.
    const failedOf = (group: Kind[]) => attempts.filter((a) => a.outcome === 'failed' && group.includes(a.kind)).length;
    expect(failedOf(['task', 'meeting'])).toBeGreaterThan(10);
    expect(failedOf(['person', 'deal'])).toBeLessThan(failedOf(['task', 'meeting']));
  });
});
