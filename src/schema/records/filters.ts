import type { FilterKey, FilterVocabulary, OperatorName } from '../../plan/filter.js';
import type { FieldModel } from '../../workspace/model.js';
import type { EnumRef, InputFieldMap } from '@pothos/core';
import type { GatewayBuilder, GatewaySchemaTypes } from '../core/builder.js';
import { type FilterRef, type FilterValue, type ObjectParts, type SchemaRegistry, fieldNamesOf } from '../core/registry.js';

type DirectionRef = EnumRef<PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>, 'ASC' | 'DESC', 'ASC' | 'DESC'>;


type ScalarName = 'String' | 'Float' | 'Boolean' | 'ID' | 'Date' | 'DateTime';

interface OperatorSet {
  name: string;
  scalar: ScalarName;
  operators: OperatorName[];
  description: string;
}

const TEXT_OPERATORS: OperatorName[] = ['is', 'isNot', 'contains', 'notContains', 'startsWith', 'endsWith', 'isEmpty'];
const NUMBER_OPERATORS: OperatorName[] = ['is', 'isNot', 'gt', 'gte', 'lt', 'lte', 'isEmpty'];
const DATE_OPERATORS: OperatorName[] = ['is', 'isNot', 'before', 'after', 'onOrBefore', 'onOrAfter', 'isEmpty'];

const SHARED_SETS: Record<string, OperatorSet> = {
  text: { name: 'StringFilter', scalar: 'String', operators: TEXT_OPERATORS, description: 'Conditions on a text field.' },
  number: { name: 'NumberFilter', scalar: 'Float', operators: NUMBER_OPERATORS, description: 'Conditions on a number field.' },
  date: { name: 'DateFilter', scalar: 'Date', operators: DATE_OPERATORS, description: 'Conditions on a date field.' },
  dateTime: {
    name: 'DateTimeFilter',
    scalar: 'DateTime',
    operators: DATE_OPERATORS,
    description: 'Conditions on a date-time field.',
  },
  boolean: { name: 'BooleanFilter', scalar: 'Boolean', operators: ['is', 'isNot'], description: 'Conditions on a checkbox.' },
  id: { name: 'IdFilter', scalar: 'ID', operators: ['is', 'isNot', 'isEmpty'], description: 'Conditions on a record id.' },
  collection: {
    name: 'CollectionFilter',
    scalar: 'String',
    operators: ['contains', 'notContains', 'isEmpty'],
    description: 'Conditions on a multi-value field: `contains` matches when one item matches.',
  },
};

const OPERATOR_DESCRIPTIONS: Record<OperatorName, string> = {
  is: 'Equals.',
  isNot: 'Does not equal.',
  contains: 'Contains, ignoring case.',
  notContains: 'Does not contain, ignoring case.',
  startsWith: 'Starts with, ignoring case.',
  endsWith: 'Ends with, ignoring case.',
  gt: 'Greater than.',
  gte: 'Greater than or equal.',
  lt: 'Less than.',
  lte: 'Less than or equal.',
  before: 'Strictly before.',
  after: 'Strictly after.',
  onOrBefore: 'On or before.',
  onOrAfter: 'On or after.',
  in: 'One of the values.',
  notIn: 'None of the values.',
  isEmpty: '`true`: the field is empty; `false`: it is not.',
};

/** Which shared operator set a field kind filters with; undefined when it cannot be filtered. */
function operatorSetKey(field: FieldModel): string | undefined {
  // `_created_by` / `_updated_by` hold actor ids, which Clarify filters like record ids.
  if (field.readOnly && field.kind === 'text') return 'id';
  switch (field.kind) {
    case 'text':
    case 'personName':
      return 'text';
    case 'number':
      return 'number';
    case 'date':
      return 'date';
    case 'dateTime':
      return 'dateTime';
    case 'boolean':
      return 'boolean';
    case 'id':
    case 'reference':
    case 'userReference':
      return 'id';
    case 'stringCollection':
    case 'objectCollection':
      return 'collection';
    default:
      return undefined;
  }
}

/** Adds the shared operator inputs, `OrderDirection`, and each object's filter and order inputs. */
export function addFilterTypes(registry: SchemaRegistry): void {
  const builder = registry.builder;
  const shared = new Map<string, FilterRef>();
  for (const [key, set] of Object.entries(SHARED_SETS)) shared.set(key, operatorInput(builder, set));
  const direction = builder.enumType('OrderDirection', {
    values: { ASC: { value: 'ASC', description: 'Smallest first; empty values last.' }, DESC: { value: 'DESC' } },
  });

  // Every filter ref first: an object's filter nests the filters of the objects it relates to.
  const filters = [...registry.objects.values()].map((parts) => {
    parts.filter = builder.inputRef<FilterValue>(registry.claim(`${parts.names.typeName}Filter`));
    return { parts, filter: parts.filter };
  });
  for (const { parts, filter } of filters) {
    implementObjectFilter(registry, parts, filter, shared);
    addOrderBy(registry, parts, direction);
  }
}

