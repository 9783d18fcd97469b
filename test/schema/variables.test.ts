import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/sandbox/prng.js';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';
import { createObjectUpstream } from '../helpers/gateway.js';
import { decodeGlobalId } from '../../src/plan/global-id.js';

/**
 * Every argument of every root query and mutation field, sent inline, as a variable, and declared
 * as a variable but left out, must give the same answer. Values are generated from the schema
 * (recursive filters included); the gateway runs in a child process with a deadline on every
 * request, so a coercion that never ends fails its case instead of hanging the suite. Mutations
 * run against a freshly reset sandbox each time, so every variant meets the same state.
 */

const REQUEST_DEADLINE_MS = 10_000;

let gw: GatewayProcess;
let schema: GraphQLSchema;
const idsByType = new Map<string, string[]>();

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: unknown; cost?: { actualCalls?: number } } }[]; extensions?: { cost?: { actualCalls?: number } } };
}

async function post(query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(`${gw.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(REQUEST_DEADLINE_MS),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

async function loadSchema(): Promise<GraphQLSchema> {
  const answer = await post(getIntrospectionQuery());
  return buildClientSchema(answer.body.data as IntrospectionQuery);
}

async function resetSandbox(extra: () => Promise<void> = async () => {}): Promise<void> {
  const response = await fetch(`${gw.sandboxOrigin}/__sandbox/reset`, { method: 'POST' });
  expect(response.status).toBe(200);
  await extra();
}

/** A few real ids of each type that a root connection lists (records, saved lists, users), read once; seeded ids survive a reset. */
async function collectIds(): Promise<void> {
  idsByType.clear();
  for (const field of Object.values(schema.getQueryType()!.getFields())) {
    if (field.args.some((arg) => isNonNullType(arg.type))) continue;
    const connection = getNamedType(field.type);
    const nodes = isObjectType(connection) ? connection.getFields()['nodes'] : undefined;
    const node = nodes ? getNamedType(nodes.type) : undefined;
    if (!node || !isObjectType(node) || !node.getFields()['id']) continue;
    const answer = await post(`{ ${field.name}(first: 3) { nodes { id } } }`);
    const found = (answer.body.data as Record<string, { nodes: { id: string }[] } | null> | undefined)?.[field.name]?.nodes ?? [];
    if (found.length > 0) idsByType.set(node.name, found.map((item) => item.id));
  }
}

/** The type a root field is about: the longest known type name in the field's name or its type's name. */
function typeAbout(field: GraphQLField<unknown, unknown>): string | undefined {
  const name = field.name.toLowerCase();
  const named = getNamedType(field.type).name;
  const candidates = [...idsByType.keys()].filter(
    (type) => named === type || named.startsWith(type) || name.includes(type.toLowerCase()),
  );
  return candidates.sort((a, b) => b.length - a.length)[0];
}

function sampleId(rng: Rng, field: GraphQLField<unknown, unknown>): string {
  const type = typeAbout(field);
  const pool = (type && idsByType.get(type)) || [...idsByType.values()].flat();
  return pool.length > 0 ? rng.pick(pool) : 'rec_missing';
}

function cursorFor(offset: number): string {
  return Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');
}

/** A value of `type`, generated from the schema: required fields always, optional ones by chance, less so deeper down. */
function sample(type: GraphQLInputType, rng: Rng, field: GraphQLField<unknown, unknown>, name: string, depth: number): unknown {
  if (isNonNullType(type)) return sample(type.ofType, rng, field, name, depth);
  if (isListType(type)) {
    return Array.from({ length: rng.int(1, 2) }, () => sample(type.ofType as GraphQLInputType, rng, field, name, depth + 1));
  }
  if (isEnumType(type)) return rng.pick(type.getValues()).name;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    const fields = Object.values(type.getFields());
    const chance = depth === 0 ? 0.6 : depth === 1 ? 0.35 : depth === 2 ? 0.15 : 0;
    for (const inner of fields) {
      if (isNonNullType(inner.type) || rng.chance(chance)) value[inner.name] = sample(inner.type, rng, field, inner.name, depth + 1);
    }
    if (Object.keys(value).length === 0 && fields.length > 0 && depth < 3) {
      const inner = rng.pick(fields.filter((f) => isLeafType(getNamedType(f.type))).length > 0 ? fields.filter((f) => isLeafType(getNamedType(f.type))) : fields);
      value[inner.name] = sample(inner.type, rng, field, inner.name, depth + 1);
    }
    return value;
  }
  switch (type.name) {
    case 'ID':
      return sampleId(rng, field);
    case 'Int':
      return name === 'first' || name === 'last' ? rng.int(1, 3) : rng.int(0, 5);
    case 'Float':
      return rng.pick([0, 1000, 25_000.5]);
    case 'Boolean':
      return rng.chance(0.5);
    case 'Date':
      return '2026-03-14';
    case 'DateTime':
      return '2026-03-14T09:30:00.000Z';
    case 'EmailAddress':
      return `sample${rng.int(1, 9)}@example.com`;
    case 'JSON':
      return { note: 'sample', size: rng.int(1, 9) };
    case 'String':
      if (name === 'after' || name === 'before') return cursorFor(rng.int(0, 2));
      if (name === 'since') return '2020-01-01T00:00:00.000Z';
      return rng.pick(['a', 'Ac', 'Sample text', 'e']);
    default:
      return 'sample';
  }
}

/** `value` as a GraphQL literal of `type`. */
function literal(value: unknown, type: GraphQLInputType): string {
  if (value === null || value === undefined) return 'null';
  if (isNonNullType(type)) return literal(value, type.ofType);
  if (isListType(type)) {
    const items = Array.isArray(value) ? value : [value];
    return `[${items.map((item) => literal(item, type.ofType as GraphQLInputType)).join(', ')}]`;
  }
  if (isEnumType(type)) return String(value);
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    return `{ ${Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => `${key}: ${literal(inner, fields[key]!.type)}`)
      .join(', ')} }`;
  }
  return untypedLiteral(value);
}

function untypedLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(untypedLiteral).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value).map(([key, inner]) => `${key}: ${untypedLiteral(inner)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** Leaf fields of a type, with one level of objects below the root; fields with required arguments are left out. */
function selection(type: GraphQLOutputType, depth: number): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (isUnionType(named)) return '{ __typename }';
  const fields = Object.values((isObjectType(named) || isInterfaceType(named) ? named : undefined)?.getFields() ?? {});
  const parts = ['__typename'];
  for (const field of fields) {
    if (field.args.some((arg) => isNonNullType(arg.type))) continue;
    const inner = getNamedType(field.type);
    if (isLeafType(inner)) parts.push(field.name);
    else if (depth < 2) parts.push(`${field.name} ${selection(field.type, depth + 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** A string as compared: a global id written out as the kind and Clarify id it carries. */
function readable(text: string): string {
  const global = decodeGlobalId(text);
  return global ? `global(${global.kind}${global.object ? `:${global.object}` : ''}:${global.id})` : text;
}

/** Every string of an answer, in order, global ids written out. */
function stringsOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(readable(value));
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, into);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) stringsOf(item, into);
  return into;
}

/**
 * What must be equal between two forms of one case. Timestamps, signed links and the ids of
 * records a write created differ between two runs of a write (new ids are random); everything
 * else must not. A new id is one that only this answer holds (alone or inside a global id); it is
 * named by its order of appearance, so two answers that create the same records in the same
 * places still compare equal.
 */
function comparable(body: Answer['body'], other: Answer['body']): unknown {
  const shape = { data: body.data, errors: body.errors?.map((e) => ({ message: e.message, code: e.extensions?.code })) };
  const otherIds = new Set(stringsOf({ data: other.data, errors: other.errors }).flatMap((text) => text.match(UUIDS) ?? []));
  const renamed = new Map<string, string>();
  for (const text of stringsOf(shape)) {
    for (const id of text.match(UUIDS) ?? []) if (!otherIds.has(id) && !renamed.has(id)) renamed.set(id, `<new ${renamed.size + 1}>`);
  }
  return JSON.parse(JSON.stringify(shape), (_key, value: unknown) => {
    if (typeof value !== 'string') return value;
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)) return '<time>';
    if (/^https?:\/\//.test(value)) return value.replace(/\?.*$/, '?<signed>');
    return readable(value).replace(UUIDS, (id) => renamed.get(id) ?? id);
  });
}

const callsOf = (answer: Answer) => answer.body.extensions?.cost?.actualCalls;

interface Case {
  operation: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
  args: Map<GraphQLArgument, unknown>;
}

function caseFor(operation: Case['operation'], field: GraphQLField<unknown, unknown>, seed: number): Case {
  const rng = createRng(seed);
  const args = new Map<GraphQLArgument, unknown>();
  for (const arg of field.args) {
    // Every argument is sent; `first` and `last` together are refused by design, so `last` goes alone.
    if (arg.name === 'last' && field.args.some((other) => other.name === 'first')) continue;
    if (arg.name === 'before' && field.args.some((other) => other.name === 'after')) continue;
    args.set(arg, sample(arg.type, rng, field, arg.name, 0));
  }
  return { operation, field, args };
}

function inline(c: Case, only: (arg: GraphQLArgument) => boolean): string {
  const args = [...c.args].filter(([arg]) => only(arg)).map(([arg, value]) => `${arg.name}: ${literal(value, arg.type)}`);
  return `${c.operation} { ${c.field.name}${args.length > 0 ? `(${args.join(', ')})` : ''} ${selection(c.field.type, 0)} }`;
}

function withVariables(c: Case): string {
  const entries = [...c.args];
  const declared = entries.map(([arg]) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const passed = entries.map(([arg]) => `${arg.name}: $${arg.name}`).join(', ');
  return `${c.operation} Sample${declared ? `(${declared})` : ''} { ${c.field.name}${passed ? `(${passed})` : ''} ${selection(c.field.type, 0)} }`;
}

const values = (c: Case, only: (arg: GraphQLArgument) => boolean) =>
  Object.fromEntries([...c.args].filter(([arg]) => only(arg)).map(([arg, value]) => [arg.name, value]));

const all = () => true;
const required = (arg: GraphQLArgument) => isNonNullType(arg.type);

/** How many cases answered without errors: the comparison means most when most do. */
const tally = { cases: 0, clean: 0, failures: [] as string[] };

/** Runs one case in its three forms and compares the answers. */
async function check(c: Case, prepare: () => Promise<void>): Promise<void> {
  const forms: { name: string; query: string; variables?: Record<string, unknown>; reference?: string }[] = [
    { name: 'inline', query: inline(c, all) },
    { name: 'variables', query: withVariables(c), variables: values(c, all) },
  ];
  const optional = [...c.args.keys()].filter((arg) => !required(arg));
  if (optional.length > 0) {
    forms.push({ name: 'inline, required only', query: inline(c, required) });
    forms.push({ name: 'variables declared, optional ones omitted', query: withVariables(c), variables: values(c, required) });
  }
  const answers: Answer[] = [];
  tally.cases++;
  for (const form of forms) {
    await prepare();
    const answer = await post(form.query, form.variables).catch((error: Error) => {
      throw new Error(`${form.name}: ${error.message}\n${form.query}\n${JSON.stringify(form.variables)}`);
    });
    expect(answer.status, `${form.name}: ${form.query}\n${JSON.stringify(answer.body)}`).toBeLessThan(500);
    answers.push(answer);
  }
  if (!answers[0]!.body.errors) tally.clean++;
  else tally.failures.push(`${c.field.name}: ${answers[0]!.body.errors.map((e) => `${String(e.extensions?.code)} ${e.message}`).join("; ")}\n  ${forms[0]!.query}`);
  const context = (i: number) => `${forms[i]!.name} against ${forms[0]!.name}\n${forms[i]!.query}\n${JSON.stringify(forms[i]!.variables)}`;
  expect(comparable(answers[1]!.body, answers[0]!.body), context(1)).toEqual(comparable(answers[0]!.body, answers[1]!.body));
  expect(callsOf(answers[1]!), context(1)).toBe(callsOf(answers[0]!));
  if (answers.length === 4) {
    expect(comparable(answers[3]!.body, answers[2]!.body), context(3)).toEqual(comparable(answers[2]!.body, answers[3]!.body));
    expect(callsOf(answers[3]!), context(3)).toBe(callsOf(answers[2]!));
  }
}

function rootFields(kind: 'query' | 'mutation', only?: (name: string) => boolean): GraphQLField<unknown, unknown>[] {
  const root = kind === 'query' ? schema.getQueryType() : schema.getMutationType();
  return Object.values(root?.getFields() ?? {}).filter((field) => field.args.length > 0 && (!only || only(field.name)));
}

async function checkAll(kind: 'query' | 'mutation', prepare: () => Promise<void>, only?: (name: string) => boolean): Promise<number> {
  const fields = rootFields(kind, only);
  let seed = 1;
  for (const field of fields) await check(caseFor(kind, field, seed++), prepare);
  return fields.length;
}

beforeAll(async () => {
  gw = await startGatewayProcess();
  schema = await loadSchema();
  await collectIds();
}, 60_000);

afterAll(async () => {
  await gw?.close();
});


describe('variables of every type, recursive filters included', () => {
  it('a filter passed as a variable answers as the same filter inline', async () => {
    const inlineAnswer = await post('{ deals(first: 2, filter: { name: { contains: "a" } }) { nodes { id name } } }');
    const variableAnswer = await post('query Q($f: DealFilter) { deals(first: 2, filter: $f) { nodes { id name } } }', {
      f: { name: { contains: 'a' } },
    });
    expect(variableAnswer.body.data).toEqual(inlineAnswer.body.data);
    expect((inlineAnswer.body.data as { deals: { nodes: unknown[] } }).deals.nodes).toHaveLength(2);
    const omitted = await post('query Q($f: DealFilter) { deals(first: 2, filter: $f) { nodes { id name } } }');
    expect(omitted.body.data).toEqual((await post('{ deals(first: 2) { nodes { id name } } }')).body.data);
  });

  it('every root query field of the demo workspace', async () => {
    expect(await checkAll('query', async () => {})).toBeGreaterThan(30);
  }, 120_000);

  it('every root mutation field of the demo workspace, each form against a freshly reset sandbox', async () => {
    expect(await checkAll('mutation', () => resetSandbox())).toBeGreaterThan(60);
  }, 240_000);
});

describe('a workspace with a custom object', () => {
  const createCrate = async () => {
    const response = await createObjectUpstream(gw, { name: 'Crate', plural: 'Crates' });
    expect(response.status).toBe(201);
  };
  let before: Set<string>;

  beforeAll(async () => {
    before = new Set([...rootFields('query'), ...rootFields('mutation')].map((field) => field.name));
    await resetSandbox(createCrate);
    const reload = await fetch(`${gw.origin}/admin/reload-schema`, { method: 'POST', headers: { authorization: `Bearer ${gw.adminToken}` } });
    expect(reload.status).toBe(200);
    schema = await loadSchema();
    await collectIds();
  }, 60_000);

  it('the custom object brings root fields of its own, and each answers alike in every form', async () => {
    const added = (name: string) => !before.has(name);
    const queries = await checkAll('query', async () => {}, added);
    const mutations = await checkAll('mutation', () => resetSandbox(createCrate), added);
    expect(queries).toBeGreaterThanOrEqual(2);
    expect(mutations).toBeGreaterThanOrEqual(4);
  }, 120_000);
});

it('most generated cases answer without errors (so the forms are compared on data, not only on refusals)', () => {
  if (process.env['SHOW_VARIABLE_CASES']) console.log(tally.failures.join('\n'));
  expect(tally.cases).toBeGreaterThan(100);
  expect(tally.clean / tally.cases, tally.failures.join('\n')).toBeGreaterThan(0.75);
});
