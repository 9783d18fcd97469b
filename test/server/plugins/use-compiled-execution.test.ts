import { parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../src/sandbox/server.js';
import type { Gateway } from '../../../src/server/gateway.js';
import { standardExecutionReason } from '../../../src/server/plugins/use-compiled-execution.js';
import { planDocument } from '../../../src/plan/planner.js';
import { cacheLookups, createObjectUpstream, graphql } from '../../helpers/gateway.js';
import { startStack } from '../../helpers/stack.js';

let sandbox: RunningSandbox;
let gateway: Gateway;

beforeAll(async () => {
  const stack = await startStack();
  ({ sandbox, gateway } = stack);
  return stack.close;
});

const compilations = () => cacheLookups(gateway, 'clarify_graphql_compiled_executions_total');

describe('compiled execution', () => {
  it('compiles queries and mutations, and leaves subscriptions, recursive variables and multiplying fragments to the standard executor', () => {
    const schema = gateway.getSchema();
    if (!schema) throw new Error('no schema');
    const reason = (source: string) => standardExecutionReason(schema, parse(source));
    expect(reason('{ deals(first: 1) { nodes { name } } }')).toBeUndefined();
    expect(reason('mutation { deleteTask(id: "x") { userErrors { code } } }')).toBeUndefined();
    expect(reason('mutation M($input: CreateMeetingInput!) { createMeeting(input: $input) { userErrors { code } } }')).toBeUndefined();
    expect(reason('query Q($o: DealOrderBy, $s: Int) { deals(first: $s, orderBy: $o) { nodes { name } } }')).toBeUndefined();
    expect(reason('subscription { dealChanged { id } }')).toBe('subscription');
    // Filters reach themselves through relationship paths (DealFilter → CompanyFilter → DealFilter).
    expect(reason('query Q($f: DealFilter) { deals(first: 1, filter: $f) { nodes { name } } }')).toBe('variables');
    expect(reason('query A { deals(first: 1) { nodes { name } } } query B { companies { nodes { name } } }')).toBe('refused');
    // Each fragment spreads the one before twice: 2^20 fields written out, a few lines as text.
    const chain = Array.from({ length: 20 }, (_, i) => `fragment F${i + 1} on Deal { ...F${i} ...F${i} }`).join(' ');
    expect(reason(`{ deals(first: 1) { nodes { ...F20 } } } fragment F0 on Deal { name } ${chain}`)).toBe('selection');
    expect(reason(`{ deals(first: 1) { nodes { ...F8 } } } fragment F0 on Deal { name } ${chain}`)).toBeUndefined();
  });

  it('compiles queries and mutations, and leaves incremental delivery, wherever it is asked, to the standard executor', () => {
    const incremental = (query: string, variables: Record<string, unknown> = {}) =>
      planDocument({ schema: gateway.getSchema()!, document: parse(query), variables })?.plan.incremental;
    expect(incremental('{ deals(first: 1) { nodes { name } } }')).toBe(false);
    expect(incremental('mutation { deleteTask(id: "x") { userErrors { code } } }')).toBe(false);
    expect(incremental('{ deal(id: "x") { name ... @defer { company { name } } } }')).toBe(true);
    expect(incremental('{ deals(first: 1) { nodes @stream { name } } }')).toBe(true);
    // Where the plan has nothing else to say: plain objects, page info, users, a timeline, a payload.
    expect(incremental('{ person(id: "x") { name { ... @defer { fullName } } } }')).toBe(true);
    expect(incremental('{ deals(first: 0) { pageInfo { ... @defer { hasNextPage } } } }')).toBe(true);
    expect(incremental('{ deal(id: "x") { activities { nodes { ... @defer { kind } } } } }')).toBe(true);
    expect(incremental('{ deal(id: "x") { owner { ... @defer { email } } } }')).toBe(true);
    expect(incremental('mutation { deleteTask(id: "x") { userErrors { ... @defer { code } } } }')).toBe(true);
    // What is skipped does not run.
    expect(incremental('query($s: Boolean!) { deal(id: "x") @skip(if: $s) { name ... @defer { id } } }', { s: true })).toBe(false);
    expect(incremental('query($s: Boolean!) { deal(id: "x") @skip(if: $s) { name ... @defer { id } } }', { s: false })).toBe(true);
  });

  it('runs an operation with @defer or a recursive filter variable on graphql-js, counted by reason, with the answer compiled code gives inline', async () => {
    const standard = async (reason: string) => {
      const metric = await gateway.metrics.registry.getSingleMetric('clarify_graphql_standard_executions_total')?.get();
      return metric?.values.find((v) => v.labels['reason'] === reason)?.value ?? 0;
    };
    const before = { incremental: await standard('incremental'), variables: await standard('variables'), compiled: await compilations() };

    // A client that takes a stream (one that takes none gets the answer without @defer, compiled).
    const deferred = await gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed' },
      body: JSON.stringify({ query: '{ deals(first: 2) { nodes { name ... @defer { company { name } } } } }' }),
    });
    expect(deferred.headers.get('content-type')).toMatch(/^multipart\/mixed/);
    expect(await deferred.text()).toContain('"company"');
    const filter = { stage: { in: ['LOST', 'PROPOSAL'] }, company: { name: { contains: 'a' } } };
    const viaVariable = await graphql(gateway, 'query Q($f: DealFilter) { deals(first: 5, filter: $f) { nodes { name } } }', { variables: { f: filter } });
    const inline = await graphql(gateway, '{ deals(first: 5, filter: { stage: { in: [LOST, PROPOSAL] }, company: { name: { contains: "a" } } }) { nodes { name } } }');
    expect(viaVariable.body.errors).toBeUndefined();
    expect(inline.body.errors).toBeUndefined();
    expect((viaVariable.body.data?.['deals'] as { nodes: unknown[] }).nodes.length).toBeGreaterThan(0);
    expect(viaVariable.body.data).toEqual(inline.body.data);

    expect(await standard('incremental')).toBe(before.incremental + 1);
    expect(await standard('variables')).toBe(before.variables + 1);
    // Only the inline filter was compiled.
    const after = await compilations();
    expect(after.miss + after.hit - before.compiled.miss - before.compiled.hit).toBe(1);
  });

  it('compiles an operation once, and again after the schema changed', async () => {
    const query = 'query Repeated { deals(first: 2) { nodes { name company { name } } } }';
    const before = await compilations();
    const first = await graphql(gateway, query);
    expect(first.body.errors).toBeUndefined();
    for (let i = 0; i < 2; i++) expect((await graphql(gateway, query)).body).toEqual(first.body);
    const repeated = await compilations();
    expect(repeated.miss - before.miss).toBe(1);
    expect(repeated.hit - before.hit).toBe(2);

    const created = await createObjectUpstream(sandbox, { name: 'Crate', plural: 'Crates' });
    expect(created.status).toBe(201);
    expect(await gateway.reloadSchema()).toBe(true);
    expect((await graphql(gateway, query)).body.data).toEqual(first.body.data);
    expect((await compilations()).miss - repeated.miss).toBe(1);
  });

  it('runs the operation the request names when one document holds several', async () => {
    const document = 'query Deals { deals(first: 1) { nodes { __typename } } } query Companies { companies(first: 1) { nodes { __typename } } }';
    const deals = await graphql(gateway, document, { operationName: 'Deals' });
    const companies = await graphql(gateway, document, { operationName: 'Companies' });
    expect(deals.body.data).toEqual({ deals: { nodes: [{ __typename: 'Deal' }] } });
    expect(companies.body.data).toEqual({ companies: { nodes: [{ __typename: 'Company' }] } });
  });

  it('keeps field errors, null propagation and @skip/@include as the standard executor has them', async () => {
    const result = await graphql(
      gateway,
      'query Q($skip: Boolean!) { missing: deal(id: "00000000-0000-0000-0000-000000000000") { name } deals(first: 1) { nodes { name @skip(if: $skip) id @include(if: $skip) } } }',
      { variables: { skip: true } },
    );
    expect(result.body.data?.['missing']).toBeNull();
    expect(result.body.data?.['deals']).toEqual({ nodes: [{ id: expect.any(String) }] });
  });
});
