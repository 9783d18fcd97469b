import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, REAL_API, SANDBOX_ONLY, firstError, unique, type SingleDoc } from './target.js';

interface UploadDoc {
  data: { type: string; id: string; attributes: { upload_url: string; method: string; headers: Record<string, string>; expires_at: string; max_size: number } };
}
interface AttachmentResource {
  type: string;
  id: string;
  attributes: { file_name: string; content_type: string; size: number; record: { type: string; id: string }; download_url?: string; download_expires_at?: string };
}

let api: Api;
const created: Array<[string, string]> = [];
beforeAll(async () => {
  api = await Api.open({ maxUploadBytes: 64 });
});
afterAll(async () => {
  if (REAL_API) for (const [object, id] of created) await api.delete(`/objects/${object}/records/${id}`);
  await api.close();
});

async function createDeal(): Promise<string> {
  const response = await api.post('/objects/deal/records', { data: { type: 'deal', attributes: { name: unique('Files deal') } } });
  expect(response.status).toBe(201);
  const id = response.json<SingleDoc>().data.id;
  created.push(['deal', id]);
  return id;
}

async function requestUpload(dealId: string, content: string, fileName = 'notes.txt'): Promise<UploadDoc['data']> {
  const response = await api.post(`/objects/deal/records/${dealId}/attachments`, { file_name: fileName, content_type: 'text/plain', size: Buffer.byteLength(content) });
  expect(response.status).toBe(201);
  return response.json<UploadDoc>().data;
}

async function putFile(url: string, content: string, contentType = 'text/plain'): Promise<number> {
  const response = await fetch(url, { method: 'PUT', headers: { 'content-type': contentType }, body: content });
  await response.arrayBuffer();
  return response.status;
}

describe('attachments', () => {
  it('uploads in two steps, lists, fetches with a download URL, and removes', async () => {
    const id = await createDeal();
    const upload = await requestUpload(id, 'hello file');
    expect(upload.type).toBe('attachment-upload');
    expect(upload.attributes).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'text/plain' }, max_size: 10 });
    expect(Date.parse(upload.attributes.expires_at)).toBeGreaterThan(Date.now());
    if (!REAL_API) expect(new URL(upload.attributes.upload_url).hostname).toBe('127.0.0.1');
    expect(await putFile(upload.attributes.upload_url, 'hello file')).toBe(200);

    const linked = await api.request('PUT', `/objects/deal/records/${id}/attachments/${upload.id}`);
    expect(linked.status).toBe(201);
    const attachment = linked.json<{ data: AttachmentResource }>().data;
    expect(attachment.attributes).toMatchObject({ file_name: 'notes.txt', content_type: 'text/plain', size: 10, record: { type: 'deal', id } });

    const list = await api.get(`/objects/deal/records/${id}/attachments`);
    expect(list.status).toBe(200);
    expect(list.json<{ data: AttachmentResource[]; meta: { total_records: number } }>()).toMatchObject({ data: [{ id: attachment.id }], meta: { total_records: 1 } });

    const one = await api.get(`/objects/deal/records/${id}/attachments/${attachment.id}`);
    expect(one.status).toBe(200);
    const fetched = one.json<{ data: AttachmentResource }>().data;
    expect(Date.parse(fetched.attributes.download_expires_at!)).toBeGreaterThan(Date.now());
    const download = await fetch(fetched.attributes.download_url!);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('hello file');

    expect((await api.delete(`/objects/deal/records/${id}/attachments/${attachment.id}`)).status).toBe(204);
    expect((await api.get(`/objects/deal/records/${id}/attachments/${attachment.id}`)).status).toBe(404);
    const activities = await api.get(`/objects/deal/records/${id}/activities`);
    const kinds = activities.json<{ data: Array<{ attributes: { kind: string } }> }>().data.map((entry) => entry.attributes.kind);
    expect(kinds).toEqual(expect.arrayContaining(['attachment_added', 'attachment_removed']));
  });

  it('refuses to link before the bytes arrived (409), and a second link of the same upload (409)', async () => {
    const id = await createDeal();
    const upload = await requestUpload(id, 'abc');
    expect((await api.request('PUT', `/objects/deal/records/${id}/attachments/${upload.id}`)).status).toBe(409);
    expect(await putFile(upload.attributes.upload_url, 'abc')).toBe(200);
    expect((await api.request('PUT', `/objects/deal/records/${id}/attachments/${upload.id}`)).status).toBe(201);
    expect((await api.request('PUT', `/objects/deal/records/${id}/attachments/${upload.id}`)).status).toBe(409);
  });

  it('validates the upload request (422 with a pointer) and answers 404 for an unknown record', async () => {
    const id = await createDeal();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ content_type: 'text/plain', size: 3 }, '/file_name'],
      [{ file_name: 'a/b.txt', content_type: 'text/plain', size: 3 }, '/file_name'],
      [{ file_name: 'a.txt', content_type: 'text', size: 3 }, '/content_type'],
      [{ file_name: 'a.txt', content_type: 'text/plain', size: 0 }, '/size'],
    ];
    for (const [body, pointer] of cases) {
      const response = await api.post(`/objects/deal/records/${id}/attachments`, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(firstError(response).source?.pointer).toBe(pointer);
    }
    const missing = await api.post('/objects/deal/records/00000000-0000-4000-8000-000000000000/attachments', { file_name: 'a.txt', content_type: 'text/plain', size: 1 });
    expect(missing.status).toBe(404);
  });
});

describe.skipIf(SANDBOX_ONLY)('signed uploads in the sandbox', () => {
  it('enforces the size limit at request time (422) and the declared size at upload time (413, 400)', async () => {
    const id = await createDeal();
    const big = await api.post(`/objects/deal/records/${id}/attachments`, { file_name: 'big.bin', content_type: 'application/octet-stream', size: 65 });
    expect(big.status).toBe(422);
    expect(firstError(big).detail).toMatch(/limit of 64 bytes/);
    const upload = await requestUpload(id, 'four');
    expect(await putFile(upload.attributes.upload_url, 'more than four')).toBe(413);
    expect(await putFile(upload.attributes.upload_url, 'thr')).toBe(400);
    expect(await putFile(upload.attributes.upload_url, 'four')).toBe(200);
  });

  it('expires upload and download URLs after 15 minutes, and rejects an unknown token', async () => {
    const id = await createDeal();
    const upload = await requestUpload(id, 'late');
    await api.control('POST', '/clock', { advanceMs: 15 * 60 * 1000 + 1 });
    expect(await putFile(upload.attributes.upload_url, 'late')).toBe(403);
    expect(await putFile(`${api.origin}/uploads/not-a-token`, 'x')).toBe(404);

    const fresh = await requestUpload(id, 'ok');
    expect(await putFile(fresh.attributes.upload_url, 'ok')).toBe(200);
    const linked = await api.request('PUT', `/objects/deal/records/${id}/attachments/${fresh.id}`);
    const attachmentId = linked.json<{ data: AttachmentResource }>().data.id;
    const one = await api.get(`/objects/deal/records/${id}/attachments/${attachmentId}`);
    const url = one.json<{ data: AttachmentResource }>().data.attributes.download_url!;
    await api.control('POST', '/clock', { advanceMs: 15 * 60 * 1000 + 1 });
    expect((await fetch(url)).status).toBe(403);
    await api.reset();
  });
});
