import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { GraphQLClient } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveStack, type LiveStack } from '../helpers/live-stack.js';
import { DealNodeDocument, DealsPageDocument } from './graphql-request/documents.js';

// graphql-request with GraphQL Code Generator's client preset (typed documents, checked by the
// project's strict `tsc`), against a running gateway.

let stack: LiveStack;
beforeAll(async () => {
  stack = await startLiveStack({ subscriptions: false });
});
afterAll(async () => stack?.close());

describe('graphql-request with the codegen client preset', () => {
  it('the generated documents are current (graphql-codegen --check)', async () => {
    const cli = join(dirname(createRequire(import.meta.url).resolve('@graphql-codegen/cli/package.json')), 'cjs', 'bin.js');
    await promisify(execFile)(process.execPath, [cli, '--config', 'test/clients/graphql-request/codegen.ts', '--check']);
  }, 60_000);

  it('runs the typed documents: a page, the next page, and node(id:) on a deal', async () => {
    const client = new GraphQLClient(stack.url);
    const first = await client.request(DealsPageDocument, { first: 3 });
    expect(first.deals?.nodes).toHaveLength(3);
    const next = await client.request(DealsPageDocument, { first: 3, after: first.deals?.pageInfo.endCursor ?? null });
    const ids = [...(first.deals?.nodes ?? []), ...(next.deals?.nodes ?? [])].map((deal) => deal.id);
    expect(new Set(ids).size).toBe(6);
    const deal = first.deals!.nodes[0]!;
    const node = await client.request(DealNodeDocument, { id: deal.id });
    expect(node.node).toEqual({ __typename: 'Deal', id: deal.id, name: deal.name, stage: deal.stage });
  });
});
