import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  type GraphQLEnumType,
  type GraphQLInputObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATORS } from '../../src/plan/filter.js';
import { camelCase, pascalCase } from '../../src/schema/core/naming.js';
import type { FieldModel, ObjectModel } from '../../src/workspace/model.js';
import { startHarness, type Harness } from './harness.js';

/**
 * The gateway's answer must equal what the sandbox's REST API returns for the same request,
 * record for record and field for field: for every filter operator on every field type, and for
 * a few hundred generated queries (random fields, filters, orders and page sizes).
 */

let h: Harness;
const samples = new Map<string, Resource[]>();

interface Resource {
  id: string;
  attributes: Record<string, unknown>;
}
interface ListBody {
  data: Resource[];
  meta: { total_records: number };
}

const COMPARED_KINDS = new Set(['text', 'number', 'boolean', 'date', 'dateTime', 'select', 'stringCollection', 'reference', 'personName']);

beforeAll(async () => {
  h = await startHarness();
  for (const object of listable()) {
    samples.set(object.slug, ((await h.rest(`/objects/${object.slug}/resources?page[limit]=500`)) as ListBody).data);
  }
});
afterAll(async () => h.close());

function listable(): ObjectModel[] {
  return h.model.objects.filter((o) => o.slug !== 'user');
}

function typeName(object: ObjectModel): string {
  return object.slug === 'c_sales_order' ? 'SalesOrder' : pascalCase(object.slug);
}

function pluralField(object: ObjectModel): string {
  return camelCase(object.plural);
}

function graphqlName(field: FieldModel): string {
  if (field.kind === 'reference' || field.kind === 'userReference') return camelCase(field.name.replace(/_id$/, '')) + 'Id';
  if (field.name === '_id') return 'clarifyId';
  if (field.name === '_created_at') return 'createdAt';
  if (field.name === '_updated_at') return 'updatedAt';
  return camelCase(field.name);
}

function selectionFor(field: FieldModel): string {
  return field.kind === 'personName' ? `${graphqlName(field)} { fullName }` : graphqlName(field);
}

/** The value the gateway should show for a REST attribute. */
function expectedValue(object: ObjectModel, field: FieldModel, raw: unknown): unknown {
  switch (field.kind) {
    case 'select': {
      if (raw == null) return null;
      const enumType = h.schema.getType(`${typeName(object)}${pascalCase(field.name)}`) as GraphQLEnumType;
      return enumType.getValues().find((v) => v.value === raw)?.name ?? null;
    }
    case 'stringCollection':
      return (raw as { items?: string[] } | null)?.items ?? [];
    case 'dateTime':
      return raw == null ? null : new Date(raw as string).toISOString();
    case 'personName':
      return raw == null ? null : { fullName: (raw as { full_name: string }).full_name };
    default:
      return raw ?? null;
  }
}

function comparedFields(object: ObjectModel): FieldModel[] {
  return object.fields.filter((f) => COMPARED_KINDS.has(f.kind) || f.name === '_created_at');
}

interface Case {
  object: ObjectModel;
  filter: Record<string, Record<string, unknown>>;
  restFilter: string[];
  orderBy?: { field: string; direction: 'ASC' | 'DESC' };
  restSort?: string;
  first: number;
  fields: FieldModel[];
}

async function compare(c: Case): Promise<number> {
  const type = typeName(c.object);
  const query = `query($filter: ${type}Filter, $orderBy: ${type}OrderBy, $first: Int) {
    ${pluralField(c.object)}(first: $first, filter: $filter, orderBy: $orderBy) { totalCount nodes { id: clarifyId ${c.fields.map(selectionFor).join(' ')} } }
  }`;
  const result = await h.run<Record<string, { totalCount: number; nodes: Record<string, unknown>[] }>, Record<string, unknown>>(query, {
    filter: c.filter,
    orderBy: c.orderBy ?? null,
    first: c.first,
  });
  expect(result.calls).toBe(1);
  const params = [...c.restFilter, `page[limit]=${Math.max(1, c.first)}`, ...(c.restSort ? [c.restSort] : [])];
  const body = (await h.rest(`/objects/${c.object.slug}/resources?${params.join('&')}`)) as ListBody;
  const connection = Object.values(result.data)[0]!;
  const label = `${c.object.slug} ${JSON.stringify(c.filter)} ${c.restSort ?? ''}`;
  expect(connection.totalCount, label).toBe(body.meta.total_records);
  expect(
    connection.nodes.map((n) => n.id),
    label,
  ).toEqual(body.data.slice(0, c.first).map((r) => r.id));
  connection.nodes.forEach((node, index) => {
    const resource = body.data[index]!;
    for (const field of c.fields) {
      expect(node[graphqlName(field)], `${label} ${resource.id}.${field.name}`).toEqual(
        expectedValue(c.object, field, resource.attributes[field.name]),
      );
    }
  });
  return connection.nodes.length;
}

