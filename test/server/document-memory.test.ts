import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { createDocumentCache } from '../../src/server/document-cache.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Heap growth allowed after 600 invalid 43 KB documents; unbounded caching held about 230 MB. */
const HEAP_CEILING_MB = 64;

function runHeapProbe(count: number): Promise<{ averageDocumentBytes: number; beforeMB: number; afterMB: number; statuses: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/helpers/invalid-documents-heap.ts', String(count)], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(output) as never);
      else reject(new Error(`heap probe exited ${code}: ${errors}`));
    });
  });
}

describe('invalid documents do not pin memory', () => {
  it(`600 distinct invalid 43 KB documents are refused with 400 and raise the heap after GC by less than ${HEAP_CEILING_MB} MB`, async () => {
    const probe = await runHeapProbe(600);
    expect(probe.averageDocumentBytes).toBeGreaterThan(40_000);
    expect(probe.statuses).toEqual({ 400: 600 });
    expect(probe.afterMB - probe.beforeMB).toBeLessThan(HEAP_CEILING_MB);
  }, 180_000);
});

describe('the document cache', () => {
  const schema = createSchema({ typeDefs: 'type Query { hello(name: String): String }', resolvers: { Query: { hello: () => 'hi' } } });
  const yogaWith = (cache: ReturnType<typeof createDocumentCache>) =>
    createYoga({ schema, logging: false, parserAndValidationCache: cache.caches, plugins: [cache.plugin] });
  const run = async (yoga: ReturnType<typeof yogaWith>, query: string) => {
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as { data?: unknown; errors?: unknown[] };
  };

  it('keeps a valid document and answers it again from the cache', async () => {
    const cache = createDocumentCache();
    const yoga = yogaWith(cache);
    expect(await run(yoga, '{ hello }')).toEqual({ data: { hello: 'hi' } });
    expect(await run(yoga, '{ hello }')).toEqual({ data: { hello: 'hi' } });
    expect(cache.stats().documents).toBe(1);
  });

  it('keeps no document that failed validation, and still refuses it the next time', async () => {
    const cache = createDocumentCache();
    const yoga = yogaWith(cache);
    for (let i = 0; i < 20; i++) expect((await run(yoga, `{ unknown${i} }`)).errors).toHaveLength(1);
    expect((await run(yoga, '{ unknown0 }')).errors).toHaveLength(1);
    expect(cache.stats().documents).toBe(0);
  });

  it('holds parse errors and valid documents within the character bound and the count bound', async () => {
    const cache = createDocumentCache({ maxDocuments: 50, maxCharacters: 20_000 });
    const yoga = yogaWith(cache);
    for (let i = 0; i < 40; i++) await run(yoga, `{ hello(name: "${i}${'x'.repeat(1000)}") }`);
    for (let i = 0; i < 40; i++) await run(yoga, `{ hello(name: "${i}${'x'.repeat(1000)}" }`);
    expect(cache.stats().characters).toBeLessThanOrEqual(40_000);
    expect(cache.stats().documents).toBeLessThanOrEqual(20);
    const small = createDocumentCache({ maxDocuments: 5 });
    const smallYoga = yogaWith(small);
    for (let i = 0; i < 20; i++) await run(smallYoga, `{ a${i}: hello }`);
    expect(small.stats().documents).toBe(5);
  });
});
