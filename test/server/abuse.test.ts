import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/sandbox/prng.js';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { LogDestination } from '../../src/observability/log-destination.js';
import { postFromAnotherProcess, type BodySpec } from '../helpers/fetch-from-process.js';
import { gatewayOver, serveOverHttp, startTestSandbox, upstreamTotal } from '../helpers/gateway.js';

/**
 * Seeded abuse: many generated inputs of each class that once hurt the gateway (a stdout nobody
 * reads, distinct invalid documents, oversized bodies, guessed metrics tokens). The seeds are
 * fixed, so a failure names a reproducible case.
 */

let sandbox: RunningSandbox;
const stops: (() => Promise<void>)[] = [];
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  await sandbox.close();
});

async function listen(gateway: Gateway): Promise<string> {
  const served = await serveOverHttp(gateway);
  stops.push(served.close);
  return served.origin;
}

const word = (rng: Rng, length: number) => Array.from({ length }, () => rng.pick([...'abcdefghijklmnopqrstuvwxyz_ABCXYZ0123456789'])).join('').replace(/^[0-9]/, 'q');

describe('a log reader that stalls and resumes at random', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: the buffer stays bounded, written lines keep their order, and written + dropped = logged`, async () => {
      const rng = createRng(seed);
      const bound = rng.int(4096, 64 * 1024);
      const held: (() => void)[] = [];
      let written = '';
      let stalled = false;
      let highest = 0;
      const target = new Writable({
        highWaterMark: rng.int(256, 16 * 1024),
        write(chunk: Buffer, _encoding, callback) {
          written += chunk.toString();
          if (stalled) held.push(callback);
          else callback();
        },
      });
      const destination = new LogDestination({ target, maxBufferedBytes: bound });
      const lines: string[] = [];
      for (let step = 0; step < 200; step++) {
        if (rng.chance(0.2)) stalled = !stalled;
        if (!stalled) for (const release of held.splice(0)) release();
        for (let i = rng.int(0, 40); i > 0; i--) {
          const line = `${lines.length} ${'x'.repeat(rng.int(0, 2000))}\n`;
          lines.push(line);
          destination.write(line);
        }
        await new Promise((resolve) => setImmediate(resolve));
        highest = Math.max(highest, target.writableLength);
      }
      stalled = false;
      for (const release of held.splice(0)) release();
      expect(await destination.drained(5_000)).toBe(true);
      const received = written.split('\n').filter((line) => line.length > 0).map((line) => Number(line.split(' ')[0]));
      expect(received).toEqual([...received].sort((a, b) => a - b));
      expect(new Set(received).size).toBe(received.length);
      expect(received.length + destination.dropped).toBe(lines.length);
      expect(highest).toBeLessThanOrEqual(bound);
    });
  }
});

describe('distinct invalid documents', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await gatewayOver(sandbox);
    stops.push(() => gateway.close());
  });

  const metric = async (name: string) => {
    const text = await (await gateway.fetch('http://localhost/metrics')).text();
    return Number(new RegExp(`^clarify_graphql_${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 'NaN');
  };

  /** An invalid document of one of several kinds, 1 to 60 KB. */
  function invalidDocument(rng: Rng, i: number): string {
    const size = rng.int(1_000, 60_000);
    switch (rng.int(0, 5)) {
      case 0: // unknown fields with long names
        return `{ deals(first: 1) { nodes { ${Array.from({ length: 1 + Math.floor(size / 2000) }, (_, j) => `${word(rng, 8)}${i}_${j}${'y'.repeat(1900)}`).join(' ')} } } }`;
      case 1: // a syntax error somewhere in a long document
        return `{ deals(first: 1) { nodes { id } } ${'# '.concat('z'.repeat(size))}\n ${rng.pick(['}', '{{', ')', 'query', '...', '$'])}${i}`;
      case 2: // an unknown argument with a huge string literal
        return `{ deals(first: 1, ${word(rng, 6)}${i}: "${'s'.repeat(size)}") { nodes { id } } }`;
      case 3: // an undefined fragment and variable
        return `query Q${i}($v: Int) { deals(first: $w${i}) { nodes { ...F${word(rng, size % 200 + 1)} } } }`;
      case 4: // deeper than the depth limit
        return `{ ${'deals(first: 1) { nodes { company { deals(first: 1) { nodes { '.repeat(8)}id${' } } } }'.repeat(8)} }#${i}${'p'.repeat(size % 5000)}`;
      default: // bytes that are no GraphQL at all
        return `${i}${Array.from({ length: size % 4000 }, () => String.fromCharCode(rng.int(33, 126))).join('')}`;
    }
  }

  it('each is refused with a 4xx and a code, none costs a call or leaks internals, and none stays in the document cache', async () => {
    const rng = createRng(20261129);
    await gateway.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ deals(first: 1) { nodes { id } } }' }),
    });
    const cachedBefore = await metric('document_cache_entries{kind="document"}');
    const before = await upstreamTotal(sandbox);
    for (let i = 0; i < 150; i++) {
      const query = invalidDocument(rng, i);
      const response = await gateway.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query }),
      });
      const text = await response.text();
      const body = JSON.parse(text) as { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
      const context = `document ${i}: ${query.slice(0, 120)}`;
      expect(response.status, context).toBeGreaterThanOrEqual(400);
      expect(response.status, context).toBeLessThan(500);
      expect(body.data, context).toBeUndefined();
      expect(body.errors?.length, context).toBeGreaterThan(0);
      for (const error of body.errors ?? []) expect(typeof error.extensions?.code, context).toBe('string');
      expect(text, context).not.toMatch(/\n\s+at |\/work\/|node_modules|sandbox-key/);
    }
    expect((await upstreamTotal(sandbox)) - before).toBe(0);
    expect(await metric('document_cache_entries{kind="document"}')).toBe(cachedBefore);
    expect(await metric('document_cache_characters')).toBeLessThanOrEqual(4 * 1024 * 1024);
  });
});

