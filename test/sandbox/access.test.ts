import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, REAL_API, firstError } from './target.js';

let api: Api;
beforeAll(async () => {
  api = await Api.open();
});
afterAll(async () => {
  await api.close();
});

describe('authentication', () => {
  it('accepts "Authorization: api-key KEY"', async () => {
    const response = await api.get('/objects/person/resources?page[limit]=1');
    expect(response.status).toBe(200);
  });

  it.each([
    ['no Authorization header', null],
    ['the key sent as Bearer', 'BEARER'],
    ['a wrong key', 'api-key not-the-key'],
    ['an unknown scheme', 'Basic c2FuZGJveDprZXk='],
  ])('answers 401 for %s, in the JSON:API error shape', async (_label, header) => {
    const authorization = header === 'BEARER' ? `Bearer ${api.apiKey}` : header;
    const response = await api.get('/objects/person/resources?page[limit]=1', { authorization });
    expect(response.status).toBe(401);
    const error = firstError(response);
    expect(error.status).toBe('401');
    expect(typeof error.title).toBe('string');
    expect(error.detail.length).toBeGreaterThan(0);
  });
});

describe('routing', () => {
  it('answers 404 for an unknown workspace slug', async () => {
    const response = await api.send('GET', `${api.base.replace(/\/workspaces\/[^/]+$/, '/workspaces/no-such-workspace-zz')}/schemas`);
    expect(response.status).toBe(404);
    expect(firstError(response).status).toBe('404');
  });

  it('answers 404 for an unknown object', async () => {
    const response = await api.get('/objects/spaceship/resources');
    expect(response.status).toBe(404);
    expect(firstError(response).status).toBe('404');
  });

  it('answers 404 for a path without /v1', async () => {
    const response = await api.send('GET', `${api.base.replace('/v1/', '/')}/schemas`);
    expect(response.status).toBe(404);
  });

  it('answers 404 for an unknown record id, on both read paths', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await api.get(`/objects/person/resources/${missing}`)).status).toBe(404);
    expect((await api.get(`/objects/person/records/${missing}`)).status).toBe(404);
  });

  it.skipIf(REAL_API)('does not serve users through /objects', async () => {
    expect((await api.get('/objects/user/resources')).status).toBe(404);
  });
});

describe('rate-limit headers', () => {
  it('come on successful responses and on errors', async () => {
    for (const response of [
      await api.get('/schemas'),
      await api.get('/objects/spaceship/resources'),
      await api.get('/objects/person/resources?page[limit]=9999'),
      await api.get('/schemas', { authorization: null }),
    ]) {
      expect(Number(response.headers.get('x-ratelimit-limit'))).toBeGreaterThan(0);
      expect(response.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(response.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
    }
  });

  it.skipIf(REAL_API)('count down per endpoint', async () => {
    const first = await api.get('/users?page[limit]=1');
    const second = await api.get('/users?page[limit]=1');
    expect(first.headers.get('x-ratelimit-limit')).toBe('3000');
    expect(Number(second.headers.get('x-ratelimit-remaining'))).toBe(Number(first.headers.get('x-ratelimit-remaining')) - 1);
  });
});

describe('request bodies', () => {
  it('answers 400 with a clear detail for a body that is not JSON', async () => {
    const response = await api.request('POST', '/objects/company/records', { rawBody: '{"data": {"type": "company",' });
    expect(response.status).toBe(400);
    const error = firstError(response);
    expect(error.status).toBe('400');
    expect(error.detail).toMatch(/JSON/);
  });

  it('answers 400 for JSON without the data envelope', async () => {
    const response = await api.post('/objects/company/records', { name: 'Envelope-less Inc' });
    expect(response.status).toBe(400);
    expect(firstError(response).source?.pointer).toBe('/data');
    const check = await api.list(`/objects/company/resources?filter[name]=${encodeURIComponent('Envelope-less Inc')}`);
    expect(check.meta.total_records).toBe(0);
  });

  it('answers 400 when bulk data is not an array', async () => {
    const response = await api.post('/objects/company/records/bulk', { data: { type: 'company', attributes: { name: 'X' } } });
    expect(response.status).toBe(400);
  });
});