/** The Clarify operator for a GraphQL operator name. */
function clarifyOperator(operator: string, operand: unknown): string {
  if (operator === 'isEmpty') return operand ? 'Is empty' : 'Is not empty';
  return OPERATORS[operator as keyof typeof OPERATORS];
}

function restCondition(path: string, operator: string, operand: unknown, enumType?: GraphQLEnumType): string {
  const toClarify = (v: unknown): string => {
    if (enumType) return String(enumType.getValue(v as string)?.value);
    return String(v);
  };
  const value = operator === 'isEmpty' ? '' : Array.isArray(operand) ? operand.map(toClarify).join(',') : toClarify(operand);
  return `filter[${path}][${encodeURIComponent(clarifyOperator(operator, operand))}]=${encodeURIComponent(value)}`;
}

/** A value from the demo data that the operator can be tested with, in GraphQL input form. */
function operandFor(object: ObjectModel, field: FieldModel, operator: string, pick: number): unknown {
  if (operator === 'isEmpty') return pick % 2 === 0;
  const values = (samples.get(object.slug) ?? [])
    .map((r) => (field.name === '_id' ? r.id : r.attributes[field.name]))
    .filter((v) => v !== null && v !== undefined);
  const at = (n: number): unknown => values[(pick + n) % Math.max(1, values.length)];
  let value = at(0);
  if (value === undefined) return undefined;
  if (field.kind === 'stringCollection' || field.kind === 'objectCollection') {
    const items = (value as { items?: unknown[] }).items ?? [];
    const first = items[0];
    value = typeof first === 'object' && first ? (first as { email?: string }).email : first;
  }
  if (field.kind === 'personName') value = (value as { full_name: string }).full_name;
  if (field.kind === 'select') {
    const enumType = h.schema.getType(`${typeName(object)}${pascalCase(field.name)}`) as GraphQLEnumType;
    const toName = (v: unknown): string => enumType.getValues().find((e) => e.value === v)!.name;
    if (operator === 'in' || operator === 'notIn') return [...new Set([toName(at(0)), toName(at(3))])];
    return toName(value);
  }
  if (typeof value === 'string') {
    if (operator === 'contains' || operator === 'notContains') return value.slice(1, 4).toLowerCase();
    if (operator === 'startsWith') return value.slice(0, 3);
    if (operator === 'endsWith') return value.slice(-3).toUpperCase();
  }
  if (field.kind === 'date' && typeof value === 'string') return value.slice(0, 10);
  return value;
}

function filterInput(object: ObjectModel): GraphQLInputObjectType {
  return h.schema.getType(`${typeName(object)}Filter`) as GraphQLInputObjectType;
}

/** Every (field, operator) the filter input of an object offers, except relationship paths. */
function operatorCases(object: ObjectModel): { field: FieldModel; operator: string; operatorType: GraphQLInputObjectType }[] {
  const input = filterInput(object).getFields();
  const cases = [];
  for (const field of object.fields) {
    const inputField = input[graphqlName(field)];
    if (!inputField) continue;
    const operatorType = getNamedType(inputField.type);
    if (!isInputObjectType(operatorType) || operatorType.name.endsWith('Filter') === false) continue;
    if (operatorType.name === `${typeName(h.model.objects.find((o) => o.slug === field.relationship?.target) ?? object)}Filter`) continue;
    for (const operator of Object.keys(operatorType.getFields())) cases.push({ field, operator, operatorType });
  }
  return cases;
}

