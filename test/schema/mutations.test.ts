import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { planDocument } from '../../src/plan/planner.js';
import { field, resetSandbox, routeDelta, run, startWriteHarness, upstreamStats, type WriteHarness } from './mutations-helpers.js';

interface UserError {
  field: string[] | null;
  message: string;
  code: string;
}
interface Rec {
  id: string;
  [key: string]: unknown;
}
interface CreateResult {
  record: Rec | null;
  matched: boolean;
  userErrors: UserError[];
}

const BULK_ROUTE = 'POST /objects/:object/records/bulk';
const ERRORS = 'userErrors { field message code }';

let h: WriteHarness;

beforeAll(async () => {
  h = await startWriteHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await resetSandbox(h);
});

async function firstId(plural: string): Promise<string> {
  const result = await run(h, `{ ${plural}(first: 1) { nodes { id } } }`);
  return field<{ nodes: Rec[] }>(result, plural).nodes[0]!.id;
}

const people = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, i) => ({ name: { fullName: `${prefix} Person ${i}` }, emailAddresses: [`${prefix}-${i}@bulk.example`] }));

describe('create and upsert', () => {
  it('upserts a person on the email: the second create matches the same record', async () => {
    const mutation = `mutation($input: CreatePersonInput!) { createPerson(input: $input) { matched record { id emailAddresses name { fullName } } ${ERRORS} } }`;
    const input = { name: { firstName: 'Ada', lastName: 'Byron' }, emailAddresses: ['ada@upsert.example'] };
    const first = await run(h, mutation, { input });
    const second = await run(h, mutation, { input: { ...input, name: { fullName: 'Ada Lovelace' } } });
    const a = field<CreateResult>(first, 'createPerson');
    const b = field<CreateResult>(second, 'createPerson');
    expect(a).toMatchObject({ matched: false, userErrors: [] });
    expect(b).toMatchObject({ matched: true, userErrors: [], record: { id: a.record!.id, name: { fullName: 'Ada Lovelace' } } });
    expect([first.calls, second.calls]).toEqual([1, 1]);
    const count = await run(h, `{ people(filter: { emailAddresses: { contains: "ada@upsert.example" } }) { totalCount } }`);
    expect(field<{ totalCount: number }>(count, 'people').totalCount).toBe(1);
  });

  it('upserts a custom object on its unique field', async () => {
    const mutation = `mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { matched record { id name amount status orderedOn } ${ERRORS} } }`;
    const first = field<CreateResult>(await run(h, mutation, { input: { name: 'SO-UPSERT-1', amount: 10, status: 'DRAFT', orderedOn: '2026-01-02' } }), 'createSalesOrder');
    const second = field<CreateResult>(await run(h, mutation, { input: { name: 'SO-UPSERT-1', status: 'CONFIRMED' } }), 'createSalesOrder');
    expect(first).toMatchObject({ matched: false, record: { status: 'DRAFT', orderedOn: '2026-01-02', amount: 10 } });
    expect(second).toMatchObject({ matched: true, record: { id: first.record!.id, status: 'CONFIRMED', amount: 10 } });
  });

  it('never deduplicates meetings and tasks', async () => {
    const task = `mutation { createTask(input: { title: "Same title", description: { plainText: "line one\\nline two" }, status: TO_DO }) { matched record { id description { plainText blocks } } ${ERRORS} } }`;
    const t1 = field<CreateResult>(await run(h, task), 'createTask');
    const t2 = field<CreateResult>(await run(h, task), 'createTask');
    expect(t1.record!.id).not.toBe(t2.record!.id);
    expect([t1.matched, t2.matched]).toEqual([false, false]);
    expect(t1.record!.description).toEqual({
      plainText: 'line one\nline two',
      blocks: [
        { type: 'paragraph', content: [{ type: 'text', text: 'line one' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'line two' }] },
      ],
    });
    const meeting = `mutation { createMeeting(input: { title: "Sync", start: "2026-03-01T10:00:00Z", participants: [{ email: "a@b.example", organizer: true }] }) { matched record { id start participants { email organizer } } } }`;
    const m1 = field<CreateResult>(await run(h, meeting), 'createMeeting');
    const m2 = field<CreateResult>(await run(h, meeting), 'createMeeting');
    expect(m1.record!.id).not.toBe(m2.record!.id);
    expect(JSON.parse(JSON.stringify(m1.record)) as unknown).toMatchObject({ start: '2026-03-01T10:00:00.000Z', participants: [{ email: 'a@b.example', organizer: true }] });
    const tasks = await run(h, `{ tasks(filter: { title: { is: "Same title" } }) { totalCount } }`);
    expect(field<{ totalCount: number }>(tasks, 'tasks').totalCount).toBe(2);
  });

  it('maps a 422 pointer to the input path', async () => {
    const result = await run(h, `mutation { createPerson(input: { name: { fullName: "No Company" }, companyId: "no-such-company" }) { record { id } ${ERRORS} } }`);
    expect(field<CreateResult>(result, 'createPerson')).toEqual({
      record: null,
      userErrors: [{ field: ['input', 'companyId'], message: expect.stringContaining('no company') as unknown, code: 'VALIDATION' }],
    });
    expect(result.calls).toBe(1);
  });

  it('reports what the schema can tell before any upstream call', async () => {
    const before = (await upstreamStats(h)).total;
    const email = await run(h, `mutation { createPerson(input: { emailAddresses: ["ok@fine.example", "not an email"] }) { record { id } ${ERRORS} } }`);
    expect(field<CreateResult>(email, 'createPerson').userErrors).toEqual([
      { field: ['input', 'emailAddresses', '1'], message: expect.stringContaining('not a valid email') as unknown, code: 'INVALID' },
    ]);
    const emptyName = await run(h, `mutation { createDeal(input: { name: "  " }) { record { id } ${ERRORS} } }`);
    expect(field<CreateResult>(emptyName, 'createDeal').userErrors).toMatchObject([{ field: ['input', 'name'], code: 'REQUIRED' }]);
    const cleared = await run(h, `mutation { updateDeal(id: "x", input: { name: null }) { record { id } ${ERRORS} } }`);
    expect(field<CreateResult>(cleared, 'updateDeal').userErrors).toMatchObject([{ field: ['input', 'name'], code: 'REQUIRED' }]);
    const badDate = await run(h, `mutation { createDeal(input: { name: "Dated", closeDate: "2026-02-30" }) { record { id } } }`);
    expect(badDate.errors[0]?.message).toMatch(/LocalDate/);
    expect([email.calls, emptyName.calls, cleared.calls, badDate.calls]).toEqual([0, 0, 0, 0]);
    expect((await upstreamStats(h)).total).toBe(before);
  });
});