function operatorInput(builder: GatewayBuilder, set: OperatorSet): FilterRef {
  return builder.inputType(set.name, {
    description: set.description,
    fields: (t) => {
      const fields: InputFieldMap = {};
      for (const operator of set.operators) {
        const description = OPERATOR_DESCRIPTIONS[operator];
        if (operator === 'isEmpty') fields[operator] = t.boolean({ description });
        else if (operator === 'in' || operator === 'notIn') fields[operator] = t.field({ type: [set.scalar], description });
        else fields[operator] = t.field({ type: set.scalar, description });
      }
      return fields;
    },
  });
}

function implementObjectFilter(registry: SchemaRegistry, parts: ObjectParts, filter: FilterRef, shared: Map<string, FilterRef>): void {
  const builder = registry.builder;
  builder.inputType(filter, {
    description: `Conditions on ${parts.object.plural}; all of them must hold. Relationship fields filter by the related records.`,
    fields: (t) => {
      const fields: Record<string, ReturnType<typeof t.field>> = {};
      for (const field of parts.object.fields) {
        const names = fieldNamesOf(parts, field);
        const valueRef = filterInputFor(registry, parts, field, shared);
        if (valueRef && names.value) fields[names.value] = t.field({ type: valueRef, description: field.title });
        const target = field.relationship && field.kind !== 'userReference' ? registry.parts(field.relationship.target) : undefined;
        if (target?.filter && names.relation) {
          fields[names.relation] = t.field({
            type: target.filter,
            description: `${field.title}: conditions on the related ${target.object.plural}.`,
          });
        }
      }
      return fields;
    },
  });
}

function filterInputFor(
  registry: SchemaRegistry,
  parts: ObjectParts,
  field: FieldModel,
  shared: Map<string, FilterRef>,
): FilterRef | undefined {
  if (field.kind === 'select' || field.kind === 'multiSelect') {
    const enumRef = registry.enumFor(parts, field);
    const single = field.kind === 'select';
    const name = registry.claim(`${registry.enumName(parts, field)}${single ? 'Filter' : 'ListFilter'}`);
    return registry.builder.inputType(name, {
      description: `Conditions on ${parts.object.singular} ${field.title}.`,
      fields: (t): InputFieldMap => {
        const isEmpty = t.boolean({ description: OPERATOR_DESCRIPTIONS.isEmpty });
        if (!single) {
          return {
            contains: t.field({ type: enumRef, description: 'Has this option.' }),
            notContains: t.field({ type: enumRef, description: 'Does not have this option.' }),
            isEmpty,
          };
        }
        return {
          is: t.field({ type: enumRef, description: OPERATOR_DESCRIPTIONS.is }),
          isNot: t.field({ type: enumRef, description: OPERATOR_DESCRIPTIONS.isNot }),
          in: t.field({ type: [enumRef], description: OPERATOR_DESCRIPTIONS.in }),
          notIn: t.field({ type: [enumRef], description: OPERATOR_DESCRIPTIONS.notIn }),
          isEmpty,
        };
      },
    });
  }
  const key = operatorSetKey(field);
  return key ? shared.get(key) : undefined;
}

function addOrderBy(registry: SchemaRegistry, parts: ObjectParts, direction: DirectionRef): void {
  const builder = registry.builder;
  const values: Record<string, { value: string; description: string }> = {};
  for (const field of parts.object.fields) {
    if (!isSortable(field)) continue;
    const name = parts.fieldNames.get(field.name)?.value;
    if (!name) continue;
    values[screaming(name)] = { value: field.name, description: field.title };
  }
  if (Object.keys(values).length === 0) return;
  const fieldEnum = builder.enumType(registry.claim(`${parts.names.typeName}OrderField`), {
    description: `Columns ${parts.object.plural} can be sorted on.`,
    values,
  });
  parts.orderBy = builder.inputType(registry.claim(`${parts.names.typeName}OrderBy`), {
    description: 'Clarify sorts on one column; empty values sort last.',
    fields: (t) => ({
      field: t.field({ type: fieldEnum, required: true }),
      direction: t.field({ type: direction, defaultValue: 'ASC', required: true }),
    }),
  });
}

function isSortable(field: FieldModel): boolean {
  return ['id', 'text', 'personName', 'number', 'date', 'dateTime', 'select', 'boolean', 'reference', 'userReference'].includes(field.kind);
}

function screaming(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}


/** The GraphQL names of every object's filter keys, for the planner that compiles filters. */
export function filterVocabulary(registry: SchemaRegistry): FilterVocabulary {
  const byObject = new Map<string, Map<string, FilterKey>>();
  for (const parts of registry.objects.values()) {
    const keys = new Map<string, FilterKey>();
    for (const field of parts.object.fields) {
      const names = parts.fieldNames.get(field.name);
      if (names?.value) keys.set(names.value, { kind: 'value', field });
      if (names?.relation) {
        const target = field.relationship ? registry.parts(field.relationship.target)?.object.slug : undefined;
        keys.set(names.relation, { kind: 'relation', field, target });
      }
    }
    byObject.set(parts.object.slug, keys);
  }
  return { keysOf: (object) => byObject.get(object) };
}
