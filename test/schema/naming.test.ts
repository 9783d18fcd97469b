import { assertValidSchema, isEnumType, isObjectType, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGatewaySchema } from '../../src/schema/build-schema.js';
import { camelCase, enumValueNames, pascalCase } from '../../src/schema/core/naming.js';
import { parseWorkspaceModel } from '../../src/workspace/parse-schemas.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
let items: unknown[];
beforeAll(async () => {
  h = await startHarness();
  items = await h.client.listSchemas({ credential: h.credential });
});
afterAll(async () => h.close());

/** A `/schemas` item for a custom object named `name`. */
function customObject(name: string, plural: string, properties: Record<string, unknown> = {}) {
  const slug = `c_${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
  return {
    id: `https://getclarify.ai/schemas/entities/${slug}`,
    type: 'schema',
    attributes: {
      title: name,
      xClarifyLabel: { singular: name, plural },
      properties: { _id: { type: 'string' }, name: { type: 'string', xClarifyPrimary: true }, ...properties },
    },
  };
}

const objectType = (name: string): GraphQLObjectType => {
  const type = h.schema.getType(name);
  if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
  return type;
};

describe('naming', () => {
  it('cases names as the contract says', () => {
    expect(pascalCase('sales_order')).toBe('SalesOrder');
    expect(camelCase('email_addresses')).toBe('emailAddresses');
    expect([...enumValueNames(['To Do', 'In Progress', 'Done', 'to do']).values()]).toEqual(['TO_DO', 'IN_PROGRESS', 'DONE', 'TO_DO_2']);
    expect([...enumValueNames(['A+', 'A', 'Ünïcode', 'R&D', '100%', '2nd', 'null', '???']).values()]).toEqual([
      'A_PLUS',
      'A',
      'UNICODE',
      'R_AND_D',
      '_100_PERCENT',
      '_2ND',
      'NULL_',
      'EMPTY',
    ]);
  });

  it('gives every object of /schemas a type and root fields named from its labels', () => {
    const query = h.schema.getQueryType()!.getFields();
    const expected: [string, string, string, string][] = [
      ['person', 'Person', 'person', 'people'],
      ['company', 'Company', 'company', 'companies'],
      ['deal', 'Deal', 'deal', 'deals'],
      ['meeting', 'Meeting', 'meeting', 'meetings'],
      ['task', 'Task', 'task', 'tasks'],
      ['user', 'User', 'user', 'users'],
      ['c_sales_order', 'SalesOrder', 'salesOrder', 'salesOrders'],
    ];
    expect(h.model.objects.map((o) => o.slug).sort()).toEqual(expected.map((e) => e[0]).sort());
    for (const [, typeName, single, plural] of expected) {
      expect(objectType(typeName).getInterfaces().map((i) => i.name)).toEqual(['Node', 'Record']);
      expect(String(query[single]!.type)).toBe(typeName);
      expect(String(query[plural]!.type)).toBe(`${typeName}Connection`);
    }
  });

  it('names fields in camelCase, with FK and relationship fields beside each other', () => {
    const person = objectType('Person').getFields();
    expect(String(person.id!.type)).toBe('ID!');
    expect(String(person.emailAddresses!.type)).toBe('[String!]!');
    expect(String(person.companyId!.type)).toBe('ID');
    expect(String(person.company!.type)).toBe('Company');
    expect(String(person.deals!.type)).toBe('DealConnection');
    expect(String(person.createdAt!.type)).toBe('DateTime');
    expect(String(person.name!.type)).toBe('PersonName');
    const task = objectType('Task').getFields();
    expect(String(task.description!.type)).toBe('RichText');
    expect(String(task.dueDate!.type)).toBe('Date');
    expect(String(task.assignee!.type)).toBe('User');
    expect(String(objectType('Meeting').getFields().start!.type)).toBe('DateTime');
    expect(String(objectType('Company').getFields().people!.type)).toBe('PersonConnection');
  });

  it('shows every field of every object, and every select option as an enum value', () => {
    for (const object of h.model.objects) {
      const typeName = object.slug === 'c_sales_order' ? 'SalesOrder' : pascalCase(object.slug);
      const fields = objectType(typeName).getFields();
      for (const field of object.fields) {
        if (field.kind === 'toMany') expect(fields[camelCase(field.name)], `${object.slug}.${field.name}`).toBeDefined();
        else if (field.kind === 'reference' || field.kind === 'userReference') {
          expect(fields[camelCase(field.name.replace(/_id$/, '')) + 'Id'], `${object.slug}.${field.name}`).toBeDefined();
        } else if (!field.name.startsWith('_')) expect(fields[camelCase(field.name)], `${object.slug}.${field.name}`).toBeDefined();
        if (field.kind === 'select') {
          const enumType = h.schema.getType(`${typeName}${pascalCase(field.name)}`);
          expect(isEnumType(enumType)).toBe(true);
          if (isEnumType(enumType)) expect(enumType.getValues().map((v) => v.value as string).sort()).toEqual([...field.options!].sort());
        }
      }
    }
  });

  it('keeps working when custom objects are named like built-in, root or generated types', () => {
    const extra = [
      'Query',
      'Record',
      'Person Connection',
      'Date',
      'Page Info',
      'People',
      'Deal Stage',
      'Deal Stage Filter',
      'Task Status',
      'Company Industry',
      'Meeting Participants Item',
      'Create Person Payload',
      'Order Direction',
    ].map((name) => customObject(name, `${name}s`));
    const schema = buildGatewaySchema(parseWorkspaceModel([...items, ...extra]));
    expect(() => assertValidSchema(schema)).not.toThrow();
    for (const name of [
      'QueryObject',
      'RecordObject',
      'PersonConnectionObject',
      'DateObject',
      'PageInfoObject',
      'PeopleObject',
      'DealStageObject',
      'DealStageFilterObject',
      'TaskStatusObject',
      'CompanyIndustryObject',
      'MeetingParticipantsItemObject',
      'CreatePersonPayloadObject',
      'OrderDirectionObject',
    ]) {
      expect(isObjectType(schema.getType(name)), name).toBe(true);
    }
    // The standard objects keep their generated names.
    expect(isEnumType(schema.getType('DealStage'))).toBe(true);
    expect(String(schema.getQueryType()!.getFields().deals!.args.find((a) => a.name === 'filter')!.type)).toBe('DealFilter');
    const query = schema.getQueryType()!.getFields();
    expect(String(query.people!.type)).toBe('PersonConnection');
    expect(query.peopleCPeople).toBeDefined();
  });

  it('builds when custom objects are named like every type of the demo schema at once', () => {
    const demoTypes = Object.keys(h.schema.getTypeMap()).filter((name) => !name.startsWith('__'));
    // `SalesOrder` would be `c_sales_order` again, which the workspace already has.
    const extra = demoTypes
      .filter((name) => name !== 'SalesOrder')
      .map((typeName) => {
        const name = typeName.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
        return customObject(name, `${name} Records`, { status: { type: ['string', 'null'], enum: ['Open', 'Closed', null] } });
      });
    const schema = buildGatewaySchema(parseWorkspaceModel([...items, ...extra]));
    expect(() => assertValidSchema(schema)).not.toThrow();
    // Every demo type keeps its name and its kind.
    for (const name of demoTypes) expect(schema.getType(name)?.constructor, name).toBe(h.schema.getType(name)?.constructor);
    // Per object: one record, the connection, its deleted records, one saved list and its saved lists.
    expect(Object.keys(schema.getQueryType()!.getFields()).length).toBe(Object.keys(h.schema.getQueryType()!.getFields()).length + 5 * extra.length);
  });
});
