import { parse, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClarifyClient } from '../../src/client/clarify-client.js';
import { planDocument } from '../../src/plan/planner.js';
import { startSandbox } from '../../src/sandbox/server.js';
import { buildGatewaySchema } from '../../src/schema/build-schema.js';
import { parseWorkspaceModel } from '../../src/workspace/parse-schemas.js';

let schema: GraphQLSchema;

beforeAll(async () => {
  const sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
  const client = new ClarifyClient({ apiUrl: sandbox.apiUrl, workspace: sandbox.workspace });
  try {
    schema = buildGatewaySchema(parseWorkspaceModel(await client.listSchemas({ credential: `api-key ${sandbox.apiKey}` })));
  } finally {
    await client.close();
    await sandbox.close();
  }
});

describe('the plan of a subscription', () => {
  it('gives the change feed its compiled filter and what to include with each record, and plans the record as included', () => {
    const planned = planDocument({
      schema,
      document: parse(`
        subscription {
          dealChanged(filter: { stage: { is: WON }, company: { name: { startsWith: "Ac" } } }) {
            kind
            record { name company { name } people { nodes { name { fullName } company { name } } } owner { email } }
          }
        }
      `),
    });
    const entry = planned!.plan.entry('dealChanged');
    expect(entry).toEqual({
      kind: 'changes',
      object: 'deal',
      include: ['company_id', 'people', 'people.company_id'],
      filter: [
        { path: 'deal.company_id.name', operator: 'Starts with', value: 'Ac' },
        { path: 'stage', operator: 'Is', value: 'Won' },
      ],
    });
    expect(planned!.plan.entry('dealChanged.record.company')).toMatchObject({ kind: 'reference', route: 'included' });
    expect(planned!.plan.entry('dealChanged.record.people')).toMatchObject({ kind: 'toMany', route: 'block' });
  });

  it('refuses a filter Clarify cannot express', () => {
    const planned = planDocument({ schema, document: parse('subscription { dealChanged(filter: { stage: { in: [] } }) { id } }') });
    expect(planned!.plan.entry('dealChanged')).toMatchObject({ kind: 'refused', error: { extensions: { code: 'BAD_USER_INPUT' } } });
  });
});
