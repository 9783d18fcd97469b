import { GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerTags, mutationTags, writeTags } from '../../src/plan/effects.js';
import { mutationEffects } from '../../src/plan/field-info.js';
import { planDocument } from '../../src/plan/planner.js';
import { buildGatewaySchema } from '../../src/schema/build-schema.js';
import { parseWorkspaceModel } from '../../src/workspace/parse-schemas.js';
import { startHarness, type Harness } from '../schema/harness.js';
import { encodeGlobalId } from '../../src/plan/global-id.js';

let h: Harness;
let custom: GraphQLSchema;

/** A custom object with a reference to a company and a to-many relationship to people. */
const PROJECT = {
  id: 'https://getclarify.ai/schemas/entities/c_project',
  type: 'schema',
  attributes: {
    title: 'Project',
    xClarifyLabel: { singular: 'Project', plural: 'Projects' },
    properties: {
      _id: { type: 'string' },
      name: { type: 'string', xClarifyPrimary: true },
      company_id: { type: ['string', 'null'], xClarifyRelationship: { kind: 'many-to-one', entity: 'company' } },
      people: { type: 'array', items: { type: 'string' }, xClarifyRelationship: { kind: 'many-to-many', entity: 'person' } },
    },
  },
};

beforeAll(async () => {
  h = await startHarness();
  const items = await h.client.listSchemas({ credential: h.credential });
  custom = buildGatewaySchema(parseWorkspaceModel([...items, PROJECT]));
});
afterAll(async () => h.close());

function plan(schema: GraphQLSchema, query: string, variables: Record<string, unknown> = {}) {
  const planned = planDocument({ schema, document: parse(query), variables });
  if (!planned) throw new Error('no operation');
  return planned.plan;
}

describe('declared write effects', () => {
  it('every Mutation field of the demo schema declares its effects', () => {
    const fields = mutationEffects(h.schema);
    expect(fields.length).toBeGreaterThan(80);
    expect(fields.filter((field) => field.effects === undefined).map((field) => field.field)).toEqual([]);
  });

  it('every Mutation field of a workspace with another custom object declares its effects', () => {
    const fields = mutationEffects(custom);
    const names = fields.map((field) => field.field);
    expect(names).toEqual(expect.arrayContaining(['createProject', 'updateProjects', 'deleteProject', 'addProjectPeople', 'addProjectListRecords']));
    expect(fields.filter((field) => field.effects === undefined).map((field) => field.field)).toEqual([]);
    // Deleting a company clears the reference the custom object holds.
    const deleteCompany = fields.find((field) => field.field === 'deleteCompany')?.effects;
    expect(deleteCompany).toEqual([{ change: 'deleted', object: 'company', ids: 'id', referencedBy: expect.arrayContaining(['c_project']) }]);
  });

  it('reports a mutation field built without effects', () => {
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'Query', fields: { a: { type: GraphQLString } } }),
      mutation: new GraphQLObjectType({ name: 'Mutation', fields: { touch: { type: GraphQLString } } }),
    });
    expect(mutationEffects(schema)).toEqual([{ field: 'touch', effects: undefined }]);
  });
});

