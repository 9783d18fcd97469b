import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { field, resetSandbox, run, scriptFault, startWriteHarness, upstreamStats, type WriteHarness } from './mutations-helpers.js';

let h: WriteHarness;
beforeAll(async () => {
  h = await startWriteHarness();
});
afterAll(async () => h.close());
beforeEach(async () => resetSandbox(h));

interface Company {
  id: string;
  people: { totalCount: number; nodes: { id: string }[] };
}

/** Two companies with people; `person` and `colleague` both work at the first. */
async function twoCompanies(): Promise<{ a: Company; b: Company; person: string; colleague: string }> {
  const result = await run(h, `{ companies(first: 10) { nodes { id people(first: 100) { totalCount nodes { id } } } } }`);
  const companies = field<{ nodes: Company[] }>(result, 'companies').nodes.filter((c) => c.people.totalCount > 1);
  const a = companies[0]!;
  return { a, b: companies[1]!, person: a.people.nodes[0]!.id, colleague: a.people.nodes[1]!.id };
}

/**
 * Reads the colleague's company through a no-op update: the colleague comes fresh from the write,
 * its company from the request's store, where an earlier field of the operation put it.
 */
const COLLEAGUES_COMPANY = 'updatePerson(id: $colleague, input: {}) { record { company { people(first: 100) { totalCount nodes { id } } } } }';

type ColleagueRead = { record: { company: Company } };

describe('a write changes what later fields of the same operation read', () => {
  it('moving a person to another company: the old company no longer lists them', async () => {
    const { a, b, person, colleague } = await twoCompanies();
    const result = await run(
      h,
      `mutation($person: ID!, $colleague: ID!, $b: ID!) {
        before: ${COLLEAGUES_COMPANY}
        move: updatePerson(id: $person, input: { companyId: $b }) { record { companyId } }
        after: ${COLLEAGUES_COMPANY}
      }`,
      { person, colleague, b: b.id },
    );
    expect(result.errors).toEqual([]);
    const before = field<ColleagueRead>(result, 'before').record.company.people;
    const after = field<ColleagueRead>(result, 'after').record.company.people;
    expect(before.nodes.map((n) => n.id)).toContain(person);
    expect(after.nodes.map((n) => n.id)).not.toContain(person);
    expect(after.totalCount).toBe(a.people.totalCount - 1);
  });

  it('moving a person with addCompanyPeople: the company they left no longer lists them', async () => {
    const { b, person, colleague } = await twoCompanies();
    const result = await run(
      h,
      `mutation($person: ID!, $colleague: ID!, $b: ID!) {
        before: ${COLLEAGUES_COMPANY}
        move: addCompanyPeople(id: $b, ids: [$person]) { record { id } }
        after: ${COLLEAGUES_COMPANY}
      }`,
      { person, colleague, b: b.id },
    );
    expect(result.errors).toEqual([]);
    expect(field<ColleagueRead>(result, 'before').record.company.people.nodes.map((n) => n.id)).toContain(person);
    expect(field<ColleagueRead>(result, 'after').record.company.people.nodes.map((n) => n.id)).not.toContain(person);
  });

  it('deleting a person: its company no longer counts it', async () => {
    const { a, person, colleague } = await twoCompanies();
    const result = await run(
      h,
      `mutation($person: ID!, $colleague: ID!) {
        before: ${COLLEAGUES_COMPANY}
        gone: deletePerson(id: $person) { deletedId }
        after: ${COLLEAGUES_COMPANY}
      }`,
      { person, colleague },
    );
    expect(result.errors).toEqual([]);
    const after = field<ColleagueRead>(result, 'after').record.company.people;
    expect(after.totalCount).toBe(a.people.totalCount - 1);
    expect(after.nodes.map((n) => n.id)).not.toContain(person);
  });
});

