import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, REAL_API, firstError, unique, type SingleDoc } from './target.js';

interface Activity {
  type: string;
  id: string;
  attributes: { kind: string; occurred_at: string; actor: string; record: { type: string; id: string }; details: Record<string, unknown> };
}
interface ActivityPage {
  data: Activity[];
  meta: { total_records: number; offset: number; limit: number };
  links: { next: string | null; prev: string | null };
}
interface CommentDoc {
  data: { type: string; id: string; attributes: { object: string; record_id: string; body: unknown[]; _created_at: string; _updated_at: string } };
}

let api: Api;
const created: Array<[string, string]> = [];
beforeAll(async () => {
  api = await Api.open();
});
afterAll(async () => {
  if (REAL_API) for (const [object, id] of created) await api.delete(`/objects/${object}/records/${id}`);
  await api.close();
});

async function createDeal(): Promise<string> {
  const response = await api.post('/objects/deal/records', { data: { type: 'deal', attributes: { name: unique('Timeline deal'), amount: 1 } } });
  expect(response.status).toBe(201);
  const id = response.json<SingleDoc>().data.id;
  created.push(['deal', id]);
  return id;
}

const paragraph = (text: string): unknown => ({ type: 'paragraph', content: [{ type: 'text', text, styles: {} }] });

async function timeline(id: string, query = ''): Promise<ActivityPage> {
  const response = await api.get(`/objects/deal/records/${id}/activities${query}`);
  expect(response.status).toBe(200);
  return response.json<ActivityPage>();
}

describe('GET /objects/{o}/records/{id}/activities', () => {
  it('starts with the creation and adds an entry per change, newest first', async () => {
    const id = await createDeal();
    const first = await timeline(id);
    expect(first.data.map((entry) => entry.attributes.kind)).toEqual(['record_created']);
    expect(first.data[0]!).toMatchObject({ type: 'activity', attributes: { record: { type: 'deal', id } } });
    expect(first.data[0]!.attributes.occurred_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    await api.patch(`/objects/deal/records/${id}`, { data: { type: 'deal', id, attributes: { amount: 2, stage: 'Won' } } });
    const second = await timeline(id);
    expect(second.data.map((entry) => entry.attributes.kind)).toEqual(['record_updated', 'record_created']);
    expect(second.data[0]!.attributes.details.fields).toEqual(expect.arrayContaining(['amount', 'stage']));
    expect(second.meta.total_records).toBe(2);
  });

  it('pages with page[limit] and page[offset]', async () => {
    const id = await createDeal();
    for (const amount of [2, 3, 4]) await api.patch(`/objects/deal/records/${id}`, { data: { type: 'deal', id, attributes: { amount } } });
    const page = await timeline(id, '?page[limit]=2');
    expect(page.data).toHaveLength(2);
    expect(page.meta).toMatchObject({ total_records: 4, limit: 2, offset: 0 });
    expect(page.links.next).toMatch(/page\[offset\]=2/);
    const rest = await timeline(id, '?page[limit]=2&page[offset]=2');
    expect(rest.data.at(-1)!.attributes.kind).toBe('record_created');
    expect(new Set([...page.data, ...rest.data].map((entry) => entry.id)).size).toBe(4);
  });

  it('answers 404 for an unknown record or object', async () => {
    expect((await api.get('/objects/deal/records/00000000-0000-4000-8000-000000000000/activities')).status).toBe(404);
    expect((await api.get('/objects/nothing/records/x/activities')).status).toBe(404);
  });
});

describe('comments', () => {
  it('creates, reads, updates and deletes a comment; the timeline carries it while it exists', async () => {
    const id = await createDeal();
    const made = await api.post('/comments', { object: 'deal', record_id: id, body: [paragraph('First look')] });
    expect(made.status).toBe(201);
    const comment = made.json<CommentDoc>().data;
    expect(comment).toMatchObject({ type: 'comment', attributes: { object: 'deal', record_id: id, body: [paragraph('First look')] } });

    const read = await api.get(`/comments/${comment.id}`);
    expect(read.status).toBe(200);
    expect(read.json<CommentDoc>().data.id).toBe(comment.id);

    const changed = await api.patch(`/comments/${comment.id}`, { body: [paragraph('Second look')] });
    expect(changed.status).toBe(200);
    expect(changed.json<CommentDoc>().data.attributes.body).toEqual([paragraph('Second look')]);

    const withComment = await timeline(id);
    const entry = withComment.data.find((item) => item.attributes.kind === 'comment_created');
    expect(entry?.attributes.details).toEqual({ comment_id: comment.id, body: [paragraph('Second look')] });

    expect((await api.delete(`/comments/${comment.id}`)).status).toBe(204);
    expect((await api.get(`/comments/${comment.id}`)).status).toBe(404);
    expect((await timeline(id)).data.some((item) => item.attributes.kind === 'comment_created')).toBe(false);
  });

  it('rejects a body that is not a flat block list (422, pointing at the problem) and an unknown record (404)', async () => {
    const id = await createDeal();
    const cases: Array<[unknown, string]> = [
      ['plain text', '/body'],
      [[], '/body'],
      [[{ content: [] }], '/body/0'],
      [[{ type: 'paragraph', children: [paragraph('nested')] }], '/body/0/children'],
    ];
    for (const [body, pointer] of cases) {
      const response = await api.post('/comments', { object: 'deal', record_id: id, body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(firstError(response).source?.pointer).toBe(pointer);
    }
    const missing = await api.post('/comments', { object: 'deal', record_id: '00000000-0000-4000-8000-000000000000', body: [paragraph('x')] });
    expect(missing.status).toBe(404);
    expect((await api.patch('/comments/00000000-0000-4000-8000-000000000000', { body: [paragraph('x')] })).status).toBe(404);
    expect((await api.delete('/comments/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('has no list endpoint', async () => {
    expect([404, 405]).toContain((await api.get('/comments')).status);
  });
});