describe('update and delete', () => {
  it('updates a person (explicit null clears) and the next query sees it', async () => {
    const id = await firstId('people');
    const result = await run(
      h,
      `mutation($id: ID!) { updatePerson(id: $id, input: { jobTitle: "Chief Tester", description: null, phoneNumbers: ["+1 555 0100"] }) { record { id jobTitle description phoneNumbers } ${ERRORS} } }`,
      { id },
    );
    expect(field<CreateResult>(result, 'updatePerson')).toEqual({
      record: { id, jobTitle: 'Chief Tester', description: null, phoneNumbers: ['+1 555 0100'] },
      userErrors: [],
    });
    expect(result.calls).toBe(1);
    const after = await run(h, `query($id: ID!) { person(id: $id) { jobTitle } }`, { id });
    expect(field(after, 'person')).toEqual({ jobTitle: 'Chief Tester' });
  });

  it('updates a custom object through bulk PATCH', async () => {
    const id = await firstId('salesOrders');
    const before = await upstreamStats(h);
    const result = await run(h, `mutation($id: ID!) { updateSalesOrder(id: $id, input: { status: FULFILLED, amount: 99.5 }) { record { status amount } ${ERRORS} } }`, { id });
    expect(field(result, 'updateSalesOrder')).toEqual({ record: { status: 'FULFILLED', amount: 99.5 }, userErrors: [] });
    expect(routeDelta(before, await upstreamStats(h))).toEqual({ 'PATCH /objects/:object/records': 1 });
  });

  it('reports an unknown id as a NOT_FOUND user error', async () => {
    const result = await run(h, `mutation { updatePerson(id: "missing", input: { jobTitle: "x" }) { record { id } ${ERRORS} } deletePerson(id: "missing") { deletedId ${ERRORS} } }`);
    expect(field<CreateResult>(result, 'updatePerson').userErrors).toMatchObject([{ field: ['id'], code: 'NOT_FOUND' }]);
    expect(field(result, 'deletePerson')).toMatchObject({ deletedId: null, userErrors: [{ field: ['id'], code: 'NOT_FOUND' }] });
  });

  it('deletes a person: person(id) is null in the same operation and the next request', async () => {
    const id = await firstId('people');
    const result = await run(h, `mutation($id: ID!) { deletePerson(id: $id) { deletedId ${ERRORS} } }`, { id });
    expect(field(result, 'deletePerson')).toEqual({ deletedId: id, userErrors: [] });
    const read = await run(h, `query($id: ID!) { person(id: $id) { id } }`, { id });
    expect(read.data).toEqual({ person: null });
  });

  it('deletes a custom object record, and in bulk (all or nothing)', async () => {
    const ids = field<{ nodes: Rec[] }>(await run(h, `{ salesOrders(first: 3) { nodes { id } } }`), 'salesOrders').nodes.map((n) => n.id);
    const one = await run(h, `mutation($id: ID!) { deleteSalesOrder(id: $id) { deletedId } }`, { id: ids[0] });
    expect(field(one, 'deleteSalesOrder')).toEqual({ deletedId: ids[0] });
    const refused = await run(h, `mutation($ids: [ID!]!) { deleteSalesOrders(ids: $ids) { deletedIds ${ERRORS} } }`, { ids: [ids[1], 'missing'] });
    expect(field(refused, 'deleteSalesOrders')).toMatchObject({ deletedIds: [], userErrors: [{ field: ['ids', '1'], code: 'NOT_FOUND' }] });
    const bulk = await run(h, `mutation($ids: [ID!]!) { deleteSalesOrders(ids: $ids) { deletedIds ${ERRORS} } }`, { ids: ids.slice(1) });
    expect(field(bulk, 'deleteSalesOrders')).toEqual({ deletedIds: ids.slice(1), userErrors: [] });
    const read = await run(h, `query($a: ID!, $b: ID!, $c: ID!) { a: salesOrder(id: $a) { id } b: salesOrder(id: $b) { id } c: salesOrder(id: $c) { id } }`, {
      a: ids[0],
      b: ids[1],
      c: ids[2],
    });
    expect(read.data).toEqual({ a: null, b: null, c: null });
  });

  it('deletes people in bulk', async () => {
    const ids = field<{ nodes: Rec[] }>(await run(h, `{ people(first: 2) { nodes { id } } }`), 'people').nodes.map((n) => n.id);
    const result = await run(h, `mutation($ids: [ID!]!) { deletePeople(ids: $ids) { deletedIds } }`, { ids });
    expect(field(result, 'deletePeople')).toEqual({ deletedIds: ids });
    expect(result.calls).toBe(1);
  });
});