describe('names are updated whole', () => {
  it('refuses one half of a name in an update, with no upstream call', async () => {
    const { person } = await twoCompanies();
    const before = await upstreamStats(h);
    const result = await run(h, `mutation($id: ID!) { updatePerson(id: $id, input: { name: { firstName: "Augusta" } }) { record { id } userErrors { field code message } } }`, {
      id: person,
    });
    const payload = field<{ record: unknown; userErrors: { field: string[]; code: string; message: string }[] }>(result, 'updatePerson');
    expect(payload.record).toBeNull();
    expect(payload.userErrors).toMatchObject([{ field: ['input', 'name'], code: 'INVALID' }]);
    expect((await upstreamStats(h)).total).toBe(before.total);
    const whole = await run(h, `mutation($id: ID!) { updatePerson(id: $id, input: { name: { firstName: "Augusta", lastName: "King" } }) { record { name { firstName lastName fullName } } } }`, {
      id: person,
    });
    expect(field<{ record: unknown }>(whole, 'updatePerson').record).toEqual({ name: { firstName: 'Augusta', lastName: 'King', fullName: 'Augusta King' } });
  });
});

describe('bulk delete never claims what did not happen', () => {
  it('a 404 after a retried attempt deletes nothing it did not and reports no deleted ids', async () => {
    const { person } = await twoCompanies();
    await scriptFault(h, { route: 'DELETE /objects/:object/records', status: 502, count: 1 });
    const result = await run(h, `mutation($ids: [ID!]!) { deletePeople(ids: $ids) { deletedIds userErrors { field code message } } }`, {
      ids: [person, '00000000-0000-4000-8000-000000000000'],
    });
    const payload = field<{ deletedIds: string[]; userErrors: { code: string; message: string }[] }>(result, 'deletePeople');
    expect(payload.deletedIds).toEqual([]);
    // The 502 may come from a proxy that forwarded the delete: what the retry's 404 means is unknown.
    expect(payload.userErrors).toMatchObject([{ code: 'OUTCOME_UNKNOWN' }]);
    expect(payload.userErrors[0]!.message).toContain('may or may not');
    expect(payload.userErrors[0]!.message).toContain('00000000-0000-4000-8000-000000000000');
    const still = await run(h, `query($id: ID!) { person(id: $id) { id } }`, { id: person });
    expect(field<{ id: string } | null>(still, 'person')).toEqual({ id: person });
  });
});

describe('writes whose answer was lost', () => {
  it('a bulk plain create that may have landed is reported per item, not as a bare failure', async () => {
    await scriptFault(h, { route: 'POST /objects/:object/records/bulk', drop: true, count: 1 });
    const result = await run(
      h,
      `mutation($inputs: [CreatePersonInput!]!) { createPeople(inputs: $inputs) { results { record { id } userErrors { code message } } userErrors { field code message } } }`,
      { inputs: [{ jobTitle: 'lost-answer-1' }, { jobTitle: 'lost-answer-2' }] },
    );
    expect(result.errors).toEqual([]);
    const payload = field<{ results: { record: unknown; userErrors: { code: string; message: string }[] }[]; userErrors: { code: string }[] }>(result, 'createPeople');
    expect(payload.results).toHaveLength(2);
    for (const item of payload.results) {
      expect(item.record).toBeNull();
      expect(item.userErrors[0]!.message).toContain('may or may not have been written');
    }
    expect(payload.userErrors).toHaveLength(1);
    // The sandbox applied the write before dropping the connection: the caller was warned.
    const stored = await run(h, `{ people(filter: { jobTitle: { startsWith: "lost-answer" } }) { totalCount } }`);
    expect(field<{ totalCount: number }>(stored, 'people').totalCount).toBe(2);
  });

  it('an upsert answered after a possibly applied attempt reports matched as unknown', async () => {
    await scriptFault(h, { route: 'POST /objects/:object/records', drop: true, count: 1 });
    const result = await run(
      h,
      `mutation($input: CreatePersonInput!) { createPerson(input: $input) { matched record { id } userErrors { code } } }`,
      { input: { emailAddresses: ['brand-new@lost-answer.example'], jobTitle: 'new' } },
    );
    const payload = field<{ matched: boolean | null; record: { id: string } | null }>(result, 'createPerson');
    expect(payload.record).not.toBeNull();
    expect(payload.matched).toBeNull();
    const again = await run(
      h,
      `mutation($input: CreatePersonInput!) { createPerson(input: $input) { matched } }`,
      { input: { emailAddresses: ['brand-new@lost-answer.example'] } },
    );
    expect(field<{ matched: boolean | null }>(again, 'createPerson').matched).toBe(true);
  });
});

