import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLiveStack, type LiveStack } from '../helpers/live-stack.js';

const LISTED = 'query Listed { deals(first: 2) { nodes { name } } }';
const OTHER = 'query Other { deals(first: 1) { nodes { name } } }';
const hash = (text: string) => createHash('sha256').update(text).digest('hex');

let stack: LiveStack;

beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'ws-trusted-')), 'persisted-documents.json');
  writeFileSync(file, JSON.stringify({ [hash(LISTED)]: LISTED }));
  stack = await startLiveStack({ trustedDocuments: { file, only: true } });
});

afterAll(async () => {
  await stack?.close();
});

/** One operation over graphql-ws; `query` must be a string in that protocol, so an id-only request sends "". */
async function runOnce(payload: { query: string; extensions?: Record<string, unknown> }): Promise<{ data?: unknown; errors?: { extensions?: Record<string, unknown> }[] }> {
  const client = createWsClient({ url: stack.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  try {
    return await new Promise((resolve, reject) => {
      let last: unknown;
      client.subscribe(payload, {
        next: (value) => (last = value),
        error: (error) => (Array.isArray(error) ? resolve({ errors: error as never }) : reject(error as Error)),
        complete: () => resolve(last as never),
      });
    });
  } finally {
    await client.dispose();
  }
}

describe('graphql-ws with trusted documents only', () => {
  it('runs a listed document sent by its id alone, and refuses a document sent as text', async () => {
    const byId = await runOnce({ query: '', extensions: { persistedQuery: { version: 1, sha256Hash: hash(LISTED) } } });
    expect(byId.errors).toBeUndefined();
    expect((byId.data as { deals: { nodes: unknown[] } }).deals.nodes).toHaveLength(2);
    const asText = await runOnce({ query: OTHER });
    expect(asText.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });
});
