import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { graphql } from '../helpers/gateway.js';
import { startStack } from '../helpers/stack.js';

let sandbox: RunningSandbox;
let gateway: Gateway;

beforeAll(async () => {
  const stack = await startStack();
  ({ sandbox, gateway } = stack);
  return stack.close;
});

describe('schema changes through the graph', () => {
  it('adds a field through a mutation and queries it in the next request', async () => {
    const before = await graphql(gateway, '{ people(first: 1) { nodes { loyaltyTier } } }');
    expect(before.body.errors?.[0]?.message).toMatch(/loyaltyTier/);
    const added = await graphql(
      gateway,
      'mutation { createCustomField(input: { object: "person", name: "loyalty_tier", type: SELECT, options: ["Gold", "Silver"] }) { change { status } schemaReloaded userErrors { field code } } }',
    );
    expect(added.body.errors).toBeUndefined();
    expect(added.body.data).toEqual({ createCustomField: { change: { status: 'APPLIED' }, schemaReloaded: true, userErrors: [] } });
    const after = await graphql(gateway, '{ people(first: 1) { nodes { loyaltyTier } } }');
    expect(after.body.errors).toBeUndefined();
    expect(after.body.data).toEqual({ people: { nodes: [{ loyaltyTier: null }] } });
  });

  it('waits for an asynchronous option edit, then the new option is in the enum', async () => {
    const edited = await graphql(
      gateway,
      'mutation { editSelectOptions(input: { object: "company", field: "industry", add: ["Energy"] }) { change { id status } schemaReloaded userErrors { field code } } }',
    );
    expect(edited.body.errors).toBeUndefined();
    expect(edited.body.data).toMatchObject({ editSelectOptions: { change: { status: 'APPLIED' }, schemaReloaded: true, userErrors: [] } });
    const enumValues = await graphql(gateway, '{ __type(name: "CompanyIndustry") { enumValues { name } } }');
    expect(JSON.stringify(enumValues.body.data)).toContain('ENERGY');
  });

  it('reports a pending change when asked not to wait, and schemaChange(id) polls it', async () => {
    const edited = await graphql(
      gateway,
      'mutation { editSelectOptions(input: { object: "deal", field: "stage", add: ["On hold"], wait: false }) { change { id status } schemaReloaded } }',
    );
    const change = (edited.body.data?.['editSelectOptions'] as { change: { id: string; status: string } }).change;
    expect(change.status).toBe('PENDING');
    const status = async () => {
      const polled = await graphql(gateway, 'query($id: ID!) { schemaChange(id: $id) { status } }', { variables: { id: change.id } });
      return (polled.body.data?.['schemaChange'] as { status: string }).status;
    };
    await expect.poll(status, { timeout: 5000, interval: 100 }).toBe('APPLIED');
    const enumValues = await graphql(gateway, '{ __type(name: "DealStage") { enumValues { name } } }');
    expect(JSON.stringify(enumValues.body.data)).toContain('ON_HOLD');
  });

  it('creates a custom object that the next request can list', async () => {
    const created = await graphql(gateway, 'mutation { createCustomObject(input: { name: "Invoice", plural: "Invoices" }) { change { status } schemaReloaded userErrors { field code } } }');
    expect(created.body.data).toEqual({ createCustomObject: { change: { status: 'APPLIED' }, schemaReloaded: true, userErrors: [] } });
    const list = await graphql(gateway, '{ invoices(first: 1) { totalCount } }');
    expect(list.body).toMatchObject({ data: { invoices: { totalCount: 0 } } });
    const again = await graphql(gateway, 'mutation { createCustomObject(input: { name: "Invoice", plural: "Invoices" }) { change { status } userErrors { field code } } }');
    expect(again.body.data).toEqual({ createCustomObject: { change: null, userErrors: [{ field: ['input', 'name'], code: 'VALIDATION' }] } });
  });

  it('passes Clarify\'s 403 through as FORBIDDEN', async () => {
    await fetch(`${sandbox.origin}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: 'POST /schemas/:entity/properties', status: 403, count: 1 }),
    });
    const refused = await graphql(gateway, 'mutation { createCustomField(input: { object: "deal", name: "region", type: TEXT }) { change { status } } }');
    expect(refused.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });
});
