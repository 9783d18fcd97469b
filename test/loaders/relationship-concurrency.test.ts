import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClarifyClient } from '../../src/client/clarify-client.js';
import type { CallOptions, ResourceIdentifier } from '../../src/client/types.js';
import { createRequestContext } from '../../src/loaders/request-context.js';
import { InProcessWriteLock } from '../../src/loaders/write-lock.js';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { graphql as execute } from 'graphql';
import { buildGatewaySchema } from '../../src/schema/build-schema.js';
import { parseWorkspaceModel } from '../../src/workspace/parse-schemas.js';
import { graphql } from '../helpers/gateway.js';
import { startStack } from '../helpers/stack.js';

let sandbox: RunningSandbox;
let gateway: Gateway;

beforeAll(async () => {
  const stack = await startStack();
  ({ sandbox, gateway } = stack);
  return stack.close;
});
beforeEach(async () => {
  await fetch(`${sandbox.origin}/__sandbox/reset`, { method: 'POST' });
});

const credential = (): string => `api-key ${sandbox.apiKey}`;

async function linkedPeople(deal: string): Promise<string[]> {
  const response = await fetch(`${sandbox.apiUrl}/workspaces/${sandbox.workspace}/objects/deal/records/${deal}/relationships/people?page[limit]=500`, {
    headers: { authorization: credential() },
  });
  const body = (await response.json()) as { data: { id: string }[] };
  return body.data.map((item) => item.id).sort();
}

async function ids(plural: string, count: number): Promise<string[]> {
  const result = await graphql(gateway, `{ ${plural}(first: ${count}) { nodes { id: clarifyId } } }`);
  return (result.body.data?.[plural] as { nodes: { id: string }[] }).nodes.map((node) => node.id);
}

async function edit(verb: 'add' | 'remove', deal: string, people: string[]): Promise<void> {
  const field = verb === 'add' ? 'addDealPeople' : 'removeDealPeople';
  const result = await graphql(gateway, `mutation($id: ID!, $ids: [ID!]!) { ${field}(id: $id, ids: $ids) { userErrors { code message } } }`, {
    variables: { id: deal, ids: people },
  });
  expect(result.body.errors, result.text).toBeUndefined();
  expect((result.body.data?.[field] as { userErrors: unknown[] }).userErrors).toEqual([]);
}

describe('concurrent relationship edits on one record', () => {
  it('links every person of 20 concurrent addDealPeople', async () => {
    const [deal] = await ids('deals', 1);
    const before = await linkedPeople(deal!);
    const people = (await ids('people', 80)).filter((id) => !before.includes(id)).slice(0, 20);
    expect(people).toHaveLength(20);
    await Promise.all(people.map((person) => edit('add', deal!, [person])));
    expect(await linkedPeople(deal!)).toEqual([...before, ...people].sort());
  });

  it('ends with the sequential result when concurrent adds and removes are mixed', async () => {
    const [deal] = await ids('deals', 1);
    const before = await linkedPeople(deal!);
    const candidates = (await ids('people', 80)).filter((id) => !before.includes(id));
    const added = candidates.slice(0, 12);
    // Removes of people linked before, and of people other edits are adding: each touches only its own ids.
    const operations: ['add' | 'remove', string[]][] = [
      ...added.map((person): ['add', string[]] => ['add', [person]]),
      ...before.map((person): ['remove', string[]] => ['remove', [person]]),
      ['add', [candidates[12]!, candidates[13]!]],
      ['remove', [candidates[13]!]],
    ];
    await Promise.all(operations.map(([verb, people]) => edit(verb, deal!, people)));
    // Any sequential order gives the same set, except for candidates[13] (added and removed):
    // compute both orders and require one of them.
    const base = new Set([...added, candidates[12]!]);
    const withLast = [...base, candidates[13]!].sort();
    const withoutLast = [...base].sort();
    const final = await linkedPeople(deal!);
    expect([withLast, withoutLast]).toContainEqual(final);
  });

  it('re-applies an add that a writer outside the gateway undid, and says what it cost', async () => {
    const [deal] = await ids('deals', 1);
    const before = await linkedPeople(deal!);
    const target = (await ids('people', 80)).filter((id) => !before.includes(id))[0]!;

    /** After the gateway's first PATCH, another client replaces the set with what it read before. */
    class InterferingClient extends ClarifyClient {
      interfered = 0;
      override async linkRelationship(object: string, id: string, rel: string, targets: ResourceIdentifier[], call: CallOptions) {
        const linked = await super.linkRelationship(object, id, rel, targets, call);
        if (this.interfered === 0) {
          this.interfered += 1;
          await super.linkRelationship(object, id, rel, before.map((p) => ({ type: 'person', id: p })), { credential: credential() });
        }
        return linked;
      }
    }
    const client = new InterferingClient({ apiUrl: sandbox.apiUrl, workspace: sandbox.workspace });
    try {
      const model = parseWorkspaceModel(await client.listSchemas({ credential: credential() }));
      const schema = buildGatewaySchema(model);
      const context = createRequestContext({ client, model, credential: credential(), writeLock: new InProcessWriteLock() });
      const result = await execute({
        schema,
        source: `mutation($id: ID!, $ids: [ID!]!) { addDealPeople(id: $id, ids: $ids) { userErrors { code } } }`,
        variableValues: { id: deal, ids: [target] },
        contextValue: context,
      });
      expect(result.errors).toBeUndefined();
      expect(client.interfered).toBe(1);
      // GET the deal, PATCH, read back (undone), PATCH again, read back.
      expect(context.calls.count).toBe(5);
      expect(await linkedPeople(deal!)).toEqual([...before, target].sort());
    } finally {
      await client.close();
    }
  });
});

describe('the in-process write lock', () => {
  it('runs work on one key one at a time, other keys freely, and forgets idle keys', async () => {
    const lock = new InProcessWriteLock();
    let running = 0;
    let most = 0;
    const work = async (): Promise<void> => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
    };
    await Promise.all(Array.from({ length: 10 }, () => lock.withLock('a', work)));
    expect(most).toBe(1);
    most = 0;
    await Promise.all(['a', 'b', 'c'].map((key) => lock.withLock(key, work)));
    expect(most).toBe(3);
    expect(lock.size).toBe(0);
  });

  it('gives up waiting at the deadline with CONFLICT, without running the work, and releases afterwards', async () => {
    const lock = new InProcessWriteLock();
    let release!: () => void;
    const holding = lock.withLock('k', () => new Promise<void>((resolve) => (release = resolve)));
    let ran = false;
    const waiting = lock.withLock('k', async () => {
      ran = true;
    }, { deadline: Date.now() + 30 });
    await expect(waiting).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(ran).toBe(false);
    release();
    await holding;
    await lock.withLock('k', async () => undefined);
    expect(lock.size).toBe(0);
  });
});