describe('bulk create', () => {
  const bulkPeople = `mutation($inputs: [CreatePersonInput!]!, $atomic: Boolean) {
    createPeople(inputs: $inputs, atomic: $atomic) { results { matched record { id emailAddresses } ${ERRORS} } ${ERRORS} } }`;
  interface BulkResult {
    results: CreateResult[];
    userErrors: UserError[];
  }

  it('creates 60 people in 3 upstream calls, 60 results in input order', async () => {
    const inputs = people(60, 'all');
    const document = parse(bulkPeople);
    expect(planDocument({ schema: h.schema, document, variables: { inputs } })!.plan.cost.predictedCalls).toBe(3);
    const result = await run(h, bulkPeople, { inputs });
    const payload = field<BulkResult>(result, 'createPeople');
    expect(payload.userErrors).toEqual([]);
    expect(payload.results.map((r) => r.record!.emailAddresses)).toEqual(inputs.map((i) => i.emailAddresses));
    expect(new Set(payload.results.map((r) => r.record!.id)).size).toBe(60);
    expect((await upstreamStats(h)).byRoute[BULK_ROUTE]).toBe(3);
    expect(result.calls).toBe(3);
    const again = field<BulkResult>(await run(h, bulkPeople, { inputs: inputs.slice(0, 2) }), 'createPeople');
    expect(again.results.map((r) => [r.matched, r.record!.id])).toEqual(payload.results.slice(0, 2).map((r) => [true, r.record!.id]));
  });

  it('reports an invalid email as that item’s user error and still makes 3 calls', async () => {
    const inputs = people(60, 'email');
    inputs[37]!.emailAddresses = ['not-an-email'];
    const result = await run(h, bulkPeople, { inputs });
    const payload = field<BulkResult>(result, 'createPeople');
    expect(payload.results).toHaveLength(60);
    expect(payload.results[37]).toEqual({
      matched: false,
      record: null,
      userErrors: [{ field: ['inputs', '37', 'emailAddresses', '0'], message: expect.stringContaining('not-an-email') as unknown, code: 'INVALID' }],
    });
    expect(payload.results.filter((r) => r.record !== null)).toHaveLength(59);
    expect(payload.results.filter((r, i) => i !== 37 && r.record!.emailAddresses !== undefined).map((r) => r.record!.emailAddresses)).toEqual(
      inputs.filter((_, i) => i !== 37).map((i) => i.emailAddresses),
    );
    expect(payload.userErrors).toEqual(payload.results[37]!.userErrors);
    expect((await upstreamStats(h)).byRoute[BULK_ROUTE]).toBe(3);
  });

  it('resends a batch Clarify rejected without the offending item: 4 calls, 59 written', async () => {
    const inputs: Record<string, unknown>[] = people(60, 'fk');
    inputs[30] = { ...inputs[30], companyId: 'no-such-company' };
    const result = await run(h, bulkPeople, { inputs });
    const payload = field<BulkResult>(result, 'createPeople');
    expect(payload.results[30]).toMatchObject({ record: null, userErrors: [{ field: ['inputs', '30', 'companyId'], code: 'VALIDATION' }] });
    expect(payload.results.filter((r) => r.record !== null && r.userErrors.length === 0)).toHaveLength(59);
    expect((await upstreamStats(h)).byRoute[BULK_ROUTE]).toBe(4);
  });

  it('atomic: refuses more than one batch with no call, and writes nothing when one item fails', async () => {
    const tooMany = field<BulkResult>(await run(h, bulkPeople, { inputs: people(26, 'atomic'), atomic: true }), 'createPeople');
    expect(tooMany.userErrors).toMatchObject([{ field: ['inputs'], code: 'TOO_MANY_FOR_ATOMIC' }]);
    expect(tooMany.results.every((r) => r.record === null && r.userErrors[0]?.code === 'NOT_WRITTEN')).toBe(true);
    expect((await upstreamStats(h)).total).toBe(0);

    const inputs: Record<string, unknown>[] = people(3, 'atomic-fk');
    inputs[1] = { ...inputs[1], companyId: 'no-such-company' };
    const failed = field<BulkResult>(await run(h, bulkPeople, { inputs, atomic: true }), 'createPeople');
    expect(failed.results.map((r) => r.userErrors.map((e) => e.code))).toEqual([['NOT_WRITTEN'], ['VALIDATION'], ['NOT_WRITTEN']]);
    expect((await upstreamStats(h)).byRoute[BULK_ROUTE]).toBe(1);
    const found = await run(h, `{ people(filter: { emailAddresses: { contains: "atomic-fk-" } }) { totalCount } }`);
    expect(field<{ totalCount: number }>(found, 'people').totalCount).toBe(0);
  });

  it('creates custom records and tasks in bulk', async () => {
    const orders = Array.from({ length: 30 }, (_, i) => ({ name: `SO-BULK-${i}`, amount: i }));
    const result = await run(h, `mutation($inputs: [CreateSalesOrderInput!]!) { createSalesOrders(inputs: $inputs) { results { record { name } } ${ERRORS} } }`, { inputs: orders });
    const payload = field<BulkResult>(result, 'createSalesOrders');
    expect(payload.results.map((r) => r.record!.name)).toEqual(orders.map((o) => o.name));
    const tasks = await run(h, `mutation { createTasks(inputs: [{ title: "T" }, { title: "T" }]) { results { matched record { id } } } }`);
    const ids = field<BulkResult>(tasks, 'createTasks').results.map((r) => r.record!.id);
    expect(new Set(ids).size).toBe(2);
    expect((await upstreamStats(h)).byRoute[BULK_ROUTE]).toBe(3);
  });
});

