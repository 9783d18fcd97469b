import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { gatewayOver } from '../helpers/gateway.js';
import { startStack } from '../helpers/stack.js';

// `@defer` and `@stream` over multipart/mixed: the deferred parts are planned with the rest of the
// operation, so the calls are those of the same operation without the directives.

let sandbox: RunningSandbox;
let gateway: Gateway;

beforeAll(async () => {
  const stack = await startStack();
  ({ sandbox, gateway } = stack);
  return stack.close;
});

interface Cost {
  predictedCalls: number;
  maxCalls: number;
  exact: boolean;
  actualCalls: number;
  upstreamRequests: number;
  limit: number;
}

interface Payload {
  data?: Record<string, unknown> | null;
  incremental?: { data?: Record<string, unknown>; items?: unknown[]; path: (string | number)[]; label?: string; errors?: unknown[] }[];
  errors?: { message: string; extensions?: { code?: string } }[];
  hasNext?: boolean;
  extensions?: { cost?: Cost };
}

/** The parts of a multipart/mixed answer, in the order they were sent. */
function parseMultipart(body: string, contentType: string): Payload[] {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const payloads: Payload[] = [];
  for (const part of body.split(`--${boundary}`)) {
    const at = part.indexOf('\r\n\r\n');
    if (at < 0) continue;
    const json = part.slice(at + 4).trim();
    if (json.length > 0) payloads.push(JSON.parse(json) as Payload);
  }
  return payloads;
}

async function post(query: string, variables: Record<string, unknown> = {}, accept = 'multipart/mixed'): Promise<{ status: number; type: string; payloads: Payload[] }> {
  const response = await gateway.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify({ query, variables }),
  });
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  const payloads = type.startsWith('multipart/mixed') ? parseMultipart(text, type) : [JSON.parse(text) as Payload];
  return { status: response.status, type, payloads };
}

async function stats(): Promise<Record<string, number>> {
  const response = await fetch(`${sandbox.origin}/__sandbox/stats`);
  return ((await response.json()) as { byRoute: Record<string, number> }).byRoute;
}

function delta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [route, count] of Object.entries(after)) {
    const d = count - (before[route] ?? 0);
    if (d > 0) out[route] = d;
  }
  return out;
}

const DEFERRED_PEOPLE = /* GraphQL */ `
  query Companies {
    companies(first: 4) {
      nodes {
        id
        name
        ... @defer(label: "people") {
          people(filter: { jobTitle: { isEmpty: false } }, first: 5) { totalCount nodes { jobTitle } }
        }
      }
    }
  }
`;

