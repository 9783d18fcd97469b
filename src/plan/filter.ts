import { GraphQLError } from 'graphql';
import type { ClarifyOperator, FilterCondition, SortOrder } from '../client/types.js';
import type { FieldModel } from '../workspace/model.js';

/** GraphQL operator names and the Clarify operators they stand for. */
export const OPERATORS = {
  is: 'Is',
  isNot: 'Is not',
  contains: 'Contains',
  notContains: 'Does not contain',
  startsWith: 'Starts with',
  endsWith: 'Ends with',
  gt: 'Greater than',
  gte: 'Greater than or equal',
  lt: 'Less than',
  lte: 'Less than or equal',
  before: 'Is before',
  after: 'Is after',
  onOrBefore: 'Is on or before',
  onOrAfter: 'Is on or after',
  in: 'One of',
  notIn: 'Not one of',
} as const satisfies Record<string, ClarifyOperator>;

export type OperatorName = keyof typeof OPERATORS | 'isEmpty';

/** Relationship segments Clarify accepts after the object slug in a filter path. */
export const MAX_FILTER_PATH = 3;

/** One key of an object's GraphQL filter input: a value field, or a relationship to filter through. */
export type FilterKey =
  | { kind: 'value'; field: FieldModel }
  | { kind: 'relation'; field: FieldModel; target: string | undefined };

/**
 * The GraphQL names of each object's filter keys. The schema knows them (it names the fields)
 * and hands this to the planner, which compiles filters without knowing how fields are named.
 */
export interface FilterVocabulary {
  keysOf(object: string): ReadonlyMap<string, FilterKey> | undefined;
}

/** An input value as GraphQL coerced it: a plain object. */
export type FilterInput = Readonly<Record<string, unknown>>;

export function orderToSort(orderBy: { field: string; direction: 'ASC' | 'DESC' } | null | undefined): SortOrder | undefined {
  return orderBy ? { column: orderBy.field, dir: orderBy.direction } : undefined;
}

function badFilter(message: string, path: string[]): GraphQLError {
  return new GraphQLError(`Invalid filter at ${['filter', ...path].join('.')}: ${message}`, {
    extensions: { code: 'BAD_USER_INPUT', argumentName: 'filter', path: ['filter', ...path] },
  });
}

function isInput(value: unknown): value is FilterInput {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOperatorName(name: string): name is OperatorName {
  return name === 'isEmpty' || Object.hasOwn(OPERATORS, name);
}

/**
 * Turns a filter input into Clarify conditions, or throws a `BAD_USER_INPUT` error for what
 * Clarify cannot express (paths too deep, a comma inside a list value, an empty list).
 * `object` is the queried object: relationship paths start with its slug.
 */
export function compileFilter(
  vocabulary: FilterVocabulary,
  object: string,
  filter: unknown,
  maxPath = MAX_FILTER_PATH,
): FilterCondition[] {
  const conditions: FilterCondition[] = [];
  if (!isInput(filter)) return conditions;
  collect({ vocabulary, rootSlug: object, maxPath, out: conditions }, object, filter, [], []);
  return conditions;
}

interface Compilation {
  vocabulary: FilterVocabulary;
  rootSlug: string;
  maxPath: number;
  out: FilterCondition[];
}

function collect(c: Compilation, object: string, filter: FilterInput, relationPath: string[], inputPath: string[]): void {
  const keys = c.vocabulary.keysOf(object);
  for (const [key, value] of Object.entries(filter)) {
    if (value === null || value === undefined) continue;
    const entry = keys?.get(key);
    const here = [...inputPath, key];
    if (!entry) throw badFilter(`unknown field \`${key}\``, here);
    const fieldPath = (name: string) => (relationPath.length ? [c.rootSlug, ...relationPath, name].join('.') : name);
    if (!isInput(value)) throw badFilter('expected an object of conditions', here);
    if (entry.kind === 'relation') {
      if (!entry.target) throw badFilter('this relationship cannot be filtered', here);
      if (relationPath.length + 2 > c.maxPath) {
        throw badFilter(`Clarify filters through at most ${c.maxPath - 1} relationship levels`, here);
      }
      const { id, ...rest } = value;
      if (entry.field.kind === 'reference' && isInput(id)) {
        // The related record's id is the FK itself: `company: { id: … }` means `companyId: …`,
        // which also makes `isEmpty` mean "has no company".
        operatorConditions(c, fieldPath(entry.field.name), id, [...here, 'id']);
        collect(c, entry.target, rest, [...relationPath, entry.field.name], here);
      } else collect(c, entry.target, value, [...relationPath, entry.field.name], here);
      continue;
    }
    operatorConditions(c, fieldPath(entry.field.name), value, here);
  }
}

function operatorConditions(c: Compilation, path: string, operators: FilterInput, inputPath: string[]): void {
  for (const [operator, operand] of Object.entries(operators)) {
    if (operand === null || operand === undefined) continue;
    c.out.push(condition(path, operator, operand, [...inputPath, operator]));
  }
}

function condition(path: string, operator: string, operand: unknown, inputPath: string[]): FilterCondition {
  if (!isOperatorName(operator)) throw badFilter(`unknown operator \`${operator}\``, inputPath);
  if (operator === 'isEmpty') return { path, operator: operand === true ? 'Is empty' : 'Is not empty', value: '' };
  const clarifyOperator = OPERATORS[operator];
  if (Array.isArray(operand)) {
    if (operand.length === 0) throw badFilter('the list is empty', inputPath);
    const values = operand.map(formatValue);
    if (values.some((v) => v.includes(','))) {
      throw badFilter('Clarify separates list values with commas, so a value cannot contain one', inputPath);
    }
    return { path, operator: clarifyOperator, value: values.join(',') };
  }
  return { path, operator: clarifyOperator, value: formatValue(operand) };
}

function formatValue(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
