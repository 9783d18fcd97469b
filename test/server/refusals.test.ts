import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { gatewayOver, upstreamTotal } from '../helpers/gateway.js';
import { startStack } from '../helpers/stack.js';

/**
 * Requests the gateway must refuse before any upstream call, each with a code and (under
 * `application/graphql-response+json`) a 4xx status; none of them may cost a call or write.
 */

let sandbox: RunningSandbox;
let gateway: Gateway;

beforeAll(async () => {
  const stack = await startStack({ graphiql: true });
  ({ sandbox, gateway } = stack);
  return stack.close;
});

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

interface Answer {
  status: number;
  contentType: string | null;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[]; extensions?: { cost?: Record<string, unknown> } } | undefined;
  text: string;
  calls: number;
}

async function send(url: string, init: RequestInit): Promise<Answer> {
  const before = await upstreamTotal(sandbox);
  const response = await gateway.fetch(`http://localhost${url}`, init);
  const text = await response.text();
  let body: Answer['body'];
  try {
    body = JSON.parse(text) as Answer['body'];
  } catch {
    body = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type'), body, text, calls: (await upstreamTotal(sandbox)) - before };
}

function post(payload: unknown, accept = GRAPHQL_RESPONSE): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: typeof payload === 'string' ? payload : JSON.stringify(payload) };
}

function codes(answer: Answer): unknown[] {
  return (answer.body?.errors ?? []).map((error) => error.extensions?.code);
}

async function tasksTitled(title: string): Promise<number> {
  const response = await fetch(`${sandbox.apiUrl}/workspaces/${sandbox.workspace}/objects/task/resources?filter[title][Is]=${encodeURIComponent(title)}`, {
    headers: { authorization: `api-key ${sandbox.apiKey}` },
  });
  return ((await response.json()) as { data: unknown[] }).data.length;
}

