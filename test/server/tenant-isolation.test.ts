import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import { createGateway, type Gateway } from '../../src/server/gateway.js';
import { graphql, silentLogger } from '../helpers/gateway.js';

// Two tenants with different data behind one upstream URL: a loopback proxy sends each tenant's
// key to its own sandbox (seeded differently). A pass-through gateway serves both, interleaved;
// every answer must hold only its own tenant's records.
const TENANTS = { 'api-key tenant-a': 0, 'api-key tenant-b': 1 } as const;
type TenantKey = keyof typeof TENANTS;

let sandboxes: RunningSandbox[];
let proxy: Server;
let gateway: Gateway;
const idsOf: Set<string>[] = [];

beforeAll(async () => {
  sandboxes = await Promise.all([
    startSandbox({ seed: 1, rateLimitPerMinute: 1_000_000 }),
    startSandbox({ seed: 2, rateLimitPerMinute: 1_000_000 }),
  ]);
  proxy = createServer((req, res) => {
    const tenant = TENANTS[req.headers.authorization as TenantKey];
    const target = tenant === undefined ? undefined : sandboxes[tenant];
    if (!target) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ status: '401', title: 'Unauthorized' }] }));
      return;
    }
    const url = new URL(target.origin);
    const upstream = httpRequest(
      { host: url.hostname, port: url.port, method: req.method, path: req.url, headers: { ...req.headers, authorization: `api-key ${target.apiKey}` } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  gateway = await createGateway({ apiUrl: `${origin}/v1`, workspace: 'demo', logger: silentLogger, processMetrics: false });
  for (const sandbox of sandboxes) {
    const ids = new Set<string>();
    for (const object of ['person', 'company']) {
      const response = await fetch(`${sandbox.apiUrl}/workspaces/demo/objects/${object}/resources?page[limit]=500`, {
        headers: { authorization: `api-key ${sandbox.apiKey}` },
      });
      for (const record of ((await response.json()) as { data: { id: string }[] }).data) ids.add(record.id);
    }
    idsOf.push(ids);
  }
});

afterAll(async () => {
  await gateway?.close();
  proxy?.closeAllConnections();
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await Promise.all((sandboxes ?? []).map((s) => s.close()));
});

function collectIds(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => collectIds(item, into));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'id' && typeof inner === 'string') into.push(inner);
      else collectIds(inner, into);
    }
  }
  return into;
}

describe('tenant isolation (pass-through, two credentials with different data)', () => {
  it('the two tenants really hold different records', () => {
    expect(idsOf[0]!.size).toBeGreaterThan(50);
    expect([...idsOf[0]!].filter((id) => idsOf[1]!.has(id))).toEqual([]);
  });

  it('never shows one tenant the other’s records over interleaved requests', async () => {
    const keys = Object.keys(TENANTS) as TenantKey[];
    const foreign = keys.map((_, tenant) => [...idsOf[1 - tenant]!].slice(0, 40));
    const total = 900;
    let next = 0;
    const failures: string[] = [];
    const worker = async () => {
      while (next < total) {
        const i = next++;
        const key = keys[i % 2]!;
        const tenant = TENANTS[key];
        const offset = (i * 7) % 60;
        const query = `query($after: String, $other: ID!) {
          people(first: 4, after: $after) { nodes { id: clarifyId company { id: clarifyId people(first: 2) { nodes { id: clarifyId } } } } }
          other: person(id: $other) { id: clarifyId }
        }`;
        const after = offset === 0 ? null : Buffer.from(`offset:${offset - 1}`).toString('base64url');
        const { status, body, text } = await graphql(gateway, query, {
          headers: { authorization: key },
          variables: { after, other: foreign[tenant]![i % 40] },
        });
        const ids = collectIds(body.data);
        const strangers = ids.filter((id) => !idsOf[tenant]!.has(id));
        if (status !== 200 || body.errors || ids.length === 0 || strangers.length > 0 || body.data?.['other'] !== null) {
          failures.push(`#${i} ${key}: ${status} strangers=${strangers.join(',')} ${text.slice(0, 200)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 24 }, worker));
    expect(failures).toEqual([]);
  }, 120_000);
});
