import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { createObjectUpstream, gatewayOver, graphql, upstreamCount } from '../helpers/gateway.js';
import { startStack } from '../helpers/stack.js';

const ADMIN = 'admin-token-0123456789';
let sandbox: RunningSandbox;
let gateway: Gateway;

beforeAll(async () => {
  const stack = await startStack({ adminToken: ADMIN });
  ({ sandbox, gateway } = stack);
  return stack.close;
});

async function sandboxControl(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${sandbox.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
}

const LIST = 'GET /objects/:object/resources';
const typeQuery = '{ __type(name: "Shipment") { name fields { name } } }';

describe('live schema', () => {
  it('swaps in a new custom object without breaking a query in flight', async () => {
    expect((await graphql(gateway, typeQuery)).body.data?.['__type']).toBeNull();

    // Hold the next list call for a while so a query is in flight across the reload.
    const listed = await upstreamCount(sandbox, LIST);
    await sandboxControl('/__sandbox/faults', { route: LIST, delayMs: 700, count: 1 });
    const inFlight = graphql(gateway, '{ deals(first: 2) { nodes { name company { name } } } }');
    await expect.poll(() => upstreamCount(sandbox, LIST)).toBe(listed + 1);

    const created = await createObjectUpstream(sandbox, { name: 'Shipment', plural: 'Shipments', description: 'Goods on their way' });
    expect(created.status).toBe(201);

    const reload = await gateway.fetch('http://localhost/admin/reload-schema', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(await reload.json()).toEqual({ changed: true, version: 2 });

    const after = await graphql(gateway, typeQuery);
    const type = after.body.data?.['__type'] as { name: string; fields: { name: string }[] } | null;
    expect(type?.name).toBe('Shipment');
    expect(type?.fields.map((f) => f.name)).toContain('name');
    const list = await graphql(gateway, '{ shipments(first: 1) { totalCount } }');
    expect(list.body).toMatchObject({ data: { shipments: { totalCount: 0 } } });

    const finished = await inFlight;
    expect(finished.body.errors).toBeUndefined();
    expect((finished.body.data?.['deals'] as { nodes: unknown[] }).nodes).toHaveLength(2);
    expect(gateway.getSchema()?.getType('Shipment')).toBeDefined();
  });

  it('picks up a new custom field on the periodic re-read', async () => {
    const periodic = await gatewayOver(sandbox, { schemaReloadIntervalSeconds: 1 });
    try {
      const added = await fetch(`${sandbox.apiUrl}/workspaces/${sandbox.workspace}/schemas/person/properties`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `api-key ${sandbox.apiKey}` },
        body: JSON.stringify({
          data: { type: 'schema-properties', attributes: { loyalty_tier: { type: ['string', 'null'], enum: ['Gold', 'Silver', null] } } },
        }),
      });
      expect(added.status).toBe(202);
      const personFields = () => {
        const person = periodic.getSchema()?.getType('Person');
        return person && 'getFields' in person ? Object.keys(person.getFields()) : [];
      };
      await expect.poll(personFields, { timeout: 5000, interval: 100 }).toContain('loyaltyTier');
      const { body } = await graphql(periodic, '{ people(first: 1) { nodes { loyaltyTier } } }');
      expect(body.errors).toBeUndefined();
    } finally {
      await periodic.close();
    }
  });

  it('reports an unchanged workspace as unchanged', async () => {
    await gateway.reloadSchema();
    expect(await gateway.reloadSchema()).toBe(false);
  });
});