describe('oversized bodies from a Node fetch client', () => {
  it('every one gets a readable 413 PAYLOAD_TOO_LARGE, declared or streamed in random chunks, and the next request is served', async () => {
    const limit = 2048;
    const origin = await listen(await gatewayOver(sandbox, { limits: { bodyBytes: limit } }));
    const rng = createRng(413);
    const specs: BodySpec[] = Array.from({ length: 12 }, () => ({
      bytes: rng.chance(0.5) ? rng.int(limit + 1, 64 * 1024) : rng.int(1024 * 1024, 8 * 1024 * 1024),
      streamed: rng.chance(0.5),
      chunkBytes: rng.int(1024, 256 * 1024),
    }));
    const before = await upstreamTotal(sandbox);
    const outcomes = await postFromAnotherProcess(`${origin}/graphql`, [...specs, { bytes: 200, streamed: false }]);
    expect(outcomes).toEqual([...specs.map(() => '413 PAYLOAD_TOO_LARGE'), '200 data']);
    expect((await upstreamTotal(sandbox)) - before).toBe(0);
  }, 150_000);
});

describe('guessed /metrics credentials', () => {
  const CALLER = 'caller-token-0123456789abcdef';
  const SCRAPER = 'scraper-token-0123456789abcdef';

  /** Near misses of the scraper token and other things a caller might send. */
  function guesses(rng: Rng): string[] {
    const mutate = (token: string) => {
      const at = rng.int(0, token.length - 1);
      switch (rng.int(0, 5)) {
        case 0:
          return token.slice(0, at);
        case 1:
          return `${token}${word(rng, rng.int(1, 4))}`;
        case 2:
          return `${token.slice(0, at)}${token[at] === 'a' ? 'b' : 'a'}${token.slice(at + 1)}`;
        case 3:
          return token.toUpperCase();
        case 4:
          return `${word(rng, 2)}${token}`;
        default:
          return token.repeat(rng.int(2, 300));
      }
    };
    const fixed = [
      '',
      'Bearer',
      'Bearer ',
      `Basic ${Buffer.from(`x:${SCRAPER}`).toString('base64')}`,
      `Token ${SCRAPER}`,
      `api-key ${SCRAPER}`,
      `${SCRAPER}`,
      `Bearer ${CALLER}`,
      `Bearer ${SCRAPER},${SCRAPER}`,
      `Bearer ${SCRAPER} ${SCRAPER}`,
      `Bearer Bearer ${SCRAPER}`,
      `Bearer "${SCRAPER}"`,
    ];
    return [...fixed, ...Array.from({ length: 60 }, () => `${rng.pick(['Bearer ', 'bearer ', 'Bearer  '])}${mutate(SCRAPER)}`)];
  }

  it('refuses every near miss with 401 and no metrics, and accepts the token however the scheme is cased', async () => {
    const origin = await listen(await gatewayOver(sandbox, { tokens: [CALLER], metricsAccess: { token: SCRAPER } }));
    for (const authorization of guesses(createRng(9464))) {
      const response = await fetch(`${origin}/metrics`, { headers: authorization ? { authorization } : {} });
      const text = await response.text();
      expect(response.status, authorization.slice(0, 80)).toBe(401);
      expect(text).not.toContain('clarify_graphql_');
    }
    for (const authorization of [`Bearer ${SCRAPER}`, `bearer ${SCRAPER}`, `BEARER   ${SCRAPER}  `]) {
      const response = await fetch(`${origin}/metrics`, { headers: { authorization } });
      expect(response.status, authorization).toBe(200);
      expect(await response.text()).toContain('clarify_graphql_operations_total');
    }
  });
});
