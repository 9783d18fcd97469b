import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CallLog } from '../../src/client/call-log.js';
import type { ClarifyClient } from '../../src/client/clarify-client.js';
import type { CallOptions, ListPage } from '../../src/client/types.js';
import { rejection, startControlledSandbox, type SandboxControl } from '../helpers/sandbox-control.js';

let control: SandboxControl;
let client: ClarifyClient;
let log: CallLog;
let call: CallOptions;

beforeAll(async () => {
  control = await startControlledSandbox({ records: 3000 });
  client = control.client();
});

afterAll(async () => {
  await client.close();
  await control.sandbox.close();
});

beforeEach(() => {
  log = new CallLog();
  call = { credential: control.credential, recorder: log };
});

describe('reads', () => {
  it('lists every schema', async () => {
    const items = await client.listSchemas(call);
    const ids = items.map((item) => (item as { id: string }).id);
    expect(ids).toEqual(expect.arrayContaining(['https://getclarify.ai/schemas/entities/person', 'https://getclarify.ai/schemas/entities/c_sales_order']));
    expect(log.byRoute()).toEqual({ 'GET /schemas': 1 });
  });

  it('pages through more than 1,200 records by links.next with 500 per page', async () => {
    const before = await control.count('GET /objects/:object/resources');
    const pages: ListPage[] = [];
    for await (const page of client.listAll('person', {}, call)) pages.push(page);
    const total = pages[0]!.meta.totalRecords;
    expect(total).toBeGreaterThanOrEqual(1200);
    expect(pages.map((page) => page.data.length)).toEqual(Array.from({ length: Math.ceil(total / 500) }, (_v, i) => Math.min(500, total - i * 500)));
    expect(new Set(pages.flatMap((page) => page.data.map((record) => record.id))).size).toBe(total);
    expect(pages.every((page) => page.meta.limit === 500)).toBe(true);
    expect(pages.at(-1)!.links.next).toBeNull();
    expect(log.count).toBe(pages.length);
    expect((await control.count('GET /objects/:object/resources')) - before).toBe(pages.length);
  });

  it('filters, sorts and includes', async () => {
    const page = await client.list(
      'deal',
      {
        filter: [
          { path: 'stage', operator: 'One of', value: 'Won,Negotiation' },
          { path: 'amount', operator: 'Greater than', value: '1000' },
        ],
        sort: { column: 'amount', dir: 'DESC' },
        include: ['company_id'],
        limit: 20,
      },
      call,
    );
    expect(page.data.length).toBeGreaterThan(0);
    const amounts = page.data.map((deal) => deal.attributes.amount as number);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    for (const deal of page.data) {
      expect(['Won', 'Negotiation']).toContain(deal.attributes.stage);
      expect(deal.attributes.amount as number).toBeGreaterThan(1000);
    }
    const companyIds = new Set(page.data.map((deal) => deal.attributes.company_id).filter((id) => id !== null));
    expect(new Set(page.included.filter((r) => r.type === 'company').map((r) => r.id))).toEqual(companyIds);
    expect(page.meta.limit).toBe(20);
  });

  it('filters across a relationship path with spaces in the value', async () => {
    const companies = await client.list('company', { filter: [{ path: 'name', operator: 'Contains', value: ' ' }], limit: 1 }, call);
    const company = companies.data[0]!;
    const deals = await client.list('deal', { filter: [{ path: 'deal.company_id.name', operator: 'Is', value: company.attributes.name as string }] }, call);
    for (const deal of deals.data) expect(deal.attributes.company_id).toBe(company.id);
  });

  it('reads one record with include, and null for an unknown id', async () => {
    const people = await client.list('person', { filter: [{ path: 'company_id', operator: 'Is not empty', value: '' }], limit: 1 }, call);
    const person = people.data[0]!;
    const doc = await client.get('person', person.id, { include: ['company_id'] }, call);
    expect(doc?.data.id).toBe(person.id);
    expect(doc?.data.relationships.company_id).toEqual({ kind: 'one', data: { type: 'company', id: person.attributes.company_id } });
    expect(doc?.included.map((r) => r.id)).toEqual([person.attributes.company_id]);
    expect(await client.get('person', '00000000-0000-4000-8000-000000000000', {}, call)).toBeNull();
    expect(log.entries.at(-1)).toMatchObject({ route: 'GET /objects/:object/resources/:id', status: 404, attempts: 1 });
  });

  it('lists and reads users; actor ids are null', async () => {
    const users = await client.listUsers({ sort: { column: 'email', dir: 'ASC' } }, call);
    expect(users.data.length).toBeGreaterThan(0);
    const emails = users.data.map((u) => u.attributes.email as string);
    expect(emails).toEqual([...emails].sort());
    const user = await client.getUser(users.data[0]!.id, call);
    expect(user?.attributes.name).toMatchObject({ full_name: expect.any(String) });
    expect(await client.getUser('system', call)).toBeNull();
    expect(log.byRoute()).toEqual({ 'GET /users': 1, 'GET /users/:id': 2 });
  });
});

