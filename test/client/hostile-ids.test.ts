import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClarifyClient } from '../../src/client/clarify-client.js';
import { ClarifyError } from '../../src/client/errors.js';
import { startStub, type Stub } from '../helpers/stub-server.js';

/** Ids chosen to break out of one path segment, or to be rewritten by a path-normalising proxy. */
export const HOSTILE_IDS = [
  '',
  ' ',
  '.',
  '..',
  '../x',
  'x/..',
  './x',
  '%2e%2e',
  '%2E',
  '.%2e',
  'a/b',
  'a\\b',
  '..\\..',
  '?page[limit]=1',
  '#frag',
  '%',
  '%00',
  'a b',
  '\u0000',
  '\r\nX-Injected: 1',
  '\udc00x',
  'x\ud800',
  '😀',
  ';x=1',
  '*',
  "!'()",
  'x'.repeat(2000),
];

const REFUSED = new Set(['', ' ', '.', '..', '\udc00x', 'x\ud800']);

let stub: Stub;
let client: ClarifyClient;
const call = { credential: 'api-key stub-key' };

beforeAll(async () => {
  stub = await startStub((_request, res) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"errors":[{"status":"404","detail":"Not found"}]}');
  });
  client = new ClarifyClient({ apiUrl: stub.apiUrl, workspace: 'demo', maxAttempts: 1 });
});
afterAll(async () => {
  await client.close();
  await stub.close();
});

/** The one path segment after `prefix` in the raw request target, or a failure when there are several. */
function segmentAfter(url: string, prefix: string, suffix = ''): string {
  const path = url.split('?')[0]!;
  expect(path.startsWith(prefix), url).toBe(true);
  const rest = path.slice(prefix.length, suffix ? path.length - suffix.length : undefined);
  if (suffix) expect(path.endsWith(suffix), url).toBe(true);
  expect(rest, url).not.toContain('/');
  expect(['.', '..', ''].includes(rest), url).toBe(false);
  // No dot segment after decoding either, and nothing a proxy would read as a dot segment.
  expect(['.', '..'].includes(decodeURIComponent(rest)) && !/%2e/i.test(rest) ? 'dot' : 'ok').toBe('ok');
  expect(/^[A-Za-z0-9\-._~%]*$/.test(rest), `${url} is not plainly percent-encoded`).toBe(true);
  return decodeURIComponent(rest);
}

describe('hostile record ids', () => {
  const base = '/v1/workspaces/demo/objects';
  const routes: { name: string; send: (id: string) => Promise<unknown>; prefix: string; suffix?: string }[] = [
    { name: 'get', send: (id) => client.get('person', id, {}, call), prefix: `${base}/person/resources/` },
    { name: 'update', send: (id) => client.update('person', id, { job_title: 'x' }, call), prefix: `${base}/person/records/` },
    { name: 'delete', send: (id) => client.delete('meeting', id, call), prefix: `${base}/meeting/records/` },
    {
      name: 'link',
      send: (id) => client.linkRelationship('deal', id, 'people', [], call),
      prefix: `${base}/deal/records/`,
      suffix: '/relationships/people',
    },
    {
      name: 'relationship list',
      send: (id) => client.listRelationship('deal', id, 'people', {}, call),
      prefix: `${base}/deal/records/`,
      suffix: '/relationships/people',
    },
    { name: 'user', send: (id) => client.getUser(id, call), prefix: '/v1/workspaces/demo/users/' },
  ];

  for (const route of routes) {
    it(`${route.name}: each id travels as exactly one opaque segment, or is refused with no request`, async () => {
      for (const id of HOSTILE_IDS) {
        const before = stub.requests.length;
        const outcome = await route.send(id).then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        if (!outcome.ok) expect(outcome.error, JSON.stringify(id)).toBeInstanceOf(ClarifyError);
        const sent = stub.requests.slice(before);
        if (REFUSED.has(id)) {
          expect(sent, JSON.stringify(id)).toHaveLength(0);
          if (!outcome.ok) expect((outcome.error as ClarifyError).code).toBe('NOT_FOUND');
          else expect(outcome.value).toBeNull();
          continue;
        }
        expect(sent, JSON.stringify(id)).toHaveLength(1);
        expect(segmentAfter(sent[0]!.url, route.prefix, route.suffix)).toBe(id);
      }
    });
  }
});
