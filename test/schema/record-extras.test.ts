import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type RunResult } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

const run = <T>(query: string, variables: Record<string, unknown> = {}): Promise<RunResult<T>> => h.run<T, Record<string, unknown>>(query, variables);

const base = (): string => `${h.sandbox.apiUrl}/workspaces/${h.sandbox.workspace}`;

async function rest(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${base()}${path}`, {
    method,
    headers: { authorization: h.credential, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
}

async function firstDealWithCompanyAndPeople(): Promise<string> {
  const body = (await h.rest('/objects/deal/resources?page[limit]=50&filter[company_id][Is not empty]=')) as {
    data: Array<{ id: string; relationships: { people: { meta: { count: number } } } }>;
  };
  return body.data.find((deal) => deal.relationships.people.meta.count > 0)!.id;
}

async function attachFile(dealId: string, content: string, fileName: string): Promise<string> {
  const upload = (await rest('POST', `/objects/deal/records/${dealId}/attachments`, { file_name: fileName, content_type: 'text/plain', size: content.length }))
    .json as { data: { id: string; attributes: { upload_url: string } } };
  await fetch(upload.data.attributes.upload_url, { method: 'PUT', body: content });
  const linked = (await rest('PUT', `/objects/deal/records/${dealId}/attachments/${upload.data.id}`)).json as { data: { id: string } };
  return linked.data.id;
}

describe('a record page: timeline and files', () => {
  it('a deal page with company, people, activities(first: 20) and attachments takes one call per family, predicted exactly', async () => {
    const id = await firstDealWithCompanyAndPeople();
    await rest('PATCH', `/objects/deal/records/${id}`, { data: { type: 'deal', id, attributes: { amount: 4242 } } });
    await rest('POST', '/comments', { object: 'deal', record_id: id, body: [{ type: 'paragraph', content: [{ type: 'text', text: 'Call back Monday' }] }] });
    const attachmentId = await attachFile(id, 'quote v1', 'quote.txt');

    const result = await run<{
      deal: {
        name: string;
        company: { name: string } | null;
        people: { nodes: Array<{ id: string }> };
        activities: { totalCount: number; nodes: Array<Record<string, unknown>> };
        attachments: { totalCount: number; nodes: Array<{ id: string; fileName: string; size: number }> };
      };
    }>(
      `query($id: ID!) { deal(id: $id) {
        name company { name } people { nodes { id } }
        activities(first: 20) { totalCount nodes {
          __typename kind occurredAt actorId
          ... on RecordUpdatedActivity { changedFields }
          ... on CommentActivity { commentId body { plainText } }
          ... on AttachmentActivity { attachmentId fileName removed }
        } }
        attachments { totalCount nodes { id fileName contentType size createdAt } }
      } }`,
      { id },
    );
    expect(result.routes).toEqual({
      'GET /objects/:object/resources/:id': 1,
      'GET /objects/:object/records/:id/activities': 1,
      'GET /objects/:object/records/:id/attachments': 1,
    });
    expect(result.calls).toBe(3);
    expect(result.predicted).toBe(3);
    const deal = result.data.deal;
    expect(deal.company).not.toBeNull();
    expect(deal.people.nodes.length).toBeGreaterThan(0);
    const types = deal.activities.nodes.map((node) => node.__typename);
    expect(types.slice(0, 3)).toEqual(['AttachmentActivity', 'CommentActivity', 'RecordUpdatedActivity']);
    expect(types.at(-1)).toBe('RecordCreatedActivity');
    expect(deal.activities.nodes[0]).toMatchObject({ attachmentId, fileName: 'quote.txt', removed: false });
    expect(deal.activities.nodes[1]).toMatchObject({ kind: 'comment_created', body: { plainText: 'Call back Monday' } });
    expect(deal.activities.nodes[2]).toMatchObject({ changedFields: ['amount'] });
    expect(deal.attachments).toMatchObject({ totalCount: 1, nodes: [{ id: attachmentId, fileName: 'quote.txt', size: 8 }] });
  });

  it('a list of records with their timelines costs one call per record, predicted exactly', async () => {
    const result = await run<{ deals: { nodes: Array<{ activities: { nodes: unknown[] } }> } }>(
      '{ deals(first: 4) { nodes { name activities(first: 2) { nodes { kind } } attachments(first: 1) { totalCount } } } }',
    );
    expect(result.routes['GET /objects/:object/resources']).toBe(1);
    expect(result.routes['GET /objects/:object/records/:id/activities']).toBe(4);
    expect(result.routes['GET /objects/:object/records/:id/attachments']).toBe(4);
    expect(result.calls).toBe(9);
    expect(result.predicted).toBe(9);
    for (const deal of result.data.deals.nodes) expect(deal.activities.nodes.length).toBeGreaterThan(0);
  });

  it('pages a timeline with first/after', async () => {
    const id = await firstDealWithCompanyAndPeople();
    for (const amount of [1, 2, 3]) await rest('PATCH', `/objects/deal/records/${id}`, { data: { type: 'deal', id, attributes: { amount } } });
    type Page = { deal: { activities: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: Array<{ id: string }> } } };
    const query = 'query($id: ID!, $after: String) { deal(id: $id) { activities(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } } }';
    const first = await run<Page>(query, { id });
    const second = await run<Page>(query, { id, after: first.data.deal.activities.pageInfo.endCursor });
    expect(first.data.deal.activities.pageInfo.hasNextPage).toBe(true);
    const ids = [...first.data.deal.activities.nodes, ...second.data.deal.activities.nodes].map((node) => node.id);
    expect(new Set(ids).size).toBe(4);
  });

  it('gives a signed download link for one file, and null for an unknown one', async () => {
    const id = await firstDealWithCompanyAndPeople();
    const attachmentId = await attachFile(id, 'download me', 'd.txt');
    const result = await run<{ attachmentDownload: { url: string; expiresAt: string; attachment: { fileName: string } } | null; missing: unknown }>(
      `query($id: ID!, $a: ID!) {
        attachmentDownload(object: DEAL, recordId: $id, attachmentId: $a) { url expiresAt attachment { fileName } }
        missing: attachmentDownload(object: DEAL, recordId: $id, attachmentId: "00000000-0000-4000-8000-000000000000") { url }
      }`,
      { id, a: attachmentId },
    );
    expect(result.calls).toBe(2);
    expect(result.predicted).toBe(2);
    expect(result.data.missing).toBeNull();
    const found = result.data.attachmentDownload!;
    expect(found.attachment.fileName).toBe('d.txt');
    expect(Date.parse(found.expiresAt)).toBeGreaterThan(Date.now());
    expect(await (await fetch(found.url)).text()).toBe('download me');
  });
});

describe('deleted records', () => {
  it('lists records deleted since a time, with their last values, in one call', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const made = (await rest('POST', '/objects/deal/records', { data: { type: 'deal', attributes: { name: 'Soon gone', amount: 7 } } })).json as { data: { id: string } };
    await h.run('mutation($id: ID!) { deleteDeal(id: $id) { deletedId } }', { id: made.data.id });
    const result = await run<{ deletedDeals: { totalCount: number; nodes: Array<{ id: string; object: string; displayName: string; deletedAt: string; values: { amount: number } }> } }>(
      'query($since: DateTime) { deletedDeals(since: $since) { totalCount nodes { id object displayName deletedAt deletedById values } } }',
      { since },
    );
    expect(result.calls).toBe(1);
    expect(result.predicted).toBe(1);
    const entry = result.data.deletedDeals.nodes.find((node) => node.id === made.data.id);
    expect(entry).toMatchObject({ object: 'deal', displayName: 'Soon gone', values: { amount: 7 } });
    expect(Date.parse(entry!.deletedAt)).toBeGreaterThanOrEqual(Date.parse(since));
    const later = await run<{ deletedDeals: { nodes: Array<{ id: string }> } }>('query($since: DateTime) { deletedDeals(since: $since) { nodes { id } } }', {
      since: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(later.data.deletedDeals.nodes).toEqual([]);
  });

  it('names root fields per object from the plural label', async () => {
    const result = await run<{ deletedPeople: { totalCount: number }; deletedSalesOrders: { totalCount: number } }>(
      '{ deletedPeople { totalCount } deletedSalesOrders { totalCount } }',
    );
    expect(result.calls).toBe(2);
    expect(result.predicted).toBe(2);
  });
});