describe('the gateway answers like the REST API', () => {
  it('for every filter operator on every field type', async () => {
    const seenOperators = new Map<string, Set<string>>();
    let ran = 0;
    let nonEmpty = 0;
    for (const object of listable()) {
      const fields = comparedFields(object);
      for (const [index, { field, operator, operatorType }] of operatorCases(object).entries()) {
        const operand = operandFor(object, field, operator, index);
        if (operand === undefined) continue;
        const enumType = field.kind === 'select' ? (getNamedType(operatorType.getFields()[operator]!.type) as GraphQLEnumType) : undefined;
        const path = field.name;
        const found = await compare({
          object,
          filter: { [graphqlName(field)]: { [operator]: operand } },
          restFilter: [restCondition(path, operator, operand, isEnumType(enumType) ? enumType : undefined)],
          first: 50,
          fields,
        });
        ran++;
        if (found > 0) nonEmpty++;
        const set = seenOperators.get(operatorType.name) ?? new Set<string>();
        set.add(operator);
        seenOperators.set(operatorType.name, set);
      }
    }
    // Every operator of every shared operator input ran at least once.
    for (const name of ['StringFilter', 'NumberFilter', 'DateFilter', 'DateTimeFilter', 'IdFilter', 'CollectionFilter', 'BooleanFilter']) {
      const type = h.schema.getType(name) as GraphQLInputObjectType;
      expect([...(seenOperators.get(name) ?? [])].sort(), name).toEqual(Object.keys(type.getFields()).sort());
    }
    expect(ran).toBeGreaterThan(100);
    // The operands come from the data, so most conditions match something.
    expect(nonEmpty / ran).toBeGreaterThan(0.6);
  }, 90_000);

  it('for relationship-path filters, to-one and to-many', async () => {
    const deal = h.model.objects.find((o) => o.slug === 'deal')!;
    const company = samples.get('company')![0]!;
    const companyName = company.attributes.name as string;
    await compare({
      object: deal,
      filter: { company: { name: { is: companyName } } } as never,
      restFilter: [`filter[deal.company_id.name][Is]=${encodeURIComponent(companyName)}`],
      first: 50,
      fields: comparedFields(deal),
    });
    const companyModel = h.model.objects.find((o) => o.slug === 'company')!;
    await compare({
      object: companyModel,
      filter: { people: { jobTitle: { contains: 'VP' } } } as never,
      restFilter: [`filter[company.people.job_title][Contains]=VP`],
      first: 50,
      fields: comparedFields(companyModel),
    });
    await compare({
      object: deal,
      filter: { company: { people: { name: { contains: 'a' } } } } as never,
      restFilter: [`filter[deal.company_id.people.name][Contains]=a`],
      first: 50,
      fields: comparedFields(deal),
    });
  });

  it('for a few hundred generated queries over every object', async () => {
    let seed = 20261126;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const choose = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    let ran = 0;
    for (let i = 0; i < 240; i++) {
      const object = choose(listable());
      const all = comparedFields(object);
      const fields = all.filter(() => random() < 0.5);
      const cases = operatorCases(object).filter((c) => c.operator !== 'in' && c.operator !== 'notIn');
      const filter: Record<string, Record<string, unknown>> = {};
      const restFilter: string[] = [];
      for (let n = Math.floor(random() * 3); n > 0; n--) {
        const { field, operator, operatorType } = choose(cases);
        const operand = operandFor(object, field, operator, Math.floor(random() * 50));
        if (operand === undefined || filter[graphqlName(field)]) continue;
        filter[graphqlName(field)] = { [operator]: operand };
        const enumType = field.kind === 'select' ? (getNamedType(operatorType.getFields()[operator]!.type) as GraphQLEnumType) : undefined;
        restFilter.push(restCondition(field.name, operator, operand, enumType));
      }
      const orderEnum = h.schema.getType(`${typeName(object)}OrderField`) as GraphQLEnumType;
      const order = random() < 0.7 ? choose(orderEnum.getValues()) : undefined;
      const direction = random() < 0.5 ? 'ASC' : 'DESC';
      await compare({
        object,
        filter,
        restFilter,
        ...(order
          ? {
              orderBy: { field: order.name, direction },
              restSort: `sortOrder[column]=${String(order.value)}&sortOrder[dir]=${direction}`,
            }
          : {}),
        first: choose([1, 3, 10, 25, 100]),
        fields,
      });
      ran++;
    }
    expect(ran).toBe(240);
  }, 90_000);
});