describe('writes', () => {
  it('creates and upserts with match_on, reporting matched only on 200', async () => {
    const email = `upsert.${Date.now()}@example.com`;
    const first = await client.create('person', { name: 'Ada Lovelace', email_addresses: { items: [email] } }, { matchOn: 'email_addresses' }, call);
    expect(first.matched).toBe(false);
    expect(first.document.data.attributes.name).toEqual({ first_name: 'Ada', last_name: 'Lovelace', full_name: 'Ada Lovelace' });
    const second = await client.create('person', { job_title: 'Countess', email_addresses: { items: [email] } }, { matchOn: 'email_addresses' }, call);
    expect(second.matched).toBe(true);
    expect(second.document.data.id).toBe(first.document.data.id);
    expect(log.entries.map((e) => e.status)).toEqual([201, 200]);
  });

  it('creates a task, updates it, deletes it', async () => {
    const created = await client.create('task', { title: 'Call Acme', status: 'To Do' }, {}, call);
    const id = created.document.data.id;
    const updated = await client.update('task', id, { status: 'Done' }, call);
    expect(updated.attributes).toMatchObject({ title: 'Call Acme', status: 'Done' });
    await client.delete('task', id, call);
    expect(await client.get('task', id, {}, call)).toBeNull();
    const again = await rejection(client.delete('task', id, call));
    expect(again.code).toBe('NOT_FOUND');
    expect(log.byRoute()).toEqual({
      'POST /objects/:object/records': 1,
      'PATCH /objects/:object/records/:id': 1,
      'DELETE /objects/:object/records/:id': 2,
      'GET /objects/:object/resources/:id': 1,
    });
  });

  it('updates a custom object through bulk PATCH', async () => {
    const orders = await client.list('c_sales_order', { limit: 1 }, call);
    const order = orders.data[0]!;
    const updated = await client.update('c_sales_order', order.id, { status: 'Fulfilled' }, call);
    expect(updated.id).toBe(order.id);
    expect(updated.attributes.status).toBe('Fulfilled');
    expect(log.byRoute()).toEqual({ 'GET /objects/:object/resources': 1, 'PATCH /objects/:object/records': 1 });
  });

  it('bulk creates, bulk updates and bulk deletes in one call each', async () => {
    const stamp = Date.now();
    const created = await client.bulkCreate('deal', [0, 1, 2].map((i) => ({ name: `Bulk ${stamp} ${i}`, stage: 'Prospecting' })), {}, call);
    expect(created.map((d) => d.attributes.name)).toEqual([0, 1, 2].map((i) => `Bulk ${stamp} ${i}`));
    const updated = await client.bulkUpdate('deal', created.map((d) => ({ id: d.id, attributes: { stage: 'Won' } })), call);
    expect(updated.map((d) => d.attributes.stage)).toEqual(['Won', 'Won', 'Won']);
    const upserted = await client.bulkCreate('deal', [{ name: `Bulk ${stamp} 0`, amount: 5 }], { matchOn: 'name' }, call);
    expect(upserted[0]?.id).toBe(created[0]?.id);
    await client.bulkDelete('deal', created.map((d) => d.id), call);
    const left = await client.list('deal', { filter: [{ path: 'name', operator: 'Starts with', value: `Bulk ${stamp}` }] }, call);
    expect(left.data).toEqual([]);
    expect(log.byRoute()).toEqual({
      'POST /objects/:object/records/bulk': 2,
      'PATCH /objects/:object/records': 1,
      'DELETE /objects/:object/records': 1,
      'GET /objects/:object/resources': 1,
    });
  });

  it('maps validation errors with their pointer and bad queries with their parameter', async () => {
    const invalid = await rejection(client.create('deal', { name: `Bad ${Date.now()}`, stage: 'won' }, {}, call));
    expect(invalid).toMatchObject({ code: 'VALIDATION', status: 422, route: 'POST /objects/:object/records', attempts: 1 });
    expect(invalid.issues[0]?.pointer).toBe('/data/attributes/stage');
    const badFilter = await rejection(client.list('deal', { filter: [{ path: 'nope', operator: 'Is', value: 'x' }] }, call));
    expect(badFilter).toMatchObject({ code: 'BAD_REQUEST', status: 400 });
    expect(badFilter.issues[0]?.parameter).toContain('nope');
    const unauthenticated = await rejection(client.list('deal', {}, { credential: 'Bearer sandbox-key' }));
    expect(unauthenticated).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, attempts: 1 });
  });
});

describe('relationships', () => {
  it('lists, links and unlinks', async () => {
    const deals = await client.list('deal', { limit: 1 }, call);
    const deal = deals.data[0]!;
    const people = await client.list('person', { limit: 3 }, call);
    const targets = people.data.map((p) => ({ type: 'person', id: p.id }));

    const linked = await client.linkRelationship('deal', deal.id, 'people', targets, call);
    expect(new Set(linked.map((t) => t.id))).toEqual(new Set(targets.map((t) => t.id)));

    const related = await client.listRelationship('deal', deal.id, 'people', { include: ['company_id'] }, call);
    expect(new Set(related.data.map((p) => p.id))).toEqual(new Set(targets.map((t) => t.id)));
    expect(related.data.every((p) => p.identifierOnly === undefined && p.type === 'person')).toBe(true);
    expect(related.meta.totalRecords).toBe(3);

    await client.unlinkRelationship('deal', deal.id, 'people', [targets[0]!], call);
    const after = await client.listRelationship('deal', deal.id, 'people', {}, call);
    expect(new Set(after.data.map((p) => p.id))).toEqual(new Set(targets.slice(1).map((t) => t.id)));

    const pages: ListPage[] = [];
    for await (const page of client.listAllRelationship('deal', deal.id, 'people', { limit: 1 }, call)) pages.push(page);
    expect(pages.map((p) => p.data.length)).toEqual([1, 1]);

    expect(log.byRoute()).toMatchObject({
      'PATCH /objects/:object/records/:id/relationships/:rel': 1,
      'DELETE /objects/:object/records/:id/relationships/:rel': 1,
      'GET /objects/:object/records/:id/relationships/:rel': 4,
    });
  });
});
