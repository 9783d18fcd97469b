import { badParameter } from './errors.js';
import { isRelationship, queryableField, type FieldDef, type FieldKind, type ObjectDef } from './model.js';
import { isObject } from './schema-registry.js';
import type { Store, StoredRecord } from './store.js';

const TEXT_OPS = ['Is', 'Is not', 'Contains', 'Does not contain', 'Starts with', 'Ends with', 'Is empty', 'Is not empty'];
const NUMBER_OPS = ['Is', 'Is not', 'Greater than', 'Greater than or equal', 'Less than', 'Less than or equal', 'Is empty', 'Is not empty'];
const DATE_OPS = ['Is', 'Is not', 'Is before', 'Is on or before', 'Is after', 'Is on or after', 'Is empty', 'Is not empty'];
const SELECT_OPS = ['Is', 'Is not', 'One of', 'Not one of', 'Is empty', 'Is not empty'];
const MULTI_OPS = ['Contains', 'Does not contain', 'Is empty', 'Is not empty'];
const CHECKBOX_OPS = ['Is', 'Is not', 'Is set', 'Is not set'];
const ID_OPS = ['Is', 'Is not', 'Is empty', 'Is not empty'];
const COLLECTION_OPS = ['Contains', 'Does not contain', 'Is empty', 'Is not empty'];
/** Internal operator of the plain form on collections: one item equals the value. */
const HAS_ITEM = 'Has item';
const MAX_PATH = 3;

const OPS_BY_KIND: Record<FieldKind, string[]> = {
  text: TEXT_OPS,
  name: TEXT_OPS,
  'rich-text': TEXT_OPS,
  number: NUMBER_OPS,
  date: DATE_OPS,
  'date-time': DATE_OPS,
  select: SELECT_OPS,
  'multi-select': MULTI_OPS,
  boolean: CHECKBOX_OPS,
  id: ID_OPS,
  actor: ID_OPS,
  fk: ID_OPS,
  'user-ref': ID_OPS,
  'to-many': ID_OPS,
  collection: COLLECTION_OPS,
  'object-collection': COLLECTION_OPS,
};

export type RecordPredicate = (record: StoredRecord) => boolean;
type ValueTest = (value: unknown) => boolean;

interface Condition {
  operator: string | undefined;
  value: string;
  parameter: string;
}

/** Builds one predicate from the `filter` query object (all conditions ANDed), or null for none. */
export function compileFilter(store: Store, object: ObjectDef, filter: unknown): RecordPredicate | null {
  if (filter === undefined) return null;
  if (!isObject(filter)) throw badParameter('filter must be given as filter[field]=value or filter[field][Operator]=value', 'filter');
  const predicates: RecordPredicate[] = [];
  for (const [key, raw] of Object.entries(filter)) {
    const { path, field, target } = resolvePath(store, object, key);
    for (const condition of conditions(key, raw)) {
      const test = compileCondition(field, condition);
      predicates.push(pathPredicate(store, object, path, field, target, test));
    }
  }
  if (predicates.length === 0) return null;
  if (predicates.length === 1) return predicates[0]!;
  return (record) => predicates.every((predicate) => predicate(record));
}

function conditions(key: string, raw: unknown): Condition[] {
  const base = `filter[${key}]`;
  if (typeof raw === 'string') return [{ operator: undefined, value: raw, parameter: base }];
  if (Array.isArray(raw)) return raw.flatMap((item) => conditions(key, item));
  if (isObject(raw)) {
    const out: Condition[] = [];
    for (const [operator, value] of Object.entries(raw)) {
      const parameter = `${base}[${operator}]`;
      const values = Array.isArray(value) ? value : [value];
      for (const item of values) {
        if (typeof item !== 'string') throw badParameter(`${parameter} must be a single value`, parameter);
        out.push({ operator, value: item, parameter });
      }
    }
    return out;
  }
  throw badParameter(`${base} has no value`, base);
}

function resolvePath(store: Store, object: ObjectDef, key: string): { path: FieldDef[]; field: FieldDef; target: ObjectDef } {
  const parameter = `filter[${key}]`;
  let segments = key.split('.');
  if (segments.length > 1 && segments[0] === object.slug) segments = segments.slice(1);
  if (segments.length > MAX_PATH) throw badParameter(`${parameter}: relationship paths go at most ${MAX_PATH} levels deep`, parameter);
  const path: FieldDef[] = [];
  let current = object;
  for (let i = 0; i < segments.length - 1; i++) {
    const field = current.fields.get(segments[i]!);
    if (!field || !isRelationship(field)) {
      throw badParameter(`${parameter}: "${segments[i]!}" is not a relationship of ${current.slug}`, parameter);
    }
    const next = store.registry.objects.get(field.relationship?.entity ?? '');
    if (!next) throw badParameter(`${parameter}: unknown object behind "${segments[i]!}"`, parameter);
    path.push(field);
    current = next;
  }
  const last = segments[segments.length - 1]!;
  const field = queryableField(current, last);
  if (!field) throw badParameter(`${parameter}: unknown field "${last}" on ${current.slug}`, parameter);
  return { path, field, target: current };
}

