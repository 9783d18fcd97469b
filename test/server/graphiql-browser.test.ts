import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/stack.js';

// Headless Chromium opens the gateway's GraphiQL, runs the first example tab and finds its result.
// Chromium comes from the system package (`.ci/run` installs it).
const CHROMIUM = '/usr/bin/chromium';

let stack: TestStack;
let browser: Browser;
let endpoint: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  stack = await startStack();
  endpoint = (await stack.serve()).url;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('GraphiQL', () => {
  it('runs the example query in a browser and shows the result with its cost', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(endpoint, { waitUntil: 'load' });
      expect(await page.title()).toBe('Clarify GraphQL');
      const run = page.locator('.graphiql-execute-button');
      await run.waitFor({ state: 'visible', timeout: 30_000 });
      await expect.poll(() => page.locator('.graphiql-query-editor').innerText(), { timeout: 15_000 }).toContain(
        'DealsWithRelationships',
      );
      // GraphiQL posts its introspection query to the endpoint too, and may still be doing so.
      const answer = page.waitForResponse(
        (r) => r.url() === endpoint && r.request().method() === 'POST' && (r.request().postData() ?? '').includes('DealsWithRelationships'),
      );
      await run.click();
      const response = page.locator('.graphiql-response');
      await expect.poll(() => response.innerText(), { timeout: 20_000 }).toContain('fullName');
      expect(await response.innerText()).toContain('"company"');
      // The editor renders only the visible lines; the whole answer, with its cost, is the response body.
      const body = (await (await answer).json()) as {
        data?: { deals?: { nodes: { company: { name: unknown } | null }[] } };
        errors?: unknown[];
        extensions?: { cost?: { predictedCalls: number; actualCalls: number } };
      };
      expect(body.errors).toBeUndefined();
      expect(body.data?.deals?.nodes.length).toBeGreaterThan(0);
      expect(body.data?.deals?.nodes.some((deal) => typeof deal.company?.name === 'string')).toBe(true);
      expect(body.extensions?.cost).toMatchObject({ predictedCalls: 1, actualCalls: 1 });
    } finally {
      await page.close();
    }
  }, 60_000);
});
