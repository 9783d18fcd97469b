import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, REAL_API, firstError, type ListDoc } from './target.js';

let api: Api;
beforeAll(async () => {
  api = await Api.open();
});
afterAll(async () => {
  await api.close();
});

describe('/users', () => {
  it('lists workspace members in the list envelope', async () => {
    const doc = await api.list('/users');
    expect(doc.meta.total_records).toBeGreaterThan(0);
    const user = doc.data[0]!;
    expect(user.type).toBe('user');
    for (const name of ['name', 'email', 'roles', 'profile_picture']) expect(user.attributes).toHaveProperty(name);
  });

  it('pages and sorts', async () => {
    const sorted = await api.list('/users?sortOrder[column]=email&sortOrder[dir]=DESC');
    const emails = sorted.data.map((u) => String(u.attributes.email).toLowerCase());
    expect(emails).toEqual([...emails].sort().reverse());
    const page = await api.list('/users?page[limit]=2&page[offset]=1');
    expect(page.meta).toMatchObject({ limit: 2, offset: 1 });
    expect(page.data.length).toBe(Math.min(2, Math.max(0, sorted.meta.total_records - 1)));
  });

  it('reads one member by id; unknown ids and system actors are 404', async () => {
    const doc: ListDoc = await api.list('/users?page[limit]=1');
    const user = doc.data[0]!;
    const one = await api.one(`/users/${encodeURIComponent(user.id)}`);
    expect(one.data).toEqual(user);
    const missing = await api.get('/users/system');
    expect(missing.status).toBe(404);
    expect(firstError(missing).status).toBe('404');
  });

  it.skipIf(REAL_API)('uses user_ + 26-character ULID ids that deals reference as owner_id', async () => {
    const users = await api.list('/users');
    for (const user of users.data) expect(user.id).toMatch(/^user_[0-9A-HJKMNP-TV-Z]{26}$/);
    const deals = await api.list('/objects/deal/resources?filter[owner_id][Is not empty]');
    const ids = new Set(users.data.map((u) => u.id));
    expect(deals.data.every((d) => ids.has(String(d.attributes.owner_id)))).toBe(true);
    expect(deals.data[0]!.relationships).not.toHaveProperty('owner_id');
  });
});