function pathPredicate(store: Store, object: ObjectDef, path: FieldDef[], field: FieldDef, target: ObjectDef, test: ValueTest): RecordPredicate {
  const name = field.name;
  const read =
    field.kind === 'id' || field.kind === 'to-many'
      ? (record: StoredRecord): unknown => readValue(store, target, record, field)
      : (record: StoredRecord): unknown => record.attrs[name] ?? null;
  if (path.length === 0) return (record) => test(read(record));
  const walk = (owner: ObjectDef, record: StoredRecord, depth: number): boolean => {
    const step = path[depth]!;
    const next = store.registry.objects.get(step.relationship?.entity ?? '')!;
    for (const related of store.related(owner, record, step)) {
      if (depth === path.length - 1 ? test(read(related)) : walk(next, related, depth + 1)) return true;
    }
    return false;
  };
  return (record) => walk(object, record, 0);
}

function readValue(store: Store, object: ObjectDef, record: StoredRecord, field: FieldDef): unknown {
  if (field.kind === 'id') return record.id;
  if (field.kind === 'to-many') return store.relatedIds(object, record, field);
  return record.attrs[field.name] ?? null;
}

/** The text a text-like field is compared by. */
function textOf(kind: FieldKind, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (kind === 'name' && isObject(value)) return typeof value.full_name === 'string' ? value.full_name : null;
  if (kind === 'rich-text' && isObject(value)) return plainText(value.text);
  return String(value);
}

function plainText(blocks: unknown): string {
  if (!Array.isArray(blocks)) return '';
  const parts: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isObject(node)) {
      if (typeof node.text === 'string') parts.push(node.text);
      visit(node.content);
      visit(node.children);
    }
  };
  visit(blocks);
  return parts.join(' ');
}

function itemsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isObject(value) && Array.isArray(value.items)) return value.items;
  return [];
}

function itemText(item: unknown): string {
  if (typeof item === 'string') return item.toLowerCase();
  if (isObject(item)) return `${String(item.email ?? '')} ${String(item.name ?? '')}`.toLowerCase();
  return String(item).toLowerCase();
}

/** Turns the plain form's shorthand (`>5`, `!=Lost`, `*Smith*`, `a,b`, `null`) into an operator. */
function expandShorthand(kind: FieldKind, value: string): { operator: string; value: string } {
  if (value === 'null') return { operator: kind === 'boolean' ? 'Is not set' : 'Is empty', value: '' };
  if (value === '!null') return { operator: kind === 'boolean' ? 'Is set' : 'Is not empty', value: '' };
  const ops = OPS_BY_KIND[kind];
  if (value.startsWith('!=')) {
    const operator = ops.includes('Is not') ? 'Is not' : 'Does not contain';
    return { operator, value: value.slice(2) };
  }
  if (ops === NUMBER_OPS || ops === DATE_OPS) {
    const match = /^(>=|<=|>|<)(.*)$/.exec(value);
    if (match) {
      const numeric = ops === NUMBER_OPS;
      const operator = {
        '>=': numeric ? 'Greater than or equal' : 'Is on or after',
        '<=': numeric ? 'Less than or equal' : 'Is on or before',
        '>': numeric ? 'Greater than' : 'Is after',
        '<': numeric ? 'Less than' : 'Is before',
      }[match[1] as '>=' | '<=' | '>' | '<'];
      return { operator, value: match[2]! };
    }
  }
  if (ops === TEXT_OPS && value.length > 1) {
    const starts = value.startsWith('*');
    const ends = value.endsWith('*');
    if (starts && ends && value.length > 2) return { operator: 'Contains', value: value.slice(1, -1) };
    if (ends && !starts) return { operator: 'Starts with', value: value.slice(0, -1) };
    if (starts && !ends) return { operator: 'Ends with', value: value.slice(1) };
  }
  if (ops === SELECT_OPS && value.includes(',')) return { operator: 'One of', value };
  if (ops === COLLECTION_OPS || ops === MULTI_OPS) return { operator: HAS_ITEM, value };
  return { operator: ops.includes('Is') ? 'Is' : 'Contains', value };
}

