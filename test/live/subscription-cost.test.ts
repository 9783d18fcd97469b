import { createClient as createSseClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveStack, type LiveStack } from '../helpers/live-stack.js';

let stack: LiveStack;

beforeAll(async () => {
  stack = await startLiveStack({ limits: { cost: 1 } });
});

afterAll(async () => {
  await stack?.close();
});

// Each change event reads the changed company's filtered people and, for each of them, their
// filtered deals: more calls per event than the limit of 1.
const COSTLY = /* GraphQL */ `
  subscription {
    companyChanged {
      id
      record { people(filter: { jobTitle: { isEmpty: false } }, first: 5) { nodes { deals(filter: { name: { isEmpty: false } }) { totalCount } } } }
    }
  }
`;

describe('subscription cost', () => {
  it('refuses a subscription whose change events would each cost more calls than the limit, before any feed starts', async () => {
    const sse = createSseClient({ url: stack.url, retryAttempts: 0 });
    try {
      const iterator = sse.iterate<unknown>({ query: COSTLY });
      const first = await iterator.next().catch((error: unknown) => ({ value: error, done: true }));
      const text = JSON.stringify(first.value);
      expect(text).toContain('COST_LIMIT_EXCEEDED');
      expect(stack.gateway.live!.stats().pollers).toBe(0);
    } finally {
      sse.dispose();
    }
  });
});
