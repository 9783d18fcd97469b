import { readFileSync } from 'node:fs';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/sandbox/prng.js';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';

/**
 * Seeded fuzzing of variables: for every input type of the schema, a document that declares it as
 * a variable (used where the schema accepts it, nested inside inline objects when it only appears
 * inside another input), sent with random values that are deep, wide, or of the wrong shape.
 * Every request must answer within its deadline with a coded answer, and the gateway process's
 * peak memory must stay bounded. The gateway runs in a child process, so a request that never
 * ends fails its case instead of blocking the suite.
 */

const REQUEST_DEADLINE_MS = 5_000;
/** Peak resident memory the gateway process may gain over the whole run. */
const MEMORY_GROWTH_BOUND_BYTES = 256 * 1024 * 1024;

let gw: GatewayProcess;
let schema: GraphQLSchema;

interface Usage {
  /** The type of the position `$v` stands in, wrappers included (the variable is declared with it). */
  position: GraphQLInputType;
  /** The document with `$v` standing where the type is accepted. */
  document: string;
}

/** Peak resident set of the gateway process so far (VmHWM), in bytes. */
function peakResidentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  if (!match) throw new Error('no VmHWM in /proc status');
  return Number(match[1]) * 1024;
}

async function post(query: string, variables: Record<string, unknown>): Promise<{ status: number; body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } }> {
  const response = await fetch(`${gw.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(REQUEST_DEADLINE_MS),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as never };
}

/**
 * Where each input type can stand in a document: a root field argument of that type, or a field
 * of an input object that such an argument accepts (wrapped in inline objects down to it).
 */
function usages(): Map<string, Usage> {
  const found = new Map<string, Usage>();
  const selectionOf = (field: GraphQLField<unknown, unknown>) => (isObjectType(getNamedType(field.type)) ? '{ __typename }' : '');
  const roots: ['query' | 'mutation', GraphQLField<unknown, unknown>[]][] = [
    ['query', Object.values(schema.getQueryType()?.getFields() ?? {})],
    ['mutation', Object.values(schema.getMutationType()?.getFields() ?? {})],
  ];
  // Breadth first, so each type is reached by its shortest wrapping.
  let frontier: { position: GraphQLInputType; operation: 'query' | 'mutation'; wrap: (inner: string) => string }[] = [];
  for (const [operation, fields] of roots) {
    for (const field of fields) {
      for (const arg of field.args) {
        const others = field.args.filter((other) => other !== arg && isNonNullType(other.type));
        const required = others.map((other) => `${other.name}: ${placeholder(other.type)}`);
        const wrap = (inner: string) => `${field.name}(${[`${arg.name}: ${inner}`, ...required].join(', ')}) ${selectionOf(field)}`;
        frontier.push({ position: arg.type, operation, wrap });
      }
    }
  }
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const entry of frontier) {
      const type = getNamedType(entry.position);
      if (found.has(type.name)) continue;
      const { wrap, operation, position } = entry;
      found.set(type.name, { position, document: `${operation} Fuzz($v: ${String(position)}) { ${wrap('$v')} }` });
      if (isInputObjectType(type)) {
        const fields = Object.values(type.getFields());
        // Inside a list position the object is written as a one-item list literal.
        const listed = isListType(isNonNullType(position) ? position.ofType : position);
        for (const inner of fields) {
          const required = fields.filter((other) => other !== inner && isNonNullType(other.type));
          const rest = required.map((other) => `${other.name}: ${placeholder(other.type)}`);
          next.push({
            position: inner.type,
            operation,
            wrap: (value) => {
              const object = `{ ${[`${inner.name}: ${value}`, ...rest].join(', ')} }`;
              return wrap(listed ? `[${object}]` : object);
            },
          });
        }
      }
    }
    frontier = next;
  }
  return found;
}

/** A literal that satisfies a required argument next to the one under test. */
function placeholder(type: GraphQLInputType): string {
  if (isNonNullType(type)) return placeholder(type.ofType);
  if (isListType(type)) return `[${placeholder(type.ofType as GraphQLInputType)}]`;
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter((field) => isNonNullType(field.type));
    return `{ ${required.map((field) => `${field.name}: ${placeholder(field.type)}`).join(', ')} }`;
  }
  if (type.name === 'Int' || type.name === 'Float') return '1';
  if (type.name === 'Boolean') return 'true';
  return '"x"';
}

type Style = 'valid' | 'deep' | 'wide' | 'wrong';

/** A random value for `type`; `deep` follows recursive fields as far as it can, `wide` makes long lists and many fields, `wrong` breaks shapes. */
function value(type: GraphQLInputType, rng: Rng, style: Style, depth: number, budget = { nodes: 3_000 }): unknown {
  // Branching recursive inputs grow exponentially with depth; the budget keeps a value under the body limit.
  if (--budget.nodes < 0) return null;
  if (style === 'wrong' && rng.chance(0.15)) return rng.pick([42, 'text', true, [], {}, { unknownField: 1 }, -1e308, '\u0000']);
  if (isNonNullType(type)) return value(type.ofType, rng, style, depth, budget);
  if (isListType(type)) {
    const length = style === 'wide' ? rng.int(200, 1_000) : rng.int(0, 3);
    return Array.from({ length }, () => value(type.ofType as GraphQLInputType, rng, style, depth + 1, budget));
  }
  if (isEnumType(type)) return rng.pick(type.getValues()).name;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const out: Record<string, unknown> = {};
    const limit = style === 'deep' ? 60 : style === 'wide' ? 3 : 4;
    if (depth >= limit) return out;
    for (const field of fields) {
      const nested = isInputObjectType(getNamedType(field.type));
      const chance = style === 'deep' ? (nested ? 0.5 : 0.1) : style === 'wide' ? 0.9 : 0.3;
      if (isNonNullType(field.type) || rng.chance(chance)) out[field.name] = value(field.type, rng, style, depth + 1, budget);
    }
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return rng.int(-5, 5);
      case 'Float':
        return rng.pick([0, 1.5, 1e9]);
      case 'Boolean':
        return rng.chance(0.5);
      case 'Date':
        return '2026-01-02';
      case 'DateTime':
        return '2026-01-02T03:04:05.000Z';
      case 'EmailAddress':
        return 'fuzz@example.com';
      case 'JSON':
        return { nested: [1, { deeper: 'x'.repeat(style === 'wide' ? 2_000 : 3) }] };
      default:
        return style === 'wide' ? 'w'.repeat(rng.int(100, 2_000)) : rng.pick(['a', 'Ac', '', 'ü']);
    }
  }
  return null;
}

/** Every type some argument of a query or mutation accepts, directly or inside an input object. */
function acceptedTypes(): Set<GraphQLNamedType> {
  const accepted = new Set<GraphQLNamedType>();
  const visit = (type: GraphQLNamedType) => {
    if (accepted.has(type)) return;
    accepted.add(type);
    if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) visit(getNamedType(field.type));
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type === schema.getSubscriptionType()) continue;
    for (const field of Object.values(type.getFields())) for (const arg of field.args) visit(getNamedType(arg.type));
  }
  return accepted;
}

beforeAll(async () => {
  gw = await startGatewayProcess();
  const introspection = await post(getIntrospectionQuery(), {});
  schema = buildClientSchema(introspection.body.data as IntrospectionQuery);
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

describe('every input type as a variable, with random deep, wide and wrong values', () => {
  it('answers each request within its deadline with data or coded errors, and memory stays bounded', async () => {
    const pid = gw.child.pid!;
    const startPeak = peakResidentBytes(pid);
    const places = usages();
    const inputTypes = [...acceptedTypes()];
    const unreached = inputTypes.filter((type) => !places.has(type.name)).map((type) => type.name);
    expect(unreached).toEqual([]);

    const rng = createRng(20);
    let sent = 0;
    let answeredWithData = 0;
    const codes = new Map<string, number>();
    for (const type of inputTypes) {
      const usage = places.get(type.name)!;
      for (const style of ['valid', 'deep', 'wide', 'wrong'] as const) {
        const document = usage.document;
        const v = value(usage.position, rng, style, 0);
        const context = `${style} ${type.name}: ${document}\n${JSON.stringify(v).slice(0, 500)}`;
        const answer = await post(document, { v }).catch((error: Error) => {
          throw new Error(`${error.message} for ${context}`);
        });
        sent++;
        if (answer.body.data && !answer.body.errors) answeredWithData++;
        expect(answer.status, context).toBeLessThan(500);
        const errors = answer.body.errors ?? [];
        for (const error of errors) {
          expect(error.extensions?.code, `${context}\n${error.message}`).toMatch(/^[A-Z_]+$/);
          expect(error.extensions?.code, `${context}\n${error.message}`).not.toBe('INTERNAL_SERVER_ERROR');
          codes.set(error.extensions!.code!, (codes.get(error.extensions!.code!) ?? 0) + 1);
        }
        expect(answer.body.data !== undefined || errors.length > 0, context).toBe(true);
        expect(peakResidentBytes(pid) - startPeak, context).toBeLessThan(MEMORY_GROWTH_BOUND_BYTES);
      }
    }
    expect(sent).toBe(inputTypes.length * 4);
    // Enough values get through coercion and planning to an answer for the run to mean something.
    expect(answeredWithData, JSON.stringify([...codes])).toBeGreaterThan(sent / 5);
  }, 300_000);
});

describe('documents whose fragments multiply when written out', () => {
  it('a chain of fragments that each spread the one before twice answers within its deadline, like the same selection written once', async () => {
    const rng = createRng(31);
    const plain = await post('{ deals(first: 2) { nodes { name amount } } }', {});
    for (const links of [16, 24, 40, 64]) {
      const field = rng.pick(['name', 'amount']);
      let fragments = `fragment F0 on Deal { name amount ${field} }\n`;
      for (let i = 1; i <= links; i++) fragments += `fragment F${i} on Deal { ...F${i - 1} ... on Deal { ...F${i - 1} } }\n`;
      const answer = await post(`query Bomb($n: Int!) { deals(first: $n) { nodes { ...F${links} } } }\n${fragments}`, { n: 2 });
      expect(answer.status).toBe(200);
      expect(answer.body.data).toEqual(plain.body.data);
    }
  }, 60_000);
});