describe('what a write invalidates', () => {
  it('resolves ids from arguments, and from the payload only when the answer shows them', () => {
    expect(writeTags([{ change: 'records', object: 'person', ids: 'inputs[].id' }], { inputs: [{ id: 'a' }, { id: 'b' }] }).sort()).toEqual(
      ['person:?', 'person:a', 'person:b', 'person[]'].sort(),
    );
    expect(writeTags([{ change: 'created', object: 'person' }], {}).sort()).toEqual(['person:*', 'person:?', 'person[]'].sort());
    expect(writeTags([{ change: 'created', object: 'person' }], {}, () => ['n']).sort()).toEqual(['person:?', 'person:n', 'person[]'].sort());
    expect(writeTags([{ change: 'timeline', object: 'arg:input.object', ids: 'input.recordId' }], { input: { object: 'deal', recordId: 'd' } }).sort()).toEqual(
      ['deal:?', 'deal:d'].sort(),
    );
  });

  const cases: { name: string; mutation: string; variables: Record<string, unknown>; data: unknown; read: string; readData: unknown }[] = [
    {
      name: 'updateComment selecting only userErrors, then comment(id)',
      mutation: 'mutation($id: ID!) { updateComment(id: $id, body: { plainText: "x" }) { userErrors { message } } }',
      variables: { id: 'c1' },
      data: { updateComment: { userErrors: [] } },
      read: '{ comment(id: "c1") { body { plainText } } }',
      readData: { comment: { body: { plainText: 'old' } } },
    },
    {
      name: 'createComment, then the record activities',
      mutation: 'mutation { createComment(input: { object: DEAL, recordId: "d1", body: { plainText: "x" } }) { userErrors { message } } }',
      variables: {},
      data: { createComment: { userErrors: [] } },
      read: '{ deal(id: "d1") { activities(first: 5) { nodes { kind } } } }',
      readData: { deal: { activities: { nodes: [] } } },
    },
    {
      name: 'removeAttachment, then attachments',
      mutation: 'mutation { removeAttachment(input: { object: PERSON, recordId: "p1", attachmentId: "a1" }) { userErrors { message } } }',
      variables: {},
      data: { removeAttachment: { userErrors: [] } },
      read: '{ people(first: 2) { nodes { id attachments { nodes { id } } } } }',
      readData: { people: { nodes: [{ id: 'p1', attachments: { nodes: [{ id: 'a1' }] } }] } },
    },
    {
      name: 'addDealListRecords, then dealList(id) { records }',
      mutation: 'mutation { addDealListRecords(id: "l1", recordIds: ["d1"]) { userErrors { message } } }',
      variables: {},
      data: { addDealListRecords: { userErrors: [] } },
      read: '{ dealList(id: "l1") { name records { nodes { name } } } }',
      readData: { dealList: { name: 'L', records: { nodes: [] } } },
    },
    {
      name: 'deletePerson, then deletedPeople(since)',
      mutation: 'mutation($id: ID!) { deletePerson(id: $id) { deletedId } }',
      variables: { id: 'p9' },
      data: { deletePerson: { deletedId: 'p9' } },
      read: '{ deletedPeople(since: "2020-01-01T00:00:00Z") { nodes { id } } }',
      readData: { deletedPeople: { nodes: [] } },
    },
    {
      name: 'mergePeople, then person(id: source)',
      mutation: 'mutation { mergePeople(into: "p1", sources: ["p2"]) { userErrors { message } } }',
      variables: {},
      data: { mergePeople: { userErrors: [] } },
      read: '{ person(id: "p2") { id name { fullName } } }',
      readData: { person: { id: 'p2', name: { fullName: 'Old' } } },
    },
  ];
  for (const item of cases) {
    it(`${item.name}: the write meets a tag the read filed under`, () => {
      const written = mutationTags(plan(h.schema, item.mutation, item.variables).cache.writes, item.data);
      const read = answerTags(plan(h.schema, item.read).cache.reads, item.readData);
      expect(written.filter((tag) => read.includes(tag)), `${written.join(' ')} | ${read.join(' ')}`).not.toEqual([]);
    });
  }

  it('a write by global id invalidates exactly the record a read showed under its global id', () => {
    const globalId = encodeGlobalId('person', 'p9');
    const written = mutationTags(plan(h.schema, 'mutation($id: ID!) { updatePerson(id: $id, input: { jobTitle: "X" }) { userErrors { message } } }', { id: globalId }).cache.writes, {
      updatePerson: { userErrors: [] },
    });
    expect(written).toContain('person:p9');
    const read = answerTags(plan(h.schema, '{ person(id: "p9") { id jobTitle } }').cache.reads, { person: { id: globalId, jobTitle: 'Old' } });
    expect(read).toContain('person:p9');
    expect(read).not.toContain(`person:${globalId}`);
  });

  it('an upsert whose payload an error cut short invalidates any record of the object, not none', () => {
    const mutation = plan(h.schema, 'mutation { createPerson(input: { name: { fullName: "A" } }) { record { id company { name } } } }').cache.writes;
    const clean = mutationTags(mutation, { createPerson: { record: { id: 'p5', company: null } } });
    expect(clean).toContain('person:p5');
    const cut = mutationTags(mutation, { createPerson: null }, [['createPerson', 'record', 'company', 'name']]);
    const cutShort = mutationTags(mutation, { createPerson: { record: null } }, [['createPerson', 'record', 'company']]);
    for (const tags of [cut, cutShort]) expect(tags).toContain('person:*');
  });

  it('a read files under the ids it shows, and under "unseen" where it selects no id', () => {
    const reads = plan(h.schema, '{ deals(first: 2) { nodes { id company { name } people { nodes { id } } } } }').cache.reads;
    const tags = answerTags(reads, { deals: { nodes: [{ id: 'd1', company: { name: 'A' }, people: { nodes: [{ id: 'p1' }] } }] } });
    expect(tags.sort()).toEqual(['*', 'company:*', 'company:?', 'deal:*', 'deal:d1', 'deal[]', 'person:*', 'person:p1', 'person[]'].sort());
    expect(reads.families.sort()).toEqual(['*', 'company', 'deal', 'person'].sort());
  });

  it('does not cache incremental answers', () => {
    expect(plan(h.schema, '{ deals(first: 2) { nodes { id ... @defer { name } } } }').cache.reads.cacheable).toBe(false);
    expect(plan(h.schema, '{ deals(first: 2) { nodes @stream { id } } }').cache.reads.cacheable).toBe(false);
    expect(plan(h.schema, '{ deals(first: 2) { nodes { id } } }').cache.reads.cacheable).toBe(true);
  });
});
