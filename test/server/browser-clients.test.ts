import { promisify } from 'node:util';
import { brotliDecompress, gunzip } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { negotiateEncoding } from '../../src/server/plugins/use-compression.js';
import { gatewayOver, upstreamTotal } from '../helpers/gateway.js';
import { startStack } from '../helpers/stack.js';

// What a browser app meets: CORS preflights and compressed responses.

let sandbox: RunningSandbox;
let development: Gateway;
let listed: Gateway;
let plain: Gateway;

beforeAll(async () => {
  const stack = await startStack({ corsLoopback: true });
  ({ sandbox, gateway: development } = stack);
  [listed, plain] = await Promise.all([stack.gatewayOver({ corsOrigins: ['https://app.example.com'] }), stack.gatewayOver()]);
  return stack.close;
});

function preflight(gateway: Gateway, origin: string | undefined, path = '/graphql') {
  return gateway.fetch(`http://localhost${path}`, {
    method: 'OPTIONS',
    headers: {
      ...(origin ? { origin } : {}),
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, authorization',
    },
  });
}

describe('CORS', () => {
  it('answers a loopback frontend preflight with 204 and the allowed headers in development', async () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000', 'http://[::1]:8080']) {
      const response = await preflight(development, origin);
      expect(response.status, origin).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      expect(response.headers.get('access-control-allow-headers')).toMatch(/content-type.*authorization|authorization.*content-type/);
    }
  });

  it('lets the loopback origin read the answer of the real request', async () => {
    const before = await upstreamTotal(sandbox);
    const response = await development.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { origin: 'http://localhost:5173', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ deals(first: 1) { nodes { name } } }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('vary')).toMatch(/origin/i);
    expect(await upstreamTotal(sandbox)).toBe(before + 1);
  });

  it('refuses other origins with a 403 that names CORS_ORIGINS, never a 405', async () => {
    for (const [gateway, origin] of [
      [development, 'https://evil.example'],
      [plain, 'http://localhost:5173'],
      [listed, 'http://localhost:5173'],
    ] as const) {
      const response = await preflight(gateway, origin);
      expect(response.status, origin).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      const body = (await response.json()) as { errors: { message: string }[]; extensions?: { cost?: { actualCalls: number } } };
      expect(body.errors[0]?.message).toContain('CORS_ORIGINS');
      expect(body.extensions?.cost).toMatchObject({ predictedCalls: 0, actualCalls: 0, upstreamRequests: 0 });
    }
  });

  it('allows exactly the listed origins, on the GraphQL and service routes', async () => {
    for (const path of ['/graphql', '/ready', '/metrics']) {
      const response = await preflight(listed, 'https://app.example.com', path);
      expect(response.status, path).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    }
    const other = await preflight(listed, 'https://app.example.com.evil.example');
    expect(other.status).toBe(403);
  });

  it('answers OPTIONS without an Origin with 204 and Allow', async () => {
    const response = await preflight(plain, undefined);
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('GET, POST, PUT, DELETE, OPTIONS');
  });
});

const brotli = promisify(brotliDecompress);
const gunzipAsync = promisify(gunzip);

describe('compression', () => {
  const bigQuery = JSON.stringify({ query: '{ deals(first: 40) { nodes { id name amount stage company { name } } } }' });

  it('picks br over gzip, honours q=0 and *', () => {
    expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
    expect(negotiateEncoding('gzip;q=1.0, br;q=0.5')).toBe('gzip');
    expect(negotiateEncoding('br;q=0, gzip')).toBe('gzip');
    expect(negotiateEncoding('*')).toBe('br');
    expect(negotiateEncoding('identity')).toBeUndefined();
    expect(negotiateEncoding(null)).toBeUndefined();
  });

  it('compresses a large JSON result with the encoding the client asks for', async () => {
    for (const [encoding, decode] of [
      ['br', brotli],
      ['gzip', gunzipAsync],
    ] as const) {
      const response = await plain.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-encoding': encoding },
        body: bigQuery,
      });
      expect(response.headers.get('content-encoding')).toBe(encoding);
      expect(response.headers.get('vary')).toMatch(/accept-encoding/i);
      const compressed = Buffer.from(await response.arrayBuffer());
      expect(Number(response.headers.get('content-length'))).toBe(compressed.byteLength);
      const json = JSON.parse((await decode(compressed)).toString('utf8')) as { data: { deals: { nodes: unknown[] } } };
      expect(json.data.deals.nodes).toHaveLength(40);
      expect(compressed.byteLength).toBeLessThan(JSON.stringify(json).length / 2);
    }
  });

  it('leaves small answers and clients without Accept-Encoding alone', async () => {
    const small = await plain.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'br' },
      body: JSON.stringify({ query: '{ deals(first: 1) { nodes { name } } }' }),
    });
    expect(small.headers.get('content-encoding')).toBeNull();
    expect(((await small.json()) as { data: unknown }).data).toBeTruthy();
    const identity = await plain.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bigQuery,
    });
    expect(identity.headers.get('content-encoding')).toBeNull();
    expect(((await identity.json()) as { data: { deals: { nodes: unknown[] } } }).data.deals.nodes).toHaveLength(40);
  });

  it('serves GraphiQL compressed, with an ETag that turns a reload into a 304', async () => {
    const page = await plain.fetch('http://localhost/graphql', {
      headers: { accept: 'text/html', 'accept-encoding': 'gzip, br' },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-encoding')).toBe('br');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const etag = page.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const compressed = Buffer.from(await page.arrayBuffer());
    const html = (await brotli(compressed)).toString('utf8');
    expect(html).toContain('Clarify GraphQL');
    // The page (its example tabs inline; the bundle is served apart) compresses to a fraction.
    expect(compressed.byteLength).toBeLessThan(html.length / 2);

    const again = await plain.fetch('http://localhost/graphql', {
      headers: { accept: 'text/html', 'accept-encoding': 'gzip', 'if-none-match': etag as string },
    });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
  });
});

describe('GraphiQL in pass-through mode', () => {
  it('opens with a tab that says to put the key in the Headers tab, and the placeholder is answered as one', async () => {
    const passThrough = await gatewayOver(sandbox, { apiKey: undefined, allowUnauthenticated: false });
    try {
      const page = await passThrough.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
      const html = await page.text();
      expect(html).toContain('forwards YOUR Clarify credential (pass-through mode)');
      expect(html).toContain('api-key <your Clarify API key>');
      const before = await upstreamTotal(sandbox);
      const response = await passThrough.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'api-key <your Clarify API key>' },
        body: JSON.stringify({ query: '{ users(first: 1) { totalCount } }' }),
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { errors: { message: string }[] };
      expect(body.errors[0]?.message).toMatch(/placeholder/);
      expect(await upstreamTotal(sandbox)).toBe(before);
    } finally {
      await passThrough.close();
    }
  });
});
