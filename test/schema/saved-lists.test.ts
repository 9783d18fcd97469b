import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type RunResult } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

const run = <T>(query: string, variables: Record<string, unknown> = {}): Promise<RunResult<T>> => h.run<T, Record<string, unknown>>(query, variables);

interface UserError {
  field: string[] | null;
  code: string;
}

describe('saved lists', () => {
  it('reads a list with its records and their relationships: one call for the list, one for its records with include, predicted exactly', async () => {
    const all = await run<{ savedLists: { nodes: Array<{ id: string; name: string; object: string; kind: string }> } }>('{ savedLists { nodes { id name object kind } } }');
    expect(all.calls).toBe(1);
    const keyAccounts = all.data.savedLists.nodes.find((list) => list.name === 'Key accounts')!;
    expect(keyAccounts).toMatchObject({ object: 'company', kind: 'STATIC' });

    const result = await run<{ companyList: { name: string; recordCount: number; records: { totalCount: number; nodes: Array<{ name: string; people: { nodes: Array<{ company: { id: string } }> } }> } } }>(
      'query($id: ID!) { companyList(id: $id) { name recordCount records(first: 10) { totalCount nodes { id name people { nodes { name { fullName } company { id } } } } } } }',
      { id: keyAccounts.id },
    );
    expect(result.routes).toEqual({ 'GET /objects/:object/lists/:list': 1, 'GET /objects/:object/lists/:list/resources': 1 });
    expect(result.calls).toBe(2);
    expect(result.predicted).toBe(2);
    expect(result.fetches).toEqual([]);
    const list = result.data.companyList;
    expect(list.recordCount).toBe(5);
    expect(list.records.totalCount).toBe(5);
    expect(list.records.nodes.some((company) => company.people.nodes.length > 0)).toBe(true);
  });

  it('filters and orders a list\'s records like any connection', async () => {
    const lists = await run<{ dealLists: { nodes: Array<{ id: string; name: string; kind: string; filter: unknown }> } }>('{ dealLists { nodes { id name kind filter } } }');
    const open = lists.data.dealLists.nodes.find((list) => list.name === 'Open deals')!;
    expect(open).toMatchObject({ kind: 'DYNAMIC', filter: { stage: { 'Not one of': 'Won,Lost' } } });
    const result = await run<{ dealList: { records: { nodes: Array<{ amount: number; stage: string }> } } }>(
      'query($id: ID!) { dealList(id: $id) { records(first: 50, filter: { amount: { gte: 10000 } }, orderBy: { field: AMOUNT, direction: DESC }) { nodes { amount stage } } } }',
      { id: open.id },
    );
    const nodes = result.data.dealList.records.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((deal) => deal.amount >= 10000 && deal.stage !== 'WON' && deal.stage !== 'LOST')).toBe(true);
    expect(nodes.map((deal) => deal.amount)).toEqual([...nodes.map((deal) => deal.amount)].sort((a, b) => b - a));
  });

  it('creates a static list, adds and removes records, and deletes it', async () => {
    const people = (await h.rest('/objects/person/resources?page[limit]=3')) as { data: Array<{ id: string }> };
    const ids = people.data.map((person) => person.id);
    const created = await run<{ createPersonList: { list: { id: string; kind: string; recordCount: number }; userErrors: UserError[] } }>(
      'mutation { createPersonList(input: { name: "Speakers" }) { list { id kind recordCount } userErrors { field code } } }',
    );
    const list = created.data.createPersonList.list;
    expect(list).toMatchObject({ kind: 'STATIC', recordCount: 0 });
    const added = await run<{ addPersonListRecords: { list: { recordCount: number } } }>(
      'mutation($id: ID!, $r: [ID!]!) { addPersonListRecords(id: $id, recordIds: $r) { list { recordCount } userErrors { field code } } }',
      { id: list.id, r: ids },
    );
    expect(added.calls).toBe(2);
    expect(added.data.addPersonListRecords.list.recordCount).toBe(3);
    const unknown = await run<{ addPersonListRecords: { list: null; userErrors: UserError[] } }>(
      'mutation($id: ID!) { addPersonListRecords(id: $id, recordIds: ["00000000-0000-4000-8000-000000000000"]) { list { id } userErrors { field code } } }',
      { id: list.id },
    );
    expect(unknown.data.addPersonListRecords).toEqual({ list: null, userErrors: [{ field: ['recordIds', '0'], code: 'NOT_FOUND' }] });
    const removed = await run<{ removePersonListRecords: { list: { recordCount: number } } }>(
      'mutation($id: ID!, $r: [ID!]!) { removePersonListRecords(id: $id, recordIds: $r) { list { recordCount } } }',
      { id: list.id, r: [ids[0]] },
    );
    expect(removed.data.removePersonListRecords.list.recordCount).toBe(2);
    const deleted = await run<{ deletePersonList: { deletedId: string } }>('mutation($id: ID!) { deletePersonList(id: $id) { deletedId userErrors { code } } }', { id: list.id });
    expect(deleted.data.deletePersonList.deletedId).toBe(list.id);
    const gone = await run<{ personList: unknown }>('query($id: ID!) { personList(id: $id) { id } }', { id: list.id });
    expect(gone.data.personList).toBeNull();
  });

  it('creates a dynamic list from a GraphQL filter; its records follow the filter', async () => {
    const created = await run<{ createDealList: { list: { id: string; filter: unknown }; userErrors: UserError[] } }>(
      'mutation { createDealList(input: { name: "Won big", kind: DYNAMIC, filter: { stage: { is: WON }, amount: { gt: 1000 } } }) { list { id filter } userErrors { field code } } }',
    );
    expect(created.data.createDealList.userErrors).toEqual([]);
    expect(created.data.createDealList.list.filter).toEqual({ stage: { Is: 'Won' }, amount: { 'Greater than': '1000' } });
    const records = await run<{ dealList: { records: { nodes: Array<{ stage: string; amount: number }> } } }>(
      'query($id: ID!) { dealList(id: $id) { records(first: 100) { nodes { stage amount } } } }',
      { id: created.data.createDealList.list.id },
    );
    expect(records.data.dealList.records.nodes.every((deal) => deal.stage === 'WON' && deal.amount > 1000)).toBe(true);
    const noFilter = await run<{ createDealList: { userErrors: UserError[] } }>('mutation { createDealList(input: { name: "x", kind: DYNAMIC }) { userErrors { field code } } }');
    expect(noFilter.calls).toBe(0);
    expect(noFilter.data.createDealList.userErrors).toEqual([{ field: ['input', 'filter'], code: 'REQUIRED' }]);
    const blank = await run<{ createDealList: { userErrors: UserError[] } }>('mutation { createDealList(input: { name: "" }) { userErrors { field code } } }');
    expect(blank.data.createDealList.userErrors).toEqual([{ field: ['input', 'name'], code: 'VALIDATION' }]);
  });

  it('a created list\'s records in the mutation payload: one call to create, one for its records, predicted exactly (filter as a variable)', async () => {
    const created = await run<{ createDealList: { list: { records: { totalCount: number; nodes: Array<{ stage: string }> } }; userErrors: UserError[] } }>(
      'mutation($filter: DealFilter) { createDealList(input: { name: "Won", kind: DYNAMIC, filter: $filter }) { list { records(first: 100) { totalCount nodes { stage } } } userErrors { field code } } }',
      { filter: { stage: { is: 'WON' } } },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createDealList.userErrors).toEqual([]);
    const records = created.data.createDealList.list.records;
    expect(records.totalCount).toBeGreaterThan(0);
    expect(records.nodes.every((deal) => deal.stage === 'WON')).toBe(true);
    expect(created.calls).toBe(2);
    expect(created.predicted).toBe(2);
  });

  it('a page of lists with their records costs a records call per list, predicted exactly', async () => {
    const result = await run<{ dealLists: { nodes: unknown[] } }>('{ dealLists(first: 10) { nodes { name records(first: 3) { nodes { name company { name } } } } } }');
    const lists = result.data.dealLists.nodes.length;
    expect(lists).toBeGreaterThan(0);
    expect(result.calls).toBe(1 + lists);
    // Predicted from the page size asked for, since how many lists exist is not known beforehand.
    expect(result.predicted).toBe(1 + 10);
  });
});
