import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

interface Page {
  deals: {
    edges: { cursor: string; node: { id: string; amount: number | null } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string };
  };
}

const PAGE = `query ($first: Int, $after: String, $order: DealOrderBy) {
  deals(first: $first, after: $after, orderBy: $order) {
    edges { cursor node { id: clarifyId amount } }
    pageInfo { hasNextPage endCursor }
  }
}`;

let made = 0;
async function createDeal(amount: number | null): Promise<string> {
  made++;
  const result = await h.run<{ createDeal: { record: { clarifyId: string } } }, { name: string; amount: number | null }>(
    `mutation ($name: String!, $amount: Float) { createDeal(input: { name: $name, amount: $amount }) { record { clarifyId } } }`,
    { name: `Cursor deal ${made}`, amount },
  );
  return result.data.createDeal.record.clarifyId;
}

async function deleteDeal(id: string): Promise<void> {
  await h.run(`mutation ($id: ID!) { deleteDeal(id: $id) { deletedId } }`, { id });
}

async function allDealIds(order: { field: string; direction: string } | null): Promise<string[]> {
  const result = await h.run<Page, Record<string, unknown>>(PAGE, { first: 1000, after: null, order });
  return result.data.deals.edges.map((e) => e.node.id);
}

/**
 * Pages through deals 7 at a time; before each further page it creates a deal that sorts before
 * the cursor and one after it, and deletes one deal already read and one not yet read.
 */
async function pageWithWrites(order: { field: string; direction: string } | null, amounts: { low: number | null; high: number | null }) {
  const before = await allDealIds(order);
  const seen: string[] = [];
  const deleted = new Set<string>();
  const calls: number[] = [];
  let after: string | null = null;
  for (let page = 0; page < 40; page++) {
    const result: Awaited<ReturnType<typeof h.run<Page, Record<string, unknown>>>> = await h.run<Page, Record<string, unknown>>(PAGE, { first: 7, after, order });
    calls.push(result.calls);
    expect(result.calls).toBeLessThanOrEqual(result.maxCalls);
    seen.push(...result.data.deals.edges.map((e) => e.node.id));
    if (!result.data.deals.pageInfo.hasNextPage) break;
    after = result.data.deals.pageInfo.endCursor;
    await createDeal(amounts.low);
    await createDeal(amounts.high);
    const read = seen.find((id) => !deleted.has(id) && before.includes(id))!;
    const unread = before.find((id) => !deleted.has(id) && !seen.includes(id));
    for (const id of [read, unread]) {
      if (!id) continue;
      await deleteDeal(id);
      deleted.add(id);
    }
  }
  const throughout = before.filter((id) => !deleted.has(id));
  const counts = new Map<string, number>();
  for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1);
  return { throughout, counts, calls, seen };
}