function compileCondition(field: FieldDef, condition: Condition): ValueTest {
  const kind = field.kind;
  const { parameter } = condition;
  let operator: string;
  let value: string;
  if (condition.operator === undefined) {
    ({ operator, value } = expandShorthand(kind, condition.value));
  } else {
    operator = condition.operator;
    value = condition.value;
    if (!OPS_BY_KIND[kind].includes(operator)) {
      throw badParameter(`Operator "${operator}" is not allowed on ${field.name} (allowed: ${OPS_BY_KIND[kind].join(', ')})`, parameter);
    }
  }
  if (operator === 'Is empty' || operator === 'Is not empty') {
    const empty = (v: unknown): boolean =>
      v === null || v === undefined || v === '' || (Array.isArray(v) ? v.length === 0 : itemsOf(v).length === 0 && isObject(v) && 'items' in v);
    return operator === 'Is empty' ? empty : (v) => !empty(v);
  }
  switch (OPS_BY_KIND[kind]) {
    case TEXT_OPS:
      return textTest(kind, operator, value);
    case NUMBER_OPS:
      return numberTest(operator, value, parameter);
    case DATE_OPS:
      return kind === 'date' ? dateTest(operator, value, parameter) : dateTimeTest(operator, value, parameter);
    case SELECT_OPS: {
      if (operator === 'One of' || operator === 'Not one of') {
        const set = new Set(value.split(',').map((item) => item.trim()));
        return operator === 'One of' ? (v) => typeof v === 'string' && set.has(v) : (v) => !(typeof v === 'string' && set.has(v));
      }
      return operator === 'Is' ? (v) => v === value : (v) => v !== value;
    }
    case CHECKBOX_OPS: {
      if (operator === 'Is set') return (v) => v === true;
      if (operator === 'Is not set') return (v) => v !== true;
      if (value !== 'true' && value !== 'false') throw badParameter(`${parameter}: a checkbox value is true or false`, parameter);
      const wanted = value === 'true';
      return operator === 'Is' ? (v) => (v === true) === wanted : (v) => (v === true) !== wanted;
    }
    case ID_OPS: {
      const matches = (v: unknown): boolean => (Array.isArray(v) ? v.includes(value) : v === value);
      return operator === 'Is' ? matches : (v) => !matches(v);
    }
    default: {
      const needle = value.toLowerCase();
      if (operator === HAS_ITEM) return (v) => itemsOf(v).some((item) => itemText(item) === needle || (isObject(item) && String(item.email ?? '').toLowerCase() === needle));
      if (kind === 'multi-select') {
        return operator === 'Contains' ? (v) => itemsOf(v).includes(value) : (v) => !itemsOf(v).includes(value);
      }
      const contains = (v: unknown): boolean => itemsOf(v).some((item) => itemText(item).includes(needle));
      return operator === 'Contains' ? contains : (v) => !contains(v);
    }
  }
}

const escapeRegExp = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function textTest(kind: FieldKind, operator: string, value: string): ValueTest {
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : textOf(kind, v));
  if (operator === 'Is') return (v) => text(v) === value;
  if (operator === 'Is not') return (v) => text(v) !== value;
  // One case-insensitive pattern per condition instead of lower-casing every record.
  const escaped = escapeRegExp(value);
  const source = operator === 'Starts with' ? `^${escaped}` : operator === 'Ends with' ? `${escaped}$` : escaped;
  const pattern = new RegExp(source, 'i');
  const matches = (v: unknown): boolean => {
    const s = text(v);
    return s !== null && pattern.test(s);
  };
  return operator === 'Does not contain' ? (v) => !matches(v) : matches;
}

function numberTest(operator: string, value: string, parameter: string): ValueTest {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw badParameter(`${parameter}: "${value}" is not a number`, parameter);
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  switch (operator) {
    case 'Is':
      return (v) => num(v) === n;
    case 'Is not':
      return (v) => num(v) !== n;
    case 'Greater than':
      return (v) => { const x = num(v); return x !== null && x > n; };
    case 'Greater than or equal':
      return (v) => { const x = num(v); return x !== null && x >= n; };
    case 'Less than':
      return (v) => { const x = num(v); return x !== null && x < n; };
    default:
      return (v) => { const x = num(v); return x !== null && x <= n; };
  }
}

/** Date and date-time comparisons on ISO strings, which order like the instants they name. */
function compareTest(operator: string, equals: (s: string) => boolean, bound: string): ValueTest {
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  switch (operator) {
    case 'Is':
      return (v) => { const s = str(v); return s !== null && equals(s); };
    case 'Is not':
      return (v) => { const s = str(v); return s === null || !equals(s); };
    case 'Is before':
      return (v) => { const s = str(v); return s !== null && s < bound; };
    case 'Is on or before':
      return (v) => { const s = str(v); return s !== null && s <= bound; };
    case 'Is after':
      return (v) => { const s = str(v); return s !== null && s > bound; };
    default:
      return (v) => { const s = str(v); return s !== null && s >= bound; };
  }
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function dateTest(operator: string, value: string, parameter: string): ValueTest {
  if (!DATE_RE.test(value) || Number.isNaN(Date.parse(value))) {
    throw badParameter(`${parameter}: "${value}" is not a date (YYYY-MM-DD)`, parameter);
  }
  return compareTest(operator, (s) => s === value, value);
}

function dateTimeTest(operator: string, value: string, parameter: string): ValueTest {
  if (DATE_RE.test(value)) {
    if (Number.isNaN(Date.parse(value))) throw badParameter(`${parameter}: "${value}" is not a date`, parameter);
    const midnight = `${value}T00:00:00.000Z`;
    // A bare date is that whole UTC day for Is / Is not, and its midnight for comparisons.
    if (operator === 'Is' || operator === 'Is not') return compareTest(operator, (s) => s.startsWith(value), midnight);
    return compareTest(operator, (s) => s === midnight, midnight);
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badParameter(`${parameter}: "${value}" is not a date-time`, parameter);
  const iso = new Date(ms).toISOString();
  return compareTest(operator, (s) => s === iso, iso);
}
