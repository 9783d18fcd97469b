import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { createGateway, type Gateway } from '../../src/server/gateway.js';
import { graphql, silentLogger, startTestSandbox, upstreamTotal } from '../helpers/gateway.js';

// Pass-through mode: each caller's own Authorization header goes upstream for that request alone.
// Two callers, one with the sandbox's valid key and one with a key Clarify rejects, interleaved
// concurrently: the rejected caller must never see data, the valid one must never be refused.
let sandbox: RunningSandbox;
let gateway: Gateway;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  gateway = await createGateway({
    apiUrl: sandbox.apiUrl,
    workspace: sandbox.workspace,
    logger: silentLogger,
    processMetrics: false,
    schemaReloadIntervalSeconds: 60,
  });
});

afterAll(async () => {
  await gateway?.close();
  await sandbox?.close();
});

const QUERY = '{ people(first: 2) { totalCount nodes { id name { fullName } company { name } } } }';

describe('credential isolation (pass-through)', () => {
  it('is in pass-through mode and needs a credential', async () => {
    expect(gateway.mode).toBe('pass-through');
    const { status, body } = await graphql(gateway, QUERY);
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('asks Clarify about a refused credential once, not on every request', async () => {
    const headers = { authorization: 'api-key refused-once-key' };
    const before = await upstreamTotal(sandbox);
    for (let i = 0; i < 5; i++) {
      const { status, body } = await graphql(gateway, QUERY, { headers });
      expect(status).toBe(401);
      expect(body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    }
    expect((await upstreamTotal(sandbox)) - before).toBe(1);
  });

  it('never lets a rejected credential see data over thousands of interleaved requests', async () => {
    const good = { authorization: `api-key ${sandbox.apiKey}` };
    const bad = { authorization: 'api-key not-the-sandbox-key' };
    const bearer = { authorization: 'Bearer some-oauth-token' };
    const total = 2400;
    const concurrency = 48;
    let goodAnswers = 0;
    let refusals = 0;
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const i = next++;
        const headers = i % 3 === 0 ? good : i % 3 === 1 ? bad : bearer;
        const { status, body, text } = await graphql(gateway, QUERY, { headers });
        if (headers === good) {
          const people = body.data?.['people'] as { nodes: unknown[] } | undefined;
          if (status !== 200 || body.errors || !people || people.nodes.length !== 2) failures.push(`good #${i}: ${text}`);
          else goodAnswers++;
        } else {
          if (body.data != null || status !== 401 || body.errors?.[0]?.extensions?.['code'] !== 'UNAUTHENTICATED') {
            failures.push(`rejected #${i}: ${status} ${text}`);
          } else refusals++;
          if (text.includes(sandbox.apiKey)) failures.push(`rejected #${i} saw the key`);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    expect(failures.slice(0, 5)).toEqual([]);
    expect(goodAnswers).toBe(total / 3);
    expect(refusals).toBe((2 * total) / 3);
  }, 90_000);
});