describe('cursors that keep their place under writes', () => {
  it('CREATED_AT DESC: every deal that existed throughout appears exactly once, in one call per page', async () => {
    const { throughout, counts, calls } = await pageWithWrites({ field: 'CREATED_AT', direction: 'DESC' }, { low: 1, high: 2 });
    for (const id of throughout) expect(counts.get(id), id).toBe(1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(calls.every((n) => n === 1)).toBe(true);
  });

  it('AMOUNT (with the deals without an amount last): every deal that existed throughout appears exactly once', async () => {
    const { throughout, counts, calls } = await pageWithWrites({ field: 'AMOUNT', direction: 'ASC' }, { low: 1, high: 999_999 });
    for (const id of throughout) expect(counts.get(id), id).toBe(1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // One call a page, and one more for the page where the deals with an amount end.
    expect(calls.filter((n) => n === 2)).toHaveLength(1);
    expect(calls.filter((n) => n !== 1 && n !== 2)).toEqual([]);
  });

  it('the default order (by creation) keeps its place too', async () => {
    const { throughout, counts } = await pageWithWrites(null, { low: null, high: 5 });
    for (const id of throughout) expect(counts.get(id), id).toBe(1);
  });

  it('before/last: paging backwards from the last deal keeps its place too, across the deals without an amount', async () => {
    for (const order of [{ field: 'AMOUNT', direction: 'ASC' }, { field: 'CREATED_AT', direction: 'DESC' }]) {
      const BACK = `query ($last: Int, $before: String, $order: DealOrderBy) {
        deals(last: $last, before: $before, orderBy: $order) { edges { cursor node { id: clarifyId amount } } pageInfo { hasPreviousPage startCursor } }
      }`;
      type Back = { deals: { edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasPreviousPage: boolean; startCursor: string } } };
      const everything = await h.run<Page, Record<string, unknown>>(PAGE, { first: 1000, after: null, order });
      const edges = everything.data.deals.edges;
      const before = edges.slice(0, -1).map((e) => e.node.id);
      const seen: string[] = [];
      const deleted = new Set<string>();
      let cursor: string | null = edges.at(-1)!.cursor;
      for (let page = 0; page < 40 && cursor; page++) {
        const result: Awaited<ReturnType<typeof h.run<Back, Record<string, unknown>>>> = await h.run<Back, Record<string, unknown>>(BACK, { last: 6, before: cursor, order });
        expect(result.calls).toBe(result.predicted);
        seen.unshift(...result.data.deals.edges.map((e) => e.node.id));
        if (!result.data.deals.pageInfo.hasPreviousPage) break;
        cursor = result.data.deals.pageInfo.startCursor;
        await createDeal(3);
        await createDeal(null);
        const read = seen.find((id) => !deleted.has(id) && before.includes(id));
        const unread = [...before].reverse().find((id) => !deleted.has(id) && !seen.includes(id));
        for (const id of [read, unread]) {
          if (!id) continue;
          await deleteDeal(id);
          deleted.add(id);
        }
      }
      const counts = new Map<string, number>();
      for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1);
      for (const id of before.filter((id) => !deleted.has(id))) expect(counts.get(id), `${order.field} ${id}`).toBe(1);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
    }
  });

  it('a relationship ordered by CREATED_AT pages by key too: company.people keeps its place under writes', async () => {
    const companies = (await h.rest('/objects/company/resources?page[limit]=100')) as { data: { id: string; relationships: { people: { data: unknown[] } } }[] };
    const company = [...companies.data].sort((a, b) => b.relationships.people.data.length - a.relationships.people.data.length)[0]!.id;
    const PEOPLE = `query ($id: ID!, $after: String) {
      company(id: $id) { people(first: 3, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) { edges { cursor node { id: clarifyId } } pageInfo { hasNextPage endCursor } } }
    }`;
    type People = { company: { people: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } };
    const all = await h.run<{ company: { people: { edges: { node: { id: string } }[] } } }, Record<string, unknown>>(
      `query ($id: ID!) { company(id: $id) { people(first: 500, orderBy: { field: CREATED_AT, direction: DESC }) { edges { node { id: clarifyId } } } } }`,
      { id: company },
    );
    const before = all.data.company.people.edges.map((e) => e.node.id);
    expect(before.length).toBeGreaterThan(4);
    const seen: string[] = [];
    const deleted = new Set<string>();
    let after: string | null = null;
    for (let page = 0; page < 30; page++) {
      const result: Awaited<ReturnType<typeof h.run<People, Record<string, unknown>>>> = await h.run<People, Record<string, unknown>>(PEOPLE, { id: company, after });
      expect(result).toMatchObject({ calls: 2, predicted: 2 });
      seen.push(...result.data.company.people.edges.map((e) => e.node.id));
      if (!result.data.company.people.pageInfo.hasNextPage) break;
      after = result.data.company.people.pageInfo.endCursor;
      // Two newcomers sort before the cursor (newest first), one read person goes: offsets would move by one.
      for (const n of [1, 2]) {
        await h.run(`mutation ($c: ID!, $n: String!) { createPerson(input: { name: { fullName: $n }, companyId: $c }) { record { id } } }`, { c: company, n: `Newcomer ${page}.${n}` });
      }
      const read = seen.find((id) => !deleted.has(id));
      const unread = page % 2 === 0 ? before.find((id) => !deleted.has(id) && !seen.includes(id)) : undefined;
      for (const id of [read, unread]) {
        if (!id) continue;
        await h.run(`mutation ($id: ID!) { deletePerson(id: $id) { deletedId } }`, { id });
        deleted.add(id);
      }
    }
    const counts = new Map<string, number>();
    for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const id of before.filter((id) => !deleted.has(id))) expect(counts.get(id), id).toBe(1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('a keyed page is one call with the key range, plus one for totalCount, inline and with variables', async () => {
    const first = await h.run<Page, Record<string, unknown>>(PAGE, { first: 3, after: null, order: { field: 'AMOUNT', direction: 'DESC' } });
    const cursor = first.data.deals.pageInfo.endCursor;
    const amount = first.data.deals.edges.at(-1)!.node.amount;
    const next = await h.run<Page, Record<string, unknown>>(PAGE, { first: 3, after: cursor, order: { field: 'AMOUNT', direction: 'DESC' } });
    expect(next).toMatchObject({ calls: 1, predicted: 1 });
    expect(next.fetches).toHaveLength(1);
    expect(next.fetches[0]).toContain(`{"path":"amount","operator":"Less than or equal","value":"${amount}"}`);
    const inline = await h.run<{ deals: { totalCount: number; edges: { node: { id: string } }[] } }, Record<string, never>>(
      `{ deals(first: 3, after: "${cursor}", orderBy: { field: AMOUNT, direction: DESC }) { totalCount edges { node { id: clarifyId } } } }`,
    );
    expect(inline).toMatchObject({ calls: 2, predicted: 2 });
    expect(inline.data.deals.edges.map((e) => e.node.id)).toEqual(next.data.deals.edges.map((e) => e.node.id));
    const total = await h.run<{ deals: { totalCount: number } }, Record<string, never>>(`{ deals(first: 0) { totalCount } }`);
    expect(inline.data.deals.totalCount).toBe(total.data.deals.totalCount);
  });

  it('old offset cursors keep working, and orders without a range (NAME) keep offsets', async () => {
    const all = await allDealIds({ field: 'NAME', direction: 'ASC' });
    const offset = Buffer.from('offset:4').toString('base64url');
    const page = await h.run<Page, Record<string, unknown>>(PAGE, { first: 3, after: offset, order: { field: 'NAME', direction: 'ASC' } });
    expect(page.data.deals.edges.map((e) => e.node.id)).toEqual(all.slice(5, 8));
    expect(Buffer.from(page.data.deals.pageInfo.endCursor, 'base64url').toString()).toBe('offset:7');
    const byAmount = await h.run<Page, Record<string, unknown>>(PAGE, { first: 3, after: offset, order: { field: 'AMOUNT', direction: 'ASC' } });
    expect(byAmount.data.deals.edges.map((e) => e.node.id)).toEqual((await allDealIds({ field: 'AMOUNT', direction: 'ASC' })).slice(5, 8));
  });
});
