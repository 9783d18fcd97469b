import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { metricsListener } from '../../src/cli/metrics-listener.js';
import { postFromAnotherProcess } from '../helpers/fetch-from-process.js';
import { gatewayOver, serveOverHttp, startTestSandbox, upstreamTotal } from '../helpers/gateway.js';

/** The gateway over HTTP on loopback, as a Node client (undici's fetch) sees it. */
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

const FIVE_MB = 5 * 1024 * 1024;

describe('a body over the limit, sent by a Node fetch client in another process', () => {
  let origin: string;
  beforeAll(async () => {
    origin = await listen(await gatewayOver(sandbox, { limits: { bodyBytes: 1024 } }));
  });

  it('reads 413 PAYLOAD_TOO_LARGE every time for 5 MB with Content-Length, with no upstream call', async () => {
    const before = await upstreamTotal(sandbox);
    const outcomes = await postFromAnotherProcess(`${origin}/graphql`, Array(10).fill({ bytes: FIVE_MB, streamed: false }));
    expect(outcomes).toEqual(Array(10).fill('413 PAYLOAD_TOO_LARGE'));
    expect((await upstreamTotal(sandbox)) - before).toBe(0);
  }, 120_000);

  it('reads 413 PAYLOAD_TOO_LARGE every time for 5 MB streamed without Content-Length', async () => {
    const outcomes = await postFromAnotherProcess(`${origin}/graphql`, Array(10).fill({ bytes: FIVE_MB, streamed: true }));
    expect(outcomes).toEqual(Array(10).fill('413 PAYLOAD_TOO_LARGE'));
  }, 120_000);

  it('serves the next request after a refused one', async () => {
    const refused = await postFromAnotherProcess(`${origin}/graphql`, [{ bytes: 1024 * 1024, streamed: false }]);
    expect(refused).toEqual(['413 PAYLOAD_TOO_LARGE']);
    const served = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
      signal: AbortSignal.timeout(30_000),
    });
    expect(((await served.json()) as { data: unknown }).data).toEqual({ __typename: 'Query' });
  });
});

describe('/metrics access', () => {
  const CALLER = 'caller-token-0123456789';
  const SCRAPER = 'scraper-token-0123456789';
  const scrape = (origin: string, authorization?: string) =>
    fetch(`${origin}/metrics`, { headers: authorization ? { authorization } : {}, signal: AbortSignal.timeout(30_000) });

  it('asks for a caller token when the gateway has caller tokens', async () => {
    const origin = await listen(await gatewayOver(sandbox, { tokens: [CALLER] }));
    expect((await scrape(origin)).status).toBe(401);
    expect((await scrape(origin)).headers.get('www-authenticate')).toBe('Bearer');
    expect((await scrape(origin, 'Bearer wrong-token-0123456789')).status).toBe(401);
    expect((await scrape(origin, `api-key ${CALLER}`)).status).toBe(401);
    const answered = await scrape(origin, `Bearer ${CALLER}`);
    expect(answered.status).toBe(200);
    expect(await answered.text()).toMatch(/^clarify_graphql_log_lines_dropped_total \d+$/m);
  });

  it('asks for the metrics token alone when one is set', async () => {
    const origin = await listen(await gatewayOver(sandbox, { tokens: [CALLER], metricsAccess: { token: SCRAPER } }));
    expect((await scrape(origin)).status).toBe(401);
    expect((await scrape(origin, `Bearer ${CALLER}`)).status).toBe(401);
    expect((await scrape(origin, `Bearer ${SCRAPER}`)).status).toBe(200);
    // The metrics token is no caller token.
    const query = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SCRAPER}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(query.status).toBe(401);
  });

  it('stays open on a gateway without caller tokens, and answers 404 when served elsewhere', async () => {
    expect((await scrape(await listen(await gatewayOver(sandbox)))).status).toBe(200);
    const elsewhere = await listen(await gatewayOver(sandbox, { tokens: [CALLER], metricsAccess: { route: false } }));
    expect((await scrape(elsewhere, `Bearer ${CALLER}`)).status).toBe(404);
  });

  it('a metrics listener of its own serves /metrics alone, with its token', async () => {
    const gateway = await gatewayOver(sandbox, { tokens: [CALLER], metricsAccess: { route: false } });
    const server = createServer(metricsListener(gateway.metrics.registry, SCRAPER));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
    });
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect((await scrape(origin)).status).toBe(401);
    expect((await scrape(origin, `Bearer ${CALLER}`)).status).toBe(401);
    const answered = await scrape(origin, `Bearer ${SCRAPER}`);
    expect(answered.status).toBe(200);
    expect(answered.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await answered.text()).toMatch(/^clarify_graphql_operations_total|# HELP clarify_graphql_/m);
    expect((await fetch(`${origin}/graphql`)).status).toBe(404);
    expect((await fetch(`${origin}/metrics`, { method: 'POST', headers: { authorization: `Bearer ${SCRAPER}` } })).status).toBe(405);
  });
});

describe('npm start with METRICS_PORT and METRICS_TOKEN', () => {
  it('serves /metrics on 127.0.0.1:METRICS_PORT with the token, and not on PORT', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const metricsPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const SCRAPER = 'scraper-token-0123456789';
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts'], {
      cwd: new URL('../..', import.meta.url),
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PORT: '0', LOG_FORMAT: 'json', METRICS_PORT: String(metricsPort), METRICS_TOKEN: SCRAPER },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => /"endpoint":"(http:\/\/[^"]+)"/.exec(output)?.[1], { timeout: 60_000, interval: 100 }).toBeTruthy();
      const endpoint = /"endpoint":"(http:\/\/[^"]+)"/.exec(output)?.[1] as string;
      expect(output).toContain(`"metricsUrl":"http://127.0.0.1:${metricsPort}/metrics"`);
      expect((await fetch(new URL('/metrics', endpoint))).status).toBe(404);
      const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
      expect((await fetch(metricsUrl)).status).toBe(401);
      const answered = await fetch(metricsUrl, { headers: { authorization: `Bearer ${SCRAPER}` } });
      expect(answered.status).toBe(200);
      expect(await answered.text()).toMatch(/^clarify_graphql_log_lines_dropped_total 0$/m);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 90_000);
});
