import { describe, expect, it } from 'vitest';
import { findField, findObject } from '../../src/workspace/model.js';
import { parseWorkspaceModel } from '../../src/workspace/parse-schemas.js';

const ENTITY = 'https://getclarify.ai/schemas/entities/';

function item(slug: string, attributes: Record<string, unknown>) {
  return { id: `${ENTITY}${slug}`, type: 'schema', attributes: { $id: `${ENTITY}${slug}`, type: 'object', ...attributes } };
}

const deal = item('deal', {
  title: 'Deal',
  xClarifyLabel: { singular: 'Deal', plural: 'Deals' },
  required: ['name'],
  properties: {
    _id: { type: 'string' },
    _created_at: { type: 'string', format: 'date-time' },
    _created_by: { type: ['string', 'null'] },
    name: { type: 'string', title: 'Name', xClarifyPrimary: true, xClarifyUnique: true },
    amount: { type: ['number', 'null'], title: 'Amount' },
    stage: { type: ['string', 'null'], enum: ['Won', 'Lost', null], xClarifyEnumMetadata: {} },
    close_date: { type: ['string', 'null'], format: 'date' },
    company_id: { type: ['string', 'null'], xClarifyRelationship: { kind: 'many-to-one', entity: 'company', field: 'deals' } },
    owner_id: { type: ['string', 'null'], xClarifyRelationship: { kind: 'many-to-one', entity: 'user' } },
    people: {
      oneOf: [{ $ref: 'https://getclarify.ai/schemas/core/collectionOfIds' }, { type: 'null' }],
      xClarifyRelationship: { kind: 'many-to-many', entity: 'person', field: 'deals' },
    },
  },
});

describe('parseWorkspaceModel', () => {
  it('reads objects, labels, unique and primary fields, and skips core helpers', () => {
    const model = parseWorkspaceModel([
      deal,
      { id: 'https://getclarify.ai/schemas/core/collectionOfIds', type: 'schema', attributes: { type: 'object' } },
    ]);
    expect(model.objects.map((o) => o.slug)).toEqual(['deal']);
    const object = findObject(model, 'deal')!;
    expect(object).toMatchObject({ singular: 'Deal', plural: 'Deals', uniqueField: 'name', primaryField: 'name', custom: false });
    expect(model.warnings).toEqual([]);
  });

  it('classifies every field kind', () => {
    const object = findObject(parseWorkspaceModel([deal]), 'deal')!;
    const kinds = Object.fromEntries(object.fields.map((f) => [f.name, f.kind]));
    expect(kinds).toEqual({
      _id: 'id',
      _created_at: 'dateTime',
      _created_by: 'text',
      name: 'text',
      amount: 'number',
      stage: 'select',
      close_date: 'date',
      company_id: 'reference',
      owner_id: 'userReference',
      people: 'toMany',
    });
    expect(findField(object, 'stage')).toMatchObject({ options: ['Won', 'Lost'], nullable: true });
    expect(findField(object, 'people')!.relationship).toEqual({ kind: 'many-to-many', target: 'person', inverse: 'deals' });
    expect(findField(object, 'owner_id')!.relationship).toEqual({ kind: 'many-to-one', target: 'user' });
    expect(findField(object, '_created_at')!.readOnly).toBe(true);
    expect(findField(object, 'name')).toMatchObject({ required: true, unique: true, readOnly: false });
  });

  it('recognises object-shaped fields: name, rich text, collections and multi-select', () => {
    const model = parseWorkspaceModel([
      item('c_thing', {
        properties: {
          name: { type: ['object', 'null'], properties: { first_name: {}, last_name: {}, full_name: {} } },
          notes: { type: ['object', 'null'], properties: { text: { type: 'array' } } },
          emails: { type: ['object', 'null'], properties: { items: { type: 'array', items: { type: 'string' } } } },
          tags: {
            type: ['object', 'null'],
            properties: { items: { type: 'array', items: { type: 'string', enum: ['Hot', 'Partner'] } } },
          },
          participants: {
            type: ['object', 'null'],
            properties: {
              items: {
                type: 'array',
                items: { type: 'object', properties: { email: { type: 'string' }, organizer: { type: 'boolean' } } },
              },
            },
          },
          signed_on: { type: 'date' },
        },
      }),
    ]);
    const object = findObject(model, 'c_thing')!;
    expect(object.custom).toBe(true);
    expect(object.fields.map((f) => [f.name, f.kind])).toEqual([
      ['name', 'personName'],
      ['notes', 'richText'],
      ['emails', 'stringCollection'],
      ['tags', 'multiSelect'],
      ['participants', 'objectCollection'],
      ['signed_on', 'date'],
    ]);
    expect(findField(object, 'tags')!.options).toEqual(['Hot', 'Partner']);
    expect(findField(object, 'participants')!.itemProperties).toEqual([
      { name: 'email', kind: 'text' },
      { name: 'organizer', kind: 'boolean' },
    ]);
  });

  it('turns a shape it does not understand into JSON with a warning, never a crash', () => {
    const model = parseWorkspaceModel([
      item('c_odd', { properties: { weird: { anyOf: [{ type: 'integer' }, { type: 'string' }] }, broken: 42 } }),
      'not an item',
      null,
    ]);
    const object = findObject(model, 'c_odd')!;
    expect(object.fields.map((f) => [f.name, f.kind])).toEqual([
      ['weird', 'json'],
      ['broken', 'json'],
    ]);
    expect(model.warnings).toHaveLength(2);
    expect(model.warnings[0]).toContain('c_odd.weird');
  });

  it('accepts the older map form keyed by core/<slug> and the whole response document', () => {
    const map = {
      'core/person': { title: 'Person', properties: { name: { type: 'string' } } },
      'core/collectionOfIds': { type: 'object', properties: { items: { type: 'array' } } },
    };
    expect(parseWorkspaceModel(map).objects.map((o) => o.slug)).toEqual(['person']);
    const entities = { 'entities/person': { title: 'Person', properties: { name: { type: 'string' } } } };
    expect(parseWorkspaceModel(entities).objects.map((o) => o.slug)).toEqual(['person']);
    expect(parseWorkspaceModel({ data: [deal], links: { next: null } }).objects.map((o) => o.slug)).toEqual(['deal']);
  });

  it('keeps the first of two schemas with the same slug, with a warning', () => {
    const model = parseWorkspaceModel([deal, item('deal', { title: 'Other', properties: {} })]);
    expect(model.objects).toHaveLength(1);
    expect(model.objects[0]!.title).toBe('Deal');
    expect(model.warnings).toEqual(['schema deal: listed twice; the first is used']);
  });

  it('falls back to the title and slug when labels are missing', () => {
    const object = findObject(parseWorkspaceModel([item('c_sales_order', { properties: {} })]), 'c_sales_order')!;
    expect(object).toMatchObject({ title: 'Sales Order', singular: 'Sales Order', plural: 'Sales Orders' });
  });
});