describe('bulk update', () => {
  it('updates several records in one call, and maps a rejected item to its input path', async () => {
    const ids = field<{ nodes: Rec[] }>(await run(h, `{ salesOrders(first: 3) { nodes { id } } }`), 'salesOrders').nodes.map((n) => n.id);
    const mutation = `mutation($inputs: [UpdateSalesOrderItemInput!]!) { updateSalesOrders(inputs: $inputs) { results { record { id status } ${ERRORS} } ${ERRORS} } }`;
    const ok = await run(h, mutation, { inputs: ids.map((id) => ({ id, status: 'CANCELED' })) });
    expect(field<{ results: CreateResult[] }>(ok, 'updateSalesOrders').results.map((r) => r.record)).toEqual(ids.map((id) => ({ id, status: 'CANCELED' })));
    expect(ok.calls).toBe(1);
    const bad = await run(h, mutation, { inputs: [{ id: ids[0], status: 'DRAFT' }, { id: ids[1], companyId: 'no-such-company' }] });
    const payload = field<{ results: CreateResult[]; userErrors: UserError[] }>(bad, 'updateSalesOrders');
    expect(payload.userErrors).toMatchObject([{ field: ['inputs', '1', 'companyId'], code: 'VALIDATION' }]);
    expect(payload.results.map((r) => r.userErrors[0]?.code)).toEqual(['NOT_WRITTEN', 'VALIDATION']);
    const read = await run(h, `query($id: ID!) { salesOrder(id: $id) { status } }`, { id: ids[0] });
    expect(field(read, 'salesOrder')).toEqual({ status: 'CANCELED' });
  });

  it('updates people in bulk', async () => {
    const ids = field<{ nodes: Rec[] }>(await run(h, `{ people(first: 2) { nodes { id } } }`), 'people').nodes.map((n) => n.id);
    const result = await run(h, `mutation($inputs: [UpdatePersonItemInput!]!) { updatePeople(inputs: $inputs) { results { record { id jobTitle } } } }`, {
      inputs: ids.map((id, i) => ({ id, jobTitle: `Bulk ${i}` })),
    });
    expect(field<{ results: CreateResult[] }>(result, 'updatePeople').results.map((r) => r.record)).toEqual(ids.map((id, i) => ({ id, jobTitle: `Bulk ${i}` })));
  });
});

