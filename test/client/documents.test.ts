import { describe, expect, it } from 'vitest';
import {
  BadDocument,
  nameFromString,
  parseIdentifiers,
  parseListDocument,
  parseSingleDocument,
} from '../../src/client/documents.js';

const shape = { limit: 500, offset: 0 };

describe('single documents', () => {
  it('narrows a person with relationships and included', () => {
    const doc = parseSingleDocument({
      data: {
        type: 'person',
        id: 'p1',
        attributes: { _id: 'p1', name: { first_name: 'Jane', last_name: 'Doe', full_name: 'Jane Doe' }, job_title: 'CTO', company_id: 'c1' },
        relationships: {
          company_id: { data: { type: 'company', id: 'c1' } },
          deals: { data: [{ type: 'deal', id: 'd1' }], meta: { count: 3 } },
          tasks: { data: [] },
          owner: { links: { related: 'x' } },
        },
      },
      included: [{ type: 'company', id: 'c1', attributes: { _id: 'c1', name: 'Acme' } }],
    });
    expect(doc.data.relationships).toEqual({
      company_id: { kind: 'one', data: { type: 'company', id: 'c1' } },
      deals: { kind: 'many', data: [{ type: 'deal', id: 'd1' }], count: 3 },
      tasks: { kind: 'many', data: [], count: 0 },
    });
    expect(doc.included).toEqual([{ type: 'company', id: 'c1', attributes: { _id: 'c1', name: 'Acme' }, relationships: {} }]);
  });

  it('normalises a string person name and the docs-site title', () => {
    const doc = parseSingleDocument({ data: { type: 'person', id: 'p1', attributes: { name: '  Mary  Ann Smith ', title: 'VP' } } });
    expect(doc.data.attributes.name).toEqual({ first_name: 'Mary', last_name: 'Ann Smith', full_name: 'Mary Ann Smith' });
    expect(doc.data.attributes.job_title).toBe('VP');
  });

  it('builds a person name from top-level first_name/last_name and derives full_name', () => {
    const top = parseSingleDocument({ data: { type: 'person', id: 'p1', attributes: { first_name: 'Ada', last_name: 'Lovelace' } } });
    expect(top.data.attributes.name).toEqual({ first_name: 'Ada', last_name: 'Lovelace', full_name: 'Ada Lovelace' });
    const partial = parseSingleDocument({ data: { type: 'user', id: 'u1', attributes: { name: { first_name: 'Ada' } } } });
    expect(partial.data.attributes.name).toEqual({ first_name: 'Ada', last_name: null, full_name: 'Ada' });
    expect(nameFromString('Cher')).toEqual({ first_name: 'Cher', last_name: null, full_name: 'Cher' });
  });

  it('leaves a company name and a task title alone', () => {
    const company = parseSingleDocument({ data: { type: 'company', id: 'c1', attributes: { name: 'Acme Inc' } } });
    expect(company.data.attributes.name).toBe('Acme Inc');
    const task = parseSingleDocument({ data: { type: 'task', id: 't1', attributes: { title: 'Call' } } });
    expect(task.data.attributes).toEqual({ title: 'Call' });
  });

  it('keeps job_title when both spellings are present', () => {
    const doc = parseSingleDocument({ data: { type: 'person', id: 'p1', attributes: { job_title: 'CTO', title: 'Other' } } });
    expect(doc.data.attributes.job_title).toBe('CTO');
  });

  it('accepts numeric ids as opaque strings', () => {
    const doc = parseSingleDocument({ data: { type: 'deal', id: 42, attributes: {} } });
    expect(doc.data.id).toBe('42');
  });

  it.each([
    ['a non-object', 'hello'],
    ['missing data', { meta: {} }],
    ['data array', { data: [] }],
    ['no id', { data: { type: 'person', attributes: {} } }],
    ['attributes not an object', { data: { type: 'person', id: 'p', attributes: 'x' } }],
    ['included not an array', { data: { type: 'person', id: 'p', attributes: {} }, included: {} }],
  ])('rejects %s', (_label, body) => {
    expect(() => parseSingleDocument(body)).toThrow(BadDocument);
  });
});

describe('list documents', () => {
  it('reads meta and links and keeps total_pages', () => {
    const page = parseListDocument(
      {
        data: [{ type: 'deal', id: 'd1', attributes: { name: 'x' } }],
        meta: { total_records: 1234, total_pages: 3, offset: 500, limit: 500 },
        links: { next: 'http://h/v1/workspaces/demo/objects/deal/resources?page[offset]=1000', prev: null },
      },
      shape,
    );
    expect(page.meta).toEqual({ totalRecords: 1234, totalPages: 3, offset: 500, limit: 500 });
    expect(page.links.next).toContain('page[offset]=1000');
    expect(page.links.prev).toBeNull();
  });

  it('computes total_pages and treats absent links like null', () => {
    const page = parseListDocument({ data: [], meta: { total_records: 1001, limit: 500, offset: 0 } }, shape);
    expect(page.meta.totalPages).toBe(3);
    expect(page.links).toEqual({ next: null, prev: null });
  });

  it('falls back to the request when meta is missing', () => {
    const page = parseListDocument({ data: [{ type: 'deal', id: 'd1', attributes: {} }], links: null }, { limit: 25, offset: 50 });
    expect(page.meta).toEqual({ totalRecords: 51, totalPages: 3, offset: 50, limit: 25 });
  });

  it('accepts numeric strings in meta', () => {
    const page = parseListDocument({ data: [], meta: { total_records: '10', limit: '5', offset: '0' } }, shape);
    expect(page.meta).toEqual({ totalRecords: 10, totalPages: 2, offset: 0, limit: 5 });
  });

  it('marks identifier-only items instead of failing', () => {
    const page = parseListDocument({ data: [{ type: 'task', id: 't1' }], meta: { total_records: 1, limit: 500, offset: 0 } }, shape);
    expect(page.data).toEqual([{ type: 'task', id: 't1', attributes: {}, relationships: {}, identifierOnly: true }]);
  });

  it('rejects a body that is not a list', () => {
    expect(() => parseListDocument({ data: { type: 'deal', id: 'd1' } }, shape)).toThrow(BadDocument);
    expect(() => parseListDocument(undefined, shape)).toThrow(BadDocument);
  });
});

describe('relationship identifiers', () => {
  it('accepts an array, a single identifier, null and an empty body', () => {
    expect(parseIdentifiers({ data: [{ type: 'person', id: 'p1' }] })).toEqual([{ type: 'person', id: 'p1' }]);
    expect(parseIdentifiers({ data: { type: 'company', id: 'c1' } })).toEqual([{ type: 'company', id: 'c1' }]);
    expect(parseIdentifiers({ data: null })).toEqual([]);
    expect(parseIdentifiers(undefined)).toEqual([]);
    expect(() => parseIdentifiers({ data: [{ id: 'x' }] })).toThrow(BadDocument);
  });
});