describe('an unknown id points at the input that named it', () => {
  const UNKNOWN = '00000000-0000-4000-8000-000000000000';

  it('in a bulk update', async () => {
    const { person } = await twoCompanies();
    const result = await run(h, `mutation($inputs: [UpdatePersonItemInput!]!) { updatePeople(inputs: $inputs) { userErrors { field code } } }`, {
      inputs: [
        { id: person, jobTitle: 'kept' },
        { id: UNKNOWN, jobTitle: 'nobody' },
      ],
    });
    expect(field<{ userErrors: { field: string[]; code: string }[] }>(result, 'updatePeople').userErrors).toEqual([
      { field: ['inputs', '1', 'id'], code: 'NOT_FOUND' },
    ]);
  });

  it('in a relationship add and a bulk delete', async () => {
    const { person } = await twoCompanies();
    const deals = await run(h, `{ deals(first: 1) { nodes { id } } }`);
    const deal = field<{ nodes: { id: string }[] }>(deals, 'deals').nodes[0]!.id;
    const add = await run(h, `mutation($id: ID!, $ids: [ID!]!) { addDealPeople(id: $id, ids: $ids) { userErrors { field code } } }`, {
      id: deal,
      ids: [person, UNKNOWN],
    });
    expect(field<{ userErrors: unknown[] }>(add, 'addDealPeople').userErrors).toEqual([{ field: ['ids', '1'], code: 'NOT_FOUND' }]);
    const remove = await run(h, `mutation($ids: [ID!]!) { deletePeople(ids: $ids) { deletedIds userErrors { field code } } }`, { ids: [person, UNKNOWN] });
    expect(field<{ userErrors: unknown[] }>(remove, 'deletePeople').userErrors).toEqual([{ field: ['ids', '1'], code: 'NOT_FOUND' }]);
  });
});

describe('rich text', () => {
  it('plain text reads back as it was written, blank lines included', async () => {
    const text = 'First line\n\nAfter a blank line\n';
    const result = await run(
      h,
      `mutation($input: CreateTaskInput!) { createTask(input: $input) { record { description { plainText blocks } } userErrors { field message } } }`,
      { input: { title: 'Rich text round trip', description: { plainText: text } } },
    );
    const record = field<{ record: { description: { plainText: string; blocks: unknown[] } } }>(result, 'createTask').record;
    expect(record.description.blocks).toHaveLength(4);
    expect(record.description.plainText).toBe(text);
  });
});

describe('atomic bulk creates', () => {
  it('refuse to mix upserts and plain creates, with no upstream call', async () => {
    const before = await upstreamStats(h);
    const result = await run(
      h,
      `mutation($inputs: [CreatePersonInput!]!) { createPeople(inputs: $inputs, atomic: true) { results { record { id } } userErrors { field code message } } }`,
      { inputs: [{ emailAddresses: ['atomic-mix@example.com'] }, { jobTitle: 'no email' }] },
    );
    const payload = field<{ results: { record: unknown }[]; userErrors: { field: string[]; code: string }[] }>(result, 'createPeople');
    expect(payload.userErrors).toMatchObject([{ field: ['inputs'], code: 'INVALID' }]);
    expect(payload.results.every((r) => r.record === null)).toBe(true);
    expect((await upstreamStats(h)).total).toBe(before.total);
  });
});