describe('relationships', () => {
  it('adds and removes deal people (many-to-many): the union is kept and the next query sees it', async () => {
    const deal = field<{ nodes: { id: string; people: { nodes: Rec[] } }[] }>(await run(h, `{ deals(first: 1) { nodes { id people { nodes { id } } } } }`), 'deals').nodes[0]!;
    const before = deal.people.nodes.map((p) => p.id);
    const created = field<{ results: CreateResult[] }>(await run(h, `mutation($inputs: [CreatePersonInput!]!) { createPeople(inputs: $inputs) { results { record { id } } } }`, { inputs: people(2, 'rel') }), 'createPeople');
    const added = created.results.map((r) => r.record!.id);
    const add = await run(h, `mutation($id: ID!, $one: ID!) { addDealPeople(id: $id, ids: [$one]) { record { id } ${ERRORS} } }`, { id: deal.id, one: added[0] });
    // GET the deal, PATCH the union, read the set back.
    expect(add.calls).toBe(3);
    expect(field(add, 'addDealPeople')).toEqual({ record: { id: deal.id }, userErrors: [] });
    const again = await run(h, `mutation($id: ID!, $ids: [ID!]!) { addDealPeople(id: $id, ids: $ids) { record { id people { nodes { id } } } ${ERRORS} } }`, { id: deal.id, ids: added });
    expect(field<{ record: { people: { nodes: Rec[] } } }>(again, 'addDealPeople').record.people.nodes.map((p) => p.id).sort()).toEqual([...before, ...added].sort());
    const read = async () =>
      field<{ people: { nodes: Rec[] } }>(await run(h, `query($id: ID!) { deal(id: $id) { people { nodes { id } } } }`, { id: deal.id }), 'deal').people.nodes.map((p) => p.id).sort();
    expect(await read()).toEqual([...before, ...added].sort());

    const remove = await run(h, `mutation($id: ID!, $ids: [ID!]!) { removeDealPeople(id: $id, ids: $ids) { record { people { nodes { id } } } ${ERRORS} } }`, { id: deal.id, ids: [added[0]] });
    expect(remove.calls).toBe(2);
    expect(field<{ userErrors: UserError[] }>(remove, 'removeDealPeople').userErrors).toEqual([]);
    expect(await read()).toEqual([...before, added[1]!].sort());
    const person = await run(h, `query($id: ID!) { person(id: $id) { deals { nodes { id } } } }`, { id: added[1] });
    expect(field<{ deals: { nodes: Rec[] } }>(person, 'person').deals.nodes.map((d) => d.id)).toEqual([deal.id]);
  });

  it('adds and removes company people (one-to-many), moving the person’s companyId', async () => {
    const companies = field<{ nodes: Rec[] }>(await run(h, `{ companies(first: 1) { nodes { id: clarifyId } } }`), 'companies').nodes;
    const person = field<CreateResult>(await run(h, `mutation { createPerson(input: { name: { fullName: "Moved Person" } }) { record { id } } }`), 'createPerson').record!;
    const add = await run(h, `mutation($id: ID!, $ids: [ID!]!) { addCompanyPeople(id: $id, ids: $ids) { record { id } ${ERRORS} } }`, { id: companies[0]!.id, ids: [person.id] });
    expect(field<{ userErrors: UserError[] }>(add, 'addCompanyPeople').userErrors).toEqual([]);
    const read = async () => field<{ companyId: string | null }>(await run(h, `query($id: ID!) { person(id: $id) { companyId } }`, { id: person.id }), 'person').companyId;
    expect(await read()).toBe(companies[0]!.id);
    await run(h, `mutation($id: ID!, $ids: [ID!]!) { removeCompanyPeople(id: $id, ids: $ids) { record { id } } }`, { id: companies[0]!.id, ids: [person.id] });
    expect(await read()).toBeNull();
  });

  it('reports an unknown related id as a user error', async () => {
    const dealId = await firstId('deals');
    const result = await run(h, `mutation($id: ID!) { addDealPeople(id: $id, ids: ["missing"]) { record { id } ${ERRORS} } }`, { id: dealId });
    expect(field(result, 'addDealPeople')).toMatchObject({ record: null, userErrors: [{ field: ['ids', '0'], code: 'NOT_FOUND' }] });
    const noDeal = await run(h, `mutation { addDealPeople(id: "missing", ids: []) { record { id } ${ERRORS} } }`);
    expect(field(noDeal, 'addDealPeople')).toMatchObject({ record: null, userErrors: [{ field: ['id'], code: 'NOT_FOUND' }] });
  });
});

describe('cache coherence', () => {
  it('later fields of the same operation see the write', async () => {
    const id = await firstId('people');
    const result = await run(
      h,
      `mutation($id: ID!) {
        before: updatePerson(id: $id, input: { jobTitle: "First" }) { record { jobTitle } }
        after: updatePerson(id: $id, input: { description: "Second" }) { record { jobTitle description } }
      }`,
      { id },
    );
    expect(result.data).toEqual({ before: { record: { jobTitle: 'First' } }, after: { record: { jobTitle: 'First', description: 'Second' } } });
  });
});
