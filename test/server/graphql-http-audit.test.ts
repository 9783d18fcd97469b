import { serverAudits } from 'graphql-http';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { startStack } from '../helpers/stack.js';

// GraphQL-over-HTTP conformance of the gateway with its real plugin stack (auth, limits, masking,
// cost, observability), in server-key mode with a caller token.
const TOKEN = 'audit-token-0123456789';
let gateway: Gateway;

beforeAll(async () => {
  const stack = await startStack({ tokens: [TOKEN], allowUnauthenticated: false });
  ({ gateway } = stack);
  return stack.close;
});

const fetchWithToken = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const headers = new Headers(init?.headers);
  headers.set('authorization', `Bearer ${TOKEN}`);
  return Promise.resolve(gateway.fetch(input as string, { ...init, headers }));
};

describe('graphql-http server audits', () => {
  for (const audit of serverAudits({ url: 'http://localhost/graphql', fetchFn: fetchWithToken })) {
    const required = audit.name.startsWith('MUST') || audit.name.startsWith('SHOULD');
    it.runIf(required)(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      const detail = result.status === 'ok' ? '' : `${result.reason}: ${await result.response.text().catch(() => '')}`;
      expect(result.status, detail).toBe('ok');
    });
  }
});
