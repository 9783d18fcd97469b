import { describe, expect, it } from 'vitest';
import { followableTarget, upstreamBase } from '../../src/client/links.js';

describe('links.next origin and path checks', () => {
  const base = upstreamBase('http://127.0.0.1:4010/v1', 'demo');

  it('splits the configured API URL', () => {
    expect(base).toEqual({ origin: 'http://127.0.0.1:4010', workspacePath: '/v1/workspaces/demo' });
    expect(upstreamBase('https://api.clarify.ai/v1/', 'acme')).toEqual({ origin: 'https://api.clarify.ai', workspacePath: '/v1/workspaces/acme' });
  });

  it('refuses configurations that could leak', () => {
    expect(() => upstreamBase('http://user:pw@host/v1', 'demo')).toThrow(TypeError);
    expect(() => upstreamBase('ftp://host/v1', 'demo')).toThrow(TypeError);
    expect(() => upstreamBase('not a url', 'demo')).toThrow(TypeError);
    expect(() => upstreamBase('http://host/v1', ' ')).toThrow(TypeError);
  });

  it('follows links inside the workspace on the same origin', () => {
    expect(
      followableTarget('http://127.0.0.1:4010/v1/workspaces/demo/objects/person/resources?filter[job_title][Contains]=CTO&page[limit]=500&page[offset]=1000', base),
    ).toBe('/v1/workspaces/demo/objects/person/resources?filter[job_title][Contains]=CTO&page[limit]=500&page[offset]=1000');
    expect(followableTarget('/v1/workspaces/demo/users?page%5Boffset%5D=500', base)).toBe('/v1/workspaces/demo/users?page%5Boffset%5D=500');
  });

  it.each([
    ['another host', 'http://evil.example/v1/workspaces/demo/objects/person/resources'],
    ['another port', 'http://127.0.0.1:4011/v1/workspaces/demo/objects/person/resources'],
    ['another scheme', 'https://127.0.0.1:4010/v1/workspaces/demo/objects/person/resources'],
    ['localhost alias', 'http://localhost:4010/v1/workspaces/demo/objects/person/resources'],
    ['another workspace', 'http://127.0.0.1:4010/v1/workspaces/other/objects/person/resources'],
    ['a workspace sharing the prefix', 'http://127.0.0.1:4010/v1/workspaces/demo2/objects/person/resources'],
    ['outside the API base', 'http://127.0.0.1:4010/admin'],
    ['dot segments', 'http://127.0.0.1:4010/v1/workspaces/demo/../other/objects'],
    ['encoded dot segments', 'http://127.0.0.1:4010/v1/workspaces/demo/%2e%2e/other/objects'],
    ['user info', 'http://me:pw@127.0.0.1:4010/v1/workspaces/demo/objects/person/resources'],
    ['protocol-relative', '//evil.example/v1/workspaces/demo/objects'],
    ['the bare workspace path', 'http://127.0.0.1:4010/v1/workspaces/demo'],
  ])('refuses %s', (_label, link) => {
    expect(followableTarget(link, base)).toBeUndefined();
  });
});
