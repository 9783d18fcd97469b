import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, REAL_API, attr, firstError, unique, type SingleDoc } from './target.js';

interface SchemaItem {
  id: string;
  type: string;
  attributes: {
    $schema: string;
    $id: string;
    title: string;
    xClarifyLabel: { singular: string; plural: string };
    required: string[];
    properties: Record<string, Record<string, unknown>>;
  };
}
interface SchemasDoc {
  data: SchemaItem[];
  links: { next: string | null; prev: string | null };
}

const ENTITY = 'https://getclarify.ai/schemas/entities/';

let api: Api;
beforeAll(async () => {
  api = await Api.open();
});
afterAll(async () => {
  await api.close();
});

async function schemas(): Promise<Map<string, SchemaItem>> {
  const response = await api.get('/schemas');
  expect(response.status).toBe(200);
  const doc = response.json<SchemasDoc>();
  return new Map(doc.data.map((item) => [item.id, item]));
}

describe('GET /schemas', () => {
  it('lists every object as a JSON Schema item, plus core helpers, with null links at the end', async () => {
    const response = await api.get('/schemas');
    const doc = response.json<SchemasDoc>();
    expect(doc.links).toEqual({ next: null, prev: null });
    const ids = doc.data.map((item) => item.id);
    for (const slug of ['person', 'company', 'deal', 'meeting', 'task', 'user']) expect(ids).toContain(`${ENTITY}${slug}`);
    expect(ids).toContain('https://getclarify.ai/schemas/core/collectionOfIds');
    for (const item of doc.data) {
      expect(item.type).toBe('schema');
      expect(item.attributes.$id).toBe(item.id);
    }
  });

  it('describes deal as the contract shows: labels, unique primary name, enums, date, relationships', async () => {
    const deal = (await schemas()).get(`${ENTITY}deal`)!;
    const a = deal.attributes;
    expect(a.$schema).toBe('https://json-schema.org/draft/2020-12/clarify');
    expect(a.xClarifyLabel).toEqual({ singular: 'Deal', plural: 'Deals' });
    expect(a.required).toEqual(['name']);
    const p = a.properties;
    expect(p.name).toMatchObject({ type: 'string', xClarifyPrimary: true, xClarifyUnique: true });
    expect(p.stage!.enum).toEqual(['Prospecting', 'Qualification', 'Proposal', 'Negotiation', 'Won', 'Lost', null]);
    expect(Object.keys(p.stage!.xClarifyEnumMetadata as object)).toEqual(['Prospecting', 'Qualification', 'Proposal', 'Negotiation', 'Won', 'Lost']);
    expect(p.close_date).toMatchObject({ type: ['string', 'null'], format: 'date' });
    expect(p._created_at).toMatchObject({ type: 'string', format: 'date-time' });
    expect(p.company_id!.xClarifyRelationship).toEqual({ kind: 'many-to-one', entity: 'company', field: 'deals' });
    expect(p.owner_id!.xClarifyRelationship).toEqual({ kind: 'many-to-one', entity: 'user' });
    expect(p.people!.xClarifyRelationship).toEqual({ kind: 'many-to-many', entity: 'person', field: 'deals' });
    expect(p.tasks!.xClarifyRelationship).toEqual({ kind: 'one-to-many', entity: 'task', field: 'deal_id' });
    expect(p.people!.oneOf).toEqual([{ $ref: 'https://getclarify.ai/schemas/core/collectionOfIds' }, { type: 'null' }]);
  });

  it('distinguishes date-time from date and marks the unique collection fields', async () => {
    const all = await schemas();
    const meeting = all.get(`${ENTITY}meeting`)!.attributes.properties;
    expect(meeting.start).toMatchObject({ format: 'date-time' });
    const person = all.get(`${ENTITY}person`)!.attributes.properties;
    expect(person.email_addresses).toMatchObject({ xClarifyUnique: true });
    expect(person.name).toMatchObject({ xClarifyPrimary: true });
    const company = all.get(`${ENTITY}company`)!.attributes.properties;
    expect(company.domains).toMatchObject({ xClarifyUnique: true });
    expect(company.people!.xClarifyRelationship).toEqual({ kind: 'one-to-many', entity: 'person', field: 'company_id' });
  });

  it.skipIf(REAL_API)('includes the seeded custom object c_sales_order', async () => {
    const order = (await schemas()).get(`${ENTITY}c_sales_order`)!.attributes;
    expect(order.xClarifyLabel).toEqual({ singular: 'Sales Order', plural: 'Sales Orders' });
    expect(order.properties.name).toMatchObject({ xClarifyPrimary: true, xClarifyUnique: true });
    expect(order.properties.ordered_on).toMatchObject({ format: 'date' });
    expect(order.properties.status!.enum).toEqual(['Draft', 'Confirmed', 'Fulfilled', 'Canceled', null]);
    expect(order.properties.deal_id!.xClarifyRelationship).toEqual({ kind: 'many-to-one', entity: 'deal' });
  });
});