describe('content negotiation happens before execution', () => {
  it('answers 406 to a mutation whose Accept cannot be served, and writes nothing', async () => {
    const title = `not-acceptable-${Date.now()}`;
    const answer = await send('/graphql', post({ query: `mutation { createTask(input: { title: "${title}" }) { record { id } } }` }, 'text/html'));
    expect(answer.status).toBe(406);
    expect(codes(answer)).toEqual(['NOT_ACCEPTABLE']);
    expect(answer.calls).toBe(0);
    expect(await tasksTitled(title)).toBe(0);
  });

  it('answers 406 to a GET query with an unservable Accept, with no upstream call', async () => {
    const answer = await send(`/graphql?query=${encodeURIComponent('{ deals(first: 1) { nodes { id } } }')}`, { headers: { accept: 'application/xml' } });
    expect(answer.status).toBe(406);
    expect(answer.calls).toBe(0);
  });

  it('still serves the usual Accept values', async () => {
    for (const accept of [GRAPHQL_RESPONSE, 'application/json', '*/*', 'application/*', 'text/html;q=0.9, application/json']) {
      const answer = await send('/graphql', post({ query: '{ __typename }' }, accept));
      expect(answer.status, accept).toBe(200);
      expect(answer.body?.data, accept).toEqual({ __typename: 'Query' });
    }
    const page = await send('/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.contentType).toContain('text/html');
  });
});

describe('refusals of the HTTP request itself carry the cost of 0 calls too', () => {
  const NO_CALLS = { predictedCalls: 0, maxCalls: 0, exact: true, actualCalls: 0, upstreamRequests: 0, limit: 50 };
  const cases: { name: string; url: string; init: RequestInit; status: number; code: string }[] = [
    { name: 'an Accept the gateway cannot answer', url: '/graphql', init: post({ query: '{ __typename }' }, 'application/xml'), status: 406, code: 'NOT_ACCEPTABLE' },
    { name: 'a GET whose variables are not JSON', url: '/graphql?query=%7B__typename%7D&variables=%7Bx', init: {}, status: 400, code: 'BAD_USER_INPUT' },
    { name: 'a form post', url: '/graphql', init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7B__typename%7D' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'a body over the limit', url: '/graphql', init: post({ query: `{ __typename }${' '.repeat(200_000)}` }), status: 413, code: 'PAYLOAD_TOO_LARGE' },
  ];
  for (const { name, url, init, status, code } of cases) {
    it(`${name}: ${status} ${code}`, async () => {
      const answer = await send(url, init);
      expect(answer.status, answer.text).toBe(status);
      expect(codes(answer)).toEqual([code]);
      expect(answer.body?.extensions?.cost).toEqual(NO_CALLS);
    });
  }
});

describe('refused requests carry a code and a 4xx status under application/graphql-response+json', () => {
  const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: deals(first: 1) { nodes { id } }`).join(' ');
  const directives = Array.from({ length: 30 }, () => '@include(if: true)').join(' ');
  const deep = `{ deals { nodes { ${'company { deals { nodes { '.repeat(4)}id${' } } }'.repeat(4)} } } }`;
  const cases: { name: string; payload: unknown; code: string; status: number }[] = [
    { name: 'a variable of the wrong type', payload: { query: 'query($n: Int) { deals(first: $n) { nodes { id } } }', variables: { n: 'x' } }, code: 'BAD_USER_INPUT', status: 400 },
    { name: 'an unknown operation name', payload: { query: 'query A { __typename }', operationName: 'B' }, code: 'OPERATION_RESOLUTION_FAILURE', status: 400 },
    { name: 'too many aliases', payload: { query: `{ ${aliases} }` }, code: 'GRAPHQL_VALIDATION_FAILED', status: 400 },
    { name: 'too many directives', payload: { query: `{ __typename ${directives} }` }, code: 'GRAPHQL_VALIDATION_FAILED', status: 400 },
    { name: 'too deep', payload: { query: deep }, code: 'GRAPHQL_VALIDATION_FAILED', status: 400 },
    {
      name: 'an operation over the cost limit',
      payload: { query: '{ deals(first: 100) { nodes { id people(filter: { name: { contains: "a" } }) { nodes { id } } } } }' },
      code: 'COST_LIMIT_EXCEEDED',
      status: 400,
    },
    { name: 'a syntax error', payload: { query: '{ deals ' }, code: 'GRAPHQL_PARSE_FAILED', status: 400 },
    { name: 'an invalid JSON body', payload: '{bad', code: 'BAD_USER_INPUT', status: 400 },
  ];

  for (const { name, payload, code, status } of cases) {
    it(`${name}: ${status} ${code}, no data, no upstream call`, async () => {
      const answer = await send('/graphql', post(payload));
      expect(answer.status, answer.text).toBe(status);
      expect(codes(answer)[0], answer.text).toBe(code);
      expect(codes(answer).every((c) => typeof c === 'string')).toBe(true);
      expect(answer.body?.data).toBeUndefined();
      expect(answer.calls).toBe(0);
      // The cost of a refusal: no call made, and none planned unless the document was planned
      // (the plan refused it, or the executor refused its variables after).
      const planned = code === 'COST_LIMIT_EXCEEDED' || code === 'BAD_USER_INPUT' && typeof payload !== 'string';
      expect(answer.body?.extensions?.cost).toEqual({
        predictedCalls: planned ? expect.any(Number) : 0,
        maxCalls: planned ? expect.any(Number) : 0,
        exact: expect.any(Boolean),
        actualCalls: 0,
        upstreamRequests: 0,
        limit: 50,
      });
      // Legacy application/json keeps 200 for a well-formed request, with the same code.
      if (typeof payload !== 'string' && code !== 'GRAPHQL_PARSE_FAILED') {
        const legacy = await send('/graphql', post(payload, 'application/json'));
        expect(legacy.status).toBe(200);
        expect(codes(legacy)[0]).toBe(code);
        expect(legacy.body?.extensions?.cost).toMatchObject({ actualCalls: 0, upstreamRequests: 0, limit: 50 });
      }
    });
  }

  it('a caller without a token: 401 UNAUTHENTICATED with a cost of 0 calls', async () => {
    const guarded = await gatewayOver(sandbox, { tokens: ['caller-token-0123456789'], allowUnauthenticated: false });
    try {
      const response = await guarded.fetch('http://localhost/graphql', post({ query: '{ deals(first: 1) { nodes { id } } }' }));
      const body = (await response.json()) as NonNullable<Answer['body']>;
      expect(response.status).toBe(401);
      expect(body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
      expect(body.extensions?.cost).toEqual({ predictedCalls: 0, maxCalls: 0, exact: true, actualCalls: 0, upstreamRequests: 0, limit: 50 });
    } finally {
      await guarded.close();
    }
  });

  it('a persisted document id the gateway does not know: PERSISTED_QUERY_NOT_FOUND with a cost of 0 calls', async () => {
    const payload = { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } };
    for (const accept of [GRAPHQL_RESPONSE, 'application/json']) {
      const answer = await send('/graphql', post(payload, accept));
      expect(codes(answer)[0], answer.text).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(answer.calls).toBe(0);
      expect(answer.body?.extensions?.cost).toEqual({ predictedCalls: 0, maxCalls: 0, exact: true, actualCalls: 0, upstreamRequests: 0, limit: 50 });
    }
  });

  it('an invalid filter is a field error: its field is null with BAD_USER_INPUT, siblings keep their data, no call for it', async () => {
    const answer = await send('/graphql', post({ query: '{ a: deals(filter: { stage: { in: [] } }) { nodes { id } } b: companies(first: 1) { nodes { id } } }' }));
    expect(answer.status).toBe(200);
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    const data = answer.body?.data as { a: unknown; b: { nodes: unknown[] } };
    expect(data.a).toBeNull();
    expect(data.b.nodes).toHaveLength(1);
    expect(answer.calls).toBe(1);
  });

  it('does not echo the JSON parser error of an invalid body', async () => {
    const answer = await send('/graphql', post('{bad'));
    expect(answer.text).not.toContain('originalError');
    expect(answer.text).not.toContain('SyntaxError');
  });
});

describe('hostile input is the caller’s error, not an upstream failure', () => {
  it('refuses a lone surrogate in an ID variable with 400 BAD_USER_INPUT and no call', async () => {
    const answer = await send('/graphql', post({ query: 'query($id: ID!) { person(id: $id) { id } }', variables: { id: '\udc00x' } }));
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.calls).toBe(0);
  });

  for (const parameter of ['variables', 'extensions']) {
    it(`refuses a GET whose ${parameter} is not JSON with 400 BAD_USER_INPUT`, async () => {
      const answer = await send(`/graphql?query={__typename}&${parameter}={bad`, { headers: { accept: GRAPHQL_RESPONSE } });
      expect(answer.status).toBe(400);
      expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
      expect(answer.calls).toBe(0);
    });
  }

  it('refuses rich-text blocks nested 5,000 levels deep with 400 BAD_USER_INPUT and no call', async () => {
    const blocks = `${'{"c":['.repeat(5000)}1${']}'.repeat(5000)}`;
    const body = `{"query":"mutation($b: JSON) { createTask(input: { title: \\"deep\\", description: { blocks: $b } }) { record { id } } }","variables":{"b":[${blocks}]}}`;
    const answer = await send('/graphql', post(body));
    expect(answer.status, answer.text).toBe(400);
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.calls).toBe(0);
  });

  it('refuses a JSON literal nested too deep in the document itself', async () => {
    const literal = `${'{c: ['.repeat(100)}1${']}'.repeat(100)}`;
    const answer = await send('/graphql', post({ query: `mutation { createTask(input: { title: "deep", description: { blocks: [${literal}] } }) { record { id } } }` }));
    expect(answer.status, answer.text).toBe(400);
    expect(answer.calls).toBe(0);
  });

  it('checks the ids of every request, also for a document it has seen before', async () => {
    const query = 'query($id: ID!) { person(id: $id) { id } }';
    const good = await send('/graphql', post({ query, variables: { id: 'p-1' } }));
    expect(good.status, good.text).toBe(200);
    const bad = await send('/graphql', post({ query, variables: { id: '..' } }));
    expect(bad.status, bad.text).toBe(400);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.calls).toBe(0);
    for (let i = 0; i < 2; i++) {
      const literal = await send('/graphql', post({ query: 'query($id: ID!) { a: person(id: $id) { id } b: person(id: "..") { id } }', variables: { id: 'p-1' } }));
      expect(literal.status, literal.text).toBe(400);
      expect(codes(literal)).toEqual(['BAD_USER_INPUT']);
      expect(literal.calls).toBe(0);
    }
  });

  const refusedIds = ['', '.', '..', ' ', '\udc00x'];
  for (const id of refusedIds) {
    it(`refuses the id ${JSON.stringify(id)} before any call, in reads and writes`, async () => {
      for (const query of [
        'query($id: ID!) { person(id: $id) { id } }',
        'mutation($id: ID!) { deleteMeeting(id: $id) { deletedId } }',
        'mutation($id: ID!) { updateDeal(id: $id, input: { name: "x" }) { record { id } } }',
        'mutation($id: ID!) { addDealPeople(id: "d", ids: [$id]) { record { id } } }',
      ]) {
        const answer = await send('/graphql', post({ query, variables: { id } }));
        expect(answer.status, `${query} ${answer.text}`).toBe(400);
        expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
        expect(answer.calls).toBe(0);
      }
      const literal = await send('/graphql', post({ query: `{ person(id: ${JSON.stringify(id)}) { id } }` }));
      expect(literal.status).toBe(400);
      expect(literal.calls).toBe(0);
    });
  }
});
