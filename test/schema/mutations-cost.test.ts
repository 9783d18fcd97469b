import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { planDocument } from '../../src/plan/planner.js';
import { field, resetSandbox, run, startWriteHarness, type WriteHarness } from './mutations-helpers.js';

let h: WriteHarness;
beforeAll(async () => {
  h = await startWriteHarness();
});
afterAll(async () => h.close());
beforeEach(async () => resetSandbox(h));

async function ids(plural: string, count: number): Promise<string[]> {
  const result = await run(h, `{ ${plural}(first: ${count}) { nodes { id } } }`);
  return field<{ nodes: { id: string }[] }>(result, plural).nodes.map((n) => n.id);
}

/** Runs a mutation and returns predicted and actual upstream calls. */
async function costOf(source: string, variables: Record<string, unknown>): Promise<{ predicted: number; actual: number }> {
  const predicted = planDocument({ schema: h.schema, document: parse(source), variables })!.plan.cost.predictedCalls;
  const result = await run(h, source, variables);
  expect(result.errors).toEqual([]);
  return { predicted, actual: result.calls };
}

describe('the cost of a mutation covers what its payload selects', () => {
  it('a bulk create whose results select each record’s relationships', async () => {
    const companies = await ids('companies', 25);
    const inputs = companies.map((companyId, i) => ({ name: { fullName: `Cost ${i}` }, emailAddresses: [`cost-${i}@cost.example`], companyId }));
    const cost = await costOf(
      `mutation($inputs: [CreatePersonInput!]!) { createPeople(inputs: $inputs) { results { record { company { name deals(filter: { name: { isEmpty: false } }) { totalCount } } } } } }`,
      { inputs },
    );
    expect(cost.actual).toBeGreaterThan(25);
    expect(cost.predicted).toBeGreaterThanOrEqual(cost.actual);
  });

  it('a single create selecting its company, and a relationship add selecting the new members', async () => {
    const [companyId] = await ids('companies', 1);
    const create = await costOf(
      `mutation($input: CreatePersonInput!) { createPerson(input: $input) { record { company { name } } } }`,
      { input: { name: { fullName: 'Cost One' }, emailAddresses: ['cost-one@cost.example'], companyId } },
    );
    expect(create.actual).toBe(2);
    expect(create.predicted).toBeGreaterThanOrEqual(create.actual);

    const [dealId] = await ids('deals', 1);
    const people = await ids('people', 3);
    const add = await costOf(
      `mutation($id: ID!, $ids: [ID!]!) { addDealPeople(id: $id, ids: $ids) { record { people { totalCount nodes { name { fullName } } } } } }`,
      { id: dealId, ids: people },
    );
    expect(add.predicted).toBeGreaterThanOrEqual(add.actual);
  });
});

describe('the cost of a bulk create', () => {
  it('counts upsert and plain batches apart, as they are sent', async () => {
    const withEmail = Array.from({ length: 26 }, (_, i) => ({ name: { fullName: `Mixed ${i}` }, emailAddresses: [`mixed-${i}@cost.example`] }));
    const without = Array.from({ length: 24 }, (_, i) => ({ name: { fullName: `Plain ${i}` }, jobTitle: 'mixed-plain' }));
    const cost = await costOf(`mutation($inputs: [CreatePersonInput!]!) { createPeople(inputs: $inputs) { results { record { id } } } }`, {
      inputs: [...withEmail, ...without],
    });
    expect(cost).toEqual({ predicted: 3, actual: 3 });
  });
});