describe('@defer', () => {
  it('sends the deferred relationship in later payloads, with the calls the plan predicted and the cost on the first and last payload', async () => {
    const before = await stats();
    const { status, type, payloads } = await post(DEFERRED_PEOPLE);
    const calls = delta(await stats(), before);
    expect(status).toBe(200);
    expect(type).toMatch(/^multipart\/mixed/);
    expect(payloads.length).toBeGreaterThan(1);

    // First: the companies without their people.
    const [first, ...later] = payloads;
    const nodes = (first!.data!.companies as { nodes: Record<string, unknown>[] }).nodes;
    expect(nodes).toHaveLength(4);
    for (const node of nodes) expect(node).not.toHaveProperty('people');
    expect(first!.hasNext).toBe(true);
    expect(first!.extensions?.cost).toMatchObject({ predictedCalls: 5, exact: true, limit: expect.any(Number) });

    // Later: each company's people, under the deferred fragment's label and path.
    const incremental = later.flatMap((payload) => payload.incremental ?? []);
    expect(incremental).toHaveLength(4);
    for (const part of incremental) {
      expect(part.label).toBe('people');
      expect(part.path.slice(0, 2)).toEqual(['companies', 'nodes']);
      expect(part.data).toHaveProperty('people.totalCount');
    }
    const last = payloads[payloads.length - 1]!;
    expect(last.hasNext).toBe(false);
    // One list call and one relationship read per company: what the plan said, and what the
    // same query without @defer costs.
    expect(calls).toEqual({ 'GET /objects/:object/resources': 1, 'GET /objects/:object/records/:id/relationships/:rel': 4 });
    expect(last.extensions?.cost).toMatchObject({ predictedCalls: 5, actualCalls: 5, exact: true });

    const plainBefore = await stats();
    const plain = await post(DEFERRED_PEOPLE.replace('... @defer(label: "people") {', '... {'), {}, 'application/json');
    expect(delta(await stats(), plainBefore)).toEqual(calls);
    expect(plain.payloads[0]!.extensions?.cost).toMatchObject({ predictedCalls: 5, actualCalls: 5 });
  });

  it('folds a deferred relationship that include can reach into the first call: one call, delivered later', async () => {
    const before = await stats();
    const { payloads } = await post(`{
      deals(first: 3) { nodes { name ... @defer { company { name } } } }
    }`);
    expect(delta(await stats(), before)).toEqual({ 'GET /objects/:object/resources': 1 });
    expect(payloads[0]!.extensions?.cost).toMatchObject({ predictedCalls: 1 });
    expect(payloads.slice(1).flatMap((p) => p.incremental ?? [])).toHaveLength(3);
    expect(payloads[payloads.length - 1]!.extensions?.cost).toMatchObject({ predictedCalls: 1, actualCalls: 1 });
  });

  it('refuses a deferred part over the cost limit before any call, like any other part', async () => {
    const limited = await gatewayOver(sandbox, { limits: { cost: 3 } });
    try {
      const before = await stats();
      const response = await limited.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'multipart/mixed, application/graphql-response+json' },
        body: JSON.stringify({ query: DEFERRED_PEOPLE }),
      });
      const text = await response.text();
      expect(text).toContain('COST_LIMIT_EXCEEDED');
      expect(text).toContain('"predictedCalls":5');
      expect(delta(await stats(), before)).toEqual({});
    } finally {
      await limited.close();
    }
  });

  it('is refused on root mutation and subscription fields; inside a mutation payload it defers like in a query', async () => {
    const mutation = await post(`mutation { ... @defer { updateDeal(id: "x", input: { name: "n" }) { record { id } } } }`, {}, 'application/graphql-response+json');
    expect(mutation.status).toBe(400);
    expect(mutation.payloads[0]!.errors?.[0]).toMatchObject({ message: expect.stringMatching(/Defer directive cannot be used on root mutation type/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const subscription = await post(`subscription { ... @defer { dealChanged { id } } }`, {}, 'application/graphql-response+json');
    expect(subscription.status).toBe(400);
    expect(subscription.payloads[0]!.errors?.[0]?.message).toMatch(/Defer directive cannot be used on root subscription type/);

    const list = await post(`{ deals(first: 1) { nodes { id } } }`, {}, 'application/json');
    const id = (list.payloads[0]!.data!.deals as { nodes: { id: string }[] }).nodes[0]!.id;
    const before = await stats();
    const written = await post(`mutation($id: ID!) { updateDeal(id: $id, input: { name: "Deferred" }) { record { id name ... @defer { owner { email } } } } }`, { id });
    const calls = delta(await stats(), before);
    expect(written.payloads[0]!.data).toMatchObject({ updateDeal: { record: { id, name: 'Deferred' } } });
    expect(written.payloads[0]!.data).not.toHaveProperty('updateDeal.record.owner');
    expect(written.payloads.slice(1).flatMap((p) => p.incremental ?? [])[0]).toMatchObject({ path: ['updateDeal', 'record'], });
    expect(written.payloads.slice(1).flatMap((p) => p.incremental ?? [])[0]).toHaveProperty('data.owner');
    const last = written.payloads[written.payloads.length - 1]!;
    const total = Object.values(calls).reduce((sum, n) => sum + n, 0);
    expect(last.extensions?.cost?.actualCalls).toBe(total);
    expect(total).toBeLessThanOrEqual(last.extensions!.cost!.maxCalls);
  });
});

describe('@stream', () => {
  it('streams the nodes of a connection after the first ones, with the same single call', async () => {
    const before = await stats();
    const { payloads } = await post(`{ deals(first: 6) { totalCount nodes @stream(initialCount: 2) { id name } } }`);
    expect(delta(await stats(), before)).toEqual({ 'GET /objects/:object/resources': 1 });
    const first = payloads[0]!;
    expect((first.data!.deals as { nodes: unknown[] }).nodes).toHaveLength(2);
    expect(first.extensions?.cost).toMatchObject({ predictedCalls: 1 });
    const streamed = payloads.slice(1).flatMap((p) => p.incremental ?? []).flatMap((part) => part.items ?? []);
    expect(streamed).toHaveLength(4);
    expect(payloads[payloads.length - 1]!.hasNext).toBe(false);
  });
});

describe('a client that accepts no incremental media type', () => {
  // curl's `*/*`, graphql-request's and fetch's JSON types: the directives are a hint, decided
  // before execution, so the operation runs once, without them, and is answered in one response.
  for (const accept of ['application/graphql-response+json', 'application/json', '*/*']) {
    it(`gets the whole result in one response for Accept: ${accept}, with the calls of the same query without the directives`, async () => {
      const plainBefore = await stats();
      const plain = await post(DEFERRED_PEOPLE.replace('... @defer(label: "people") {', '... {'), {}, accept);
      const plainCalls = delta(await stats(), plainBefore);

      const before = await stats();
      const { status, type, payloads } = await post(DEFERRED_PEOPLE, {}, accept);
      expect(delta(await stats(), before)).toEqual(plainCalls);
      expect(status).toBe(200);
      expect(type).toMatch(/^application\/(graphql-response\+)?json/);
      expect(payloads).toHaveLength(1);
      expect(payloads[0]).not.toHaveProperty('hasNext');
      expect(payloads[0]!.data).toEqual(plain.payloads[0]!.data);
      expect(payloads[0]!.extensions?.cost).toMatchObject({ predictedCalls: 5, actualCalls: 5, exact: true });
    });
  }

  it('gets @stream and a @defer whose `if` is a variable at once too, with the same single call', async () => {
    const query = `query($defer: Boolean!) { deals(first: 3) { nodes @stream(initialCount: 1) { name ... @defer(if: $defer) { company { name } } } } }`;
    const before = await stats();
    const { status, payloads } = await post(query, { defer: true }, 'application/graphql-response+json');
    expect(delta(await stats(), before)).toEqual({ 'GET /objects/:object/resources': 1 });
    expect(status).toBe(200);
    const nodes = (payloads[0]!.data!.deals as { nodes: { name: string; company: unknown }[] }).nodes;
    expect(nodes).toHaveLength(3);
    for (const node of nodes) expect(node).toHaveProperty('company');
  });
});

interface CurrentPayload {
  data?: Record<string, unknown>;
  pending?: { id: string; path: (string | number)[]; label?: string }[];
  incremental?: { id: string; data?: Record<string, unknown>; items?: unknown[]; subPath?: unknown[] }[];
  completed?: { id: string; errors?: unknown[] }[];
  hasNext: boolean;
  extensions?: { cost?: Cost };
}

describe('the current incremental format (incrementalSpec=v0.2)', () => {
  it('announces each deferred fragment and stream in `pending`, names it by id in `incremental`, and closes it in `completed`', async () => {
    const before = await stats();
    const { status, type, payloads } = await post(
      `query($initial: Int!) {
        deals(first: 2) { nodes { name ... @defer(label: "company") { company { name } } } }
        companies(first: 3) { nodes @stream(initialCount: $initial, label: "companies") { name } }
      }`,
      { initial: 1 },
      'multipart/mixed;incrementalSpec=v0.2, application/json;q=0.9',
    );
    expect(delta(await stats(), before)).toEqual({ 'GET /objects/:object/resources': 2 });
    expect(status).toBe(200);
    expect(type).toMatch(/^multipart\/mixed/);
    const [first, ...later] = payloads as unknown as CurrentPayload[];
    expect(first!.hasNext).toBe(true);
    expect(first!.pending).toEqual([
      { id: '0', path: ['deals', 'nodes', 0], label: 'company' },
      { id: '1', path: ['deals', 'nodes', 1], label: 'company' },
      { id: '2', path: ['companies', 'nodes'], label: 'companies' },
    ]);
    for (const payload of later) {
      expect(payload).not.toHaveProperty('data');
      for (const part of payload.incremental ?? []) expect(part).not.toHaveProperty('path');
    }
    const parts = later.flatMap((payload) => payload.incremental ?? []);
    expect(parts.filter((part) => part.id === '0' || part.id === '1').map((part) => part.data)).toEqual([
      { company: expect.objectContaining({ name: expect.any(String) }) },
      { company: expect.objectContaining({ name: expect.any(String) }) },
    ]);
    expect(parts.filter((part) => part.id === '2').flatMap((part) => part.items)).toHaveLength(2);
    expect(later.flatMap((payload) => payload.completed ?? []).map((entry) => entry.id).sort()).toEqual(['0', '1', '2']);
    const last = later[later.length - 1]!;
    expect(last.hasNext).toBe(false);
    expect(last.extensions?.cost).toMatchObject({ predictedCalls: 2, actualCalls: 2 });
  });

  it('announces deferred named fragments, and not a fragment whose `if` variable is false', async () => {
    const { payloads } = await post(
      `query($deferIt: Boolean!, $not: Boolean!) {
        deals(first: 1) { nodes { id ...DealCompany @defer(if: $deferIt, label: "company") ... @defer(if: $not, label: "never") { stage } } }
      }
      fragment DealCompany on Deal { company { name } }`,
      { deferIt: true, not: false },
      'multipart/mixed;incrementalSpec=v0.2',
    );
    const all = payloads as unknown as CurrentPayload[];
    expect(all[0]!.pending).toEqual([{ id: '0', path: ['deals', 'nodes', 0], label: 'company' }]);
    // The fragment that is not deferred comes with the first payload.
    expect((all[0]!.data!.deals as { nodes: Record<string, unknown>[] }).nodes[0]).toHaveProperty('stage');
    const parts = all.slice(1).flatMap((payload) => payload.incremental ?? []);
    expect(parts).toEqual([{ id: '0', data: { company: expect.anything() } }]);
    expect(all.slice(1).flatMap((payload) => payload.completed ?? [])).toEqual([{ id: '0' }]);
  });

  it('announces a fragment deferred inside a deferred fragment when its parent arrives', async () => {
    const { payloads } = await post(
      `{ deals(first: 1) { nodes { name ... @defer(label: "outer") { stage company { name ... @defer(label: "inner") { domains } } } } } }`,
      {},
      'multipart/mixed;incrementalSpec=v0.2',
    );
    const all = payloads as unknown as CurrentPayload[];
    expect(all[0]!.pending).toEqual([{ id: '0', path: ['deals', 'nodes', 0], label: 'outer' }]);
    const pending = all.slice(1).flatMap((payload) => payload.pending ?? []);
    expect(pending).toEqual([{ id: '1', path: ['deals', 'nodes', 0, 'company'], label: 'inner' }]);
    const inner = all.slice(1).flatMap((payload) => payload.incremental ?? []).find((part) => part.id === '1');
    expect(inner?.data).toHaveProperty('domains');
  });
});

describe('@defer and the response cache', () => {
  it('caches the answer given at once under the query without the directives; a streaming request is never answered from the cache', async () => {
    const cached = await gatewayOver(sandbox, { cache: { ttlSeconds: 60 } });
    try {
      const query = `{ deals(first: 2) { nodes { name ... @defer(label: "company") { company { name } } } } }`;
      const plain = `{ deals(first: 2) { nodes { name ... { company { name } } } } }`;
      const send = async (accept: string, document = query) => {
        const response = await cached.fetch('http://localhost/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept },
          body: JSON.stringify({ query: document }),
        });
        const type = response.headers.get('content-type') ?? '';
        const text = await response.text();
        return type.startsWith('multipart/mixed') ? parseMultipart(text, type) : [JSON.parse(text) as Payload];
      };
      const before = await stats();
      const [whole] = await send('application/json');
      expect(delta(await stats(), before)).toEqual({ 'GET /objects/:object/resources': 1 });
      // The same selection without the directives is the same operation as it ran: a hit.
      const plainBefore = await stats();
      const [again] = await send('application/json', plain);
      expect(delta(await stats(), plainBefore)).toEqual({});
      expect(again!.data).toEqual(whole!.data);
      expect(again!.extensions?.cost).toMatchObject({ actualCalls: 0 });
      // A streaming request runs: its parts are never stored or served from the cache.
      for (let i = 0; i < 2; i++) {
        const streamedBefore = await stats();
        const payloads = await send('multipart/mixed;incrementalSpec=v0.2');
        expect(delta(await stats(), streamedBefore)).toEqual({ 'GET /objects/:object/resources': 1 });
        expect(payloads.length).toBeGreaterThan(1);
        expect(payloads[0]).toHaveProperty('hasNext', true);
      }
    } finally {
      await cached.close();
    }
  });
});
