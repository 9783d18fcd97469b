import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, SANDBOX_ONLY, firstError } from './target.js';

interface Job {
  type: string;
  id: string;
  attributes: { kind: string; entity: string; field: string; status: string; error: string | null; completed_at: string | null };
}

let api: Api;
beforeAll(async () => {
  api = await Api.open({ schemaApplyDelayMs: 60_000 });
});
afterAll(async () => {
  await api.close();
});

const edit = (entity: string, field: string, attributes: Record<string, unknown>): ReturnType<Api['patch']> =>
  api.patch(`/schemas/${entity}/properties/${field}`, { data: { type: 'schema-property', attributes } });

async function industryOptions(): Promise<string[]> {
  const schemas = (await api.get('/schemas')).json<{ data: Array<{ id: string; attributes: { properties: Record<string, { enum?: Array<string | null> }> } }> }>();
  const company = schemas.data.find((item) => item.id.endsWith('/entities/company'))!;
  return (company.attributes.properties.industry!.enum ?? []).filter((value): value is string => value !== null);
}

// Schema edits change the workspace for everyone: sandbox only.
describe.skipIf(SANDBOX_ONLY)('select option edits (asynchronous)', () => {
  it('answers 202 with a pending job, applies it when due, and renames stored values', async () => {
    await api.reset();
    const before = await api.list('/objects/company/resources?filter[industry]=Retail&page[limit]=1');
    const response = await edit('company', 'industry', { add_options: ['Energy'], rename_options: { Retail: 'Retail & Consumer' } });
    expect(response.status).toBe(202);
    const job = response.json<{ data: Job }>().data;
    expect(job).toMatchObject({ type: 'schema-job', attributes: { kind: 'update-options', entity: 'company', field: 'industry', status: 'pending' } });
    expect(await industryOptions()).not.toContain('Energy');
    const busy = await edit('company', 'industry', { add_options: ['Mining'] });
    expect(busy.status).toBe(409);

    await api.control('POST', '/clock', { advanceMs: 60_000 });
    const polled = (await api.get(`/schemas/jobs/${job.id}`)).json<{ data: Job }>().data;
    expect(polled.attributes.status).toBe('succeeded');
    expect(polled.attributes.completed_at).not.toBeNull();
    const options = await industryOptions();
    expect(options).toContain('Energy');
    expect(options).toContain('Retail & Consumer');
    expect(options).not.toContain('Retail');
    const after = await api.list('/objects/company/resources?filter[industry]=Retail%20%26%20Consumer&page[limit]=1');
    expect(after.meta.total_records).toBe(before.meta.total_records);
    const write = await api.post('/objects/company/records', { data: { type: 'company', attributes: { name: 'Energy Co', industry: 'Energy' } } });
    expect(write.status).toBe(201);
    await api.reset();
  });

  it('rejects bad edits at once: unknown option (422), duplicate (422), not a select (422), unknown field or entity (404)', async () => {
    await api.reset();
    expect(firstError(await edit('company', 'industry', { rename_options: { Nope: 'X' } })).source?.pointer).toBe('/data/attributes/rename_options/Nope');
    expect(firstError(await edit('company', 'industry', { add_options: ['Software'] })).source?.pointer).toBe('/data/attributes/add_options/0');
    expect((await edit('company', 'name', { add_options: ['X'] })).status).toBe(422);
    expect((await edit('company', 'industry', {})).status).toBe(422);
    expect((await edit('company', 'nothing', { add_options: ['X'] })).status).toBe(404);
    expect((await edit('nothing', 'industry', { add_options: ['X'] })).status).toBe(404);
    expect((await api.get('/schemas/jobs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