// Schema writes are not undone by the suite, so they run against the sandbox only.
describe.skipIf(REAL_API)('POST /schemas/objects', () => {
  it('creates a custom object that appears in /schemas at once and whose records work', async () => {
    const response = await api.post('/schemas/objects', {
      name: 'Support Ticket',
      plural: 'Support Tickets',
      description: 'Customer tickets',
      properties: {
        priority: { type: ['string', 'null'], enum: ['P1', 'P2', null] },
        opened_on: { type: 'date' },
        company_id: { type: ['string', 'null'], xClarifyRelationship: { kind: 'many-to-one', entity: 'company' } },
      },
    });
    expect(response.status).toBe(201);
    const item = response.json<{ data: SchemaItem }>().data;
    expect(item.id).toBe(`${ENTITY}c_support_ticket`);
    expect(item.attributes.properties.name).toMatchObject({ type: ['string', 'null'], xClarifyPrimary: true });
    expect((await schemas()).has(`${ENTITY}c_support_ticket`)).toBe(true);

    const created = await api.post('/objects/c_support_ticket/records', {
      data: { type: 'c_support_ticket', attributes: { name: 'Printer on fire', priority: 'P1', opened_on: '2026-01-02' } },
    });
    expect(created.status).toBe(201);
    const record = created.json<SingleDoc>().data;
    expect(record.attributes).toMatchObject({ name: 'Printer on fire', priority: 'P1', opened_on: '2026-01-02', company_id: null });
    expect(record.relationships.company_id).toEqual({ data: null });
    expect((await api.post('/objects/c_support_ticket/records', { data: { type: 'record', attributes: { priority: 'p1' } } })).status).toBe(422);
    const list = await api.list('/objects/c_support_ticket/resources?filter[priority]=P1');
    expect(list.data.map((r) => r.id)).toEqual([record.id]);
  });

  it('answers 422 for an existing slug and for invalid names', async () => {
    const duplicate = await api.post('/schemas/objects', { name: 'Sales Order', plural: 'Sales Orders' });
    expect(duplicate.status).toBe(422);
    expect(firstError(duplicate).title).toBe('Invalid input');
    expect((await api.post('/schemas/objects', { name: '', plural: 'Nothing' })).status).toBe(422);
    expect((await api.post('/schemas/objects', { name: 'x'.repeat(33), plural: 'Long' })).status).toBe(422);
  });
});

describe.skipIf(REAL_API)('POST /schemas/{entity}/properties', () => {
  it('answers 202 and the new fields are in /schemas and writable at once', async () => {
    const response = await api.post('/schemas/person/properties', {
      data: {
        type: 'schema-properties',
        attributes: {
          tier: { type: ['string', 'null'], enum: ['Gold', 'Silver', null] },
          tags: { type: ['object', 'null'], properties: { items: { type: 'array', items: { type: 'string', enum: ['Hot', 'Partner'] } } } },
          birthday: { type: 'date' },
        },
      },
    });
    expect(response.status).toBe(202);
    expect(response.text).toBe('');
    const person = (await schemas()).get(`${ENTITY}person`)!.attributes.properties;
    expect(person.tier!.enum).toEqual(['Gold', 'Silver', null]);
    expect(person.birthday).toMatchObject({ format: 'date' });

    const email = `${unique('tier').replace(/\W/g, '')}@example.com`;
    const created = await api.post('/objects/person/records', {
      data: { type: 'person', attributes: { name: 'Tier Person', email_addresses: { items: [email] }, tier: 'Gold', tags: { items: ['Hot'] } } },
    });
    expect(created.status).toBe(201);
    const record = created.json<SingleDoc>().data;
    expect(attr(record, 'tier')).toBe('Gold');
    expect(attr(record, 'tags')).toEqual({ items: ['Hot'] });
    expect(attr(record, 'birthday')).toBeNull();
    const filtered = await api.list('/objects/person/resources?filter[tier]=Gold');
    expect(filtered.data.map((r) => r.id)).toEqual([record.id]);
  });

  it('leaves an existing field exactly as it was', async () => {
    const before = (await schemas()).get(`${ENTITY}deal`)!.attributes.properties.stage;
    const response = await api.post('/schemas/deal/properties', {
      data: { type: 'schema-properties', attributes: { stage: { type: ['string', 'null'], enum: ['won', null] } } },
    });
    expect(response.status).toBe(202);
    expect((await schemas()).get(`${ENTITY}deal`)!.attributes.properties.stage).toEqual(before);
  });

  it('answers 422 for "_" names, 404 for core/ or unknown entities, 400 for a wrong envelope', async () => {
    const reserved = await api.post('/schemas/person/properties', { data: { type: 'schema-properties', attributes: { _secret: { type: 'string' } } } });
    expect(reserved.status).toBe(422);
    expect(firstError(reserved).source?.pointer).toBe('/data/attributes/_secret');
    expect((await api.post('/schemas/core%2Fperson/properties', { data: { type: 'schema-properties', attributes: {} } })).status).toBe(404);
    expect((await api.post('/schemas/spaceship/properties', { data: { type: 'schema-properties', attributes: {} } })).status).toBe(404);
    expect((await api.post('/schemas/person/properties', { tier: { type: 'string' } })).status).toBe(400);
  });
});
