import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { gatewayOver, startTestSandbox } from './helpers.js';

// GraphQL-over-HTTP conformance of the gateway with its real plugin stack (auth, limits, masking,
// cost, observability), in server-key mode with a caller token.
const TOKEN = 'audit-token-0123456789';
let sandbox: RunningSandbox;
let gateway: Gateway;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  gateway = await gatewayOver(sandbox, { tokens: [TOKEN], allowUnauthenticated: false });
});

afterAll(async () => {
  await gateway?.close();
  await sandbox?.close();
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
