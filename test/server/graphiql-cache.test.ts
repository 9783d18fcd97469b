import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/stack.js';

// Headless Chromium loads GraphiQL three times in one browser profile and counts the bytes that
// crossed the wire each time (Playwright's request sizes: headers and body as sent).
const CHROMIUM = '/usr/bin/chromium';

let stack: TestStack;
let served: { origin: string };
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  stack = await startStack();
  served = await stack.serve();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

interface Transfer {
  bytes: number;
  /** URL → bytes, for the failure message. */
  byUrl: Record<string, number>;
}

/** Runs `load` and sums what every request it caused transferred, once GraphiQL's editor is ready. */
async function measure(page: Page, load: () => Promise<unknown>): Promise<Transfer> {
  const byUrl: Record<string, number> = {};
  let bytes = 0;
  let lastActivity = Date.now();
  const counted: Promise<void>[] = [];
  // Playwright reports the requests of the page and of its workers (Monaco's), with the bytes
  // each put on the wire (headers and encoded body; nothing for one served from the cache).
  const started = () => {
    lastActivity = Date.now();
  };
  const ended = (request: Request) => {
    counted.push(
      request.sizes().then(
        (sizes) => {
          const url = request.url();
          const name = url.length > 120 ? `${url.slice(0, 120)}…` : url;
          const size = sizes.responseHeadersSize + sizes.responseBodySize;
          byUrl[name] = (byUrl[name] ?? 0) + size;
          bytes += size;
        },
        () => undefined,
      ),
    );
    lastActivity = Date.now();
  };
  const failed = () => {
    lastActivity = Date.now();
  };
  page.on('request', started);
  page.on('requestfinished', ended);
  page.on('requestfailed', failed);
  // The schema's introspection is part of a load.
  const introspection = page.waitForResponse((r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('__schema'), {
    timeout: 30_000,
  });
  await load();
  await page.locator('.graphiql-execute-button').waitFor({ state: 'visible', timeout: 30_000 });
  await (await introspection).finished();
  // Settled: no request started or ended for a second (the editor's workers load late). Pending
  // requests are not waited for: a worker Monaco ends while its script loads reports neither an
  // end nor a failure, and bytes are counted only for requests that finished anyway.
  await expect.poll(() => Date.now() - lastActivity > 1_000, { timeout: 30_000, interval: 100 }).toBe(true);
  page.off('request', started);
  page.off('requestfinished', ended);
  page.off('requestfailed', failed);
  await Promise.all(counted);
  return { bytes, byUrl };
}

describe('GraphiQL caching', () => {
  it('downloads its assets once: a reload and a second visit transfer under 100 KB', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      const endpoint = `${served.origin}/graphql`;
      const first = await measure(page, () => page.goto(endpoint, { waitUntil: 'load' }));
      const reload = await measure(page, () => page.reload({ waitUntil: 'load' }));
      const visit = await measure(page, () => page.goto(endpoint, { waitUntil: 'load' }));
      console.log(`GraphiQL bytes transferred: first load ${first.bytes}, reload ${reload.bytes}, second visit ${visit.bytes}`);
      expect(first.bytes).toBeGreaterThan(100_000);
      expect(reload.bytes, JSON.stringify(reload.byUrl)).toBeLessThan(100_000);
      expect(visit.bytes, JSON.stringify(visit.byUrl)).toBeLessThan(100_000);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('serves the page small and the bundle from content-hashed URLs beside the endpoint, cached for a year and revalidated by ETag', async () => {
    const page = await fetch(`${served.origin}/graphql`, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html.length).toBeLessThan(20_000);
    const urls = [...html.matchAll(/\/graphql\/graphiql\/[\w.-]+/g)].map((match) => match[0]);
    expect(urls.map((url) => url.replace(/\.[\w-]{16}\./, '.<hash>.')).sort()).toEqual([
      '/graphql/graphiql/editor.worker.<hash>.js',
      '/graphql/graphiql/favicon.<hash>.ico',
      '/graphql/graphiql/graphiql.<hash>.css',
      '/graphql/graphiql/graphiql.<hash>.js',
      '/graphql/graphiql/graphql.worker.<hash>.js',
      '/graphql/graphiql/json.worker.<hash>.js',
    ]);
    const script = urls.find((url) => /graphiql\.[\w-]+\.js$/.test(url))!;
    const asset = await fetch(`${served.origin}${script}`, { headers: { 'accept-encoding': 'br' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await asset.text()).length).toBeGreaterThan(1_000_000);
    const etag = asset.headers.get('etag')!;
    const again = await fetch(`${served.origin}${script}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const stale = await fetch(`${served.origin}/graphql/graphiql/graphiql.AAAAAAAAAAAAAAAA.js`);
    expect(stale.status).toBe(404);
    await stale.text();
  });
});
