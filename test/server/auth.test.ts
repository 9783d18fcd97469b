import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { credentialFingerprint } from '../../src/client/credential-fingerprint.js';
import { bearerToken, createPassThroughAuthenticator, createServerKeyAuthenticator, serverCredential } from '../../src/server/auth.js';

describe('server-key authentication', () => {
  const tokens = [
    { token: 'token-one-xxxxxxxxxx', scope: 'write' as const },
    { token: 'token-two-xxxxxxxxxx', scope: 'read' as const },
  ];
  const authenticate = createServerKeyAuthenticator('sandbox-key', tokens);

  it('accepts any configured token and sends the server key upstream', () => {
    expect(authenticate('Bearer token-one-xxxxxxxxxx')).toMatchObject({ ok: true, credential: 'api-key sandbox-key', scope: 'write' });
    expect(authenticate('bearer  token-two-xxxxxxxxxx')).toMatchObject({ ok: true, credential: 'api-key sandbox-key', scope: 'read' });
  });

  it('names each token as its own caller, by a hash that does not show the token', () => {
    const one = authenticate('Bearer token-one-xxxxxxxxxx');
    const two = authenticate('Bearer token-two-xxxxxxxxxx');
    expect(one).toEqual({ ok: true, credential: 'api-key sandbox-key', scope: 'write', caller: `token:${credentialFingerprint('token-one-xxxxxxxxxx')}` });
    expect(two).toEqual({ ok: true, credential: 'api-key sandbox-key', scope: 'read', caller: `token:${credentialFingerprint('token-two-xxxxxxxxxx')}` });
    expect(JSON.stringify([one, two])).not.toContain('token-one');
  });

  it('rejects missing, wrong and differently-schemed tokens', () => {
    for (const header of [null, '', 'Bearer nope', 'api-key token-one-xxxxxxxxxx', 'token-one-xxxxxxxxxx']) {
      expect(authenticate(header).ok).toBe(false);
    }
  });

  it('accepts everyone when no tokens are configured', () => {
    expect(createServerKeyAuthenticator('k', [])(null)).toEqual({ ok: true, credential: 'api-key k', scope: 'admin', caller: 'server-key' });
  });

  it('keeps an explicit scheme on the server key', () => {
    expect(serverCredential('Bearer oauth-token')).toBe('Bearer oauth-token');
    expect(serverCredential('api-key abc')).toBe('api-key abc');
    expect(serverCredential('abc')).toBe('api-key abc');
  });
});

describe('pass-through authentication', () => {
  const authenticate = createPassThroughAuthenticator();

  it('forwards api-key and Bearer credentials', () => {
    expect(authenticate('api-key sandbox-key')).toEqual({ ok: true, credential: 'api-key sandbox-key', scope: 'admin', caller: `credential:${credentialFingerprint('api-key sandbox-key')}` });
    expect(authenticate('API-KEY abc')).toEqual({ ok: true, credential: 'api-key abc', scope: 'admin', caller: `credential:${credentialFingerprint('api-key abc')}` });
    expect(authenticate('bearer xyz')).toEqual({ ok: true, credential: 'Bearer xyz', scope: 'admin', caller: `credential:${credentialFingerprint('Bearer xyz')}` });
  });

  it('rejects anything else', () => {
    for (const header of [null, '', 'Basic dXNlcjpwYXNz', 'api-key', 'api-key a b', 'Bearer a\nb']) {
      expect(authenticate(header).ok).toBe(false);
    }
  });
});

describe('helpers', () => {
  it('extracts bearer tokens', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(null)).toBeUndefined();
  });

  it('fingerprints credentials without revealing them', () => {
    const a = credentialFingerprint('api-key a');
    expect(a).not.toContain('api-key');
    expect(a).toBe(credentialFingerprint('api-key a'));
    expect(a).not.toBe(credentialFingerprint('api-key b'));
    // Replicas share keys made of it in Redis: every version must compute the same.
    expect(a).toBe(createHash('sha256').update('api-key a').digest('base64url').slice(0, 22));
  });
});

describe("GraphiQL's placeholder headers", () => {
  it('are recognised as placeholders, not reported as a missing credential', () => {
    const passThrough = createPassThroughAuthenticator()('api-key <your Clarify API key>');
    expect(passThrough).toEqual({ ok: false, reason: expect.stringMatching(/still holds a placeholder: replace <your Clarify API key>/) });
    const serverKey = createServerKeyAuthenticator('k', [{ token: 'token-one-xxxxxxxxxx', scope: 'write' }])('Bearer <gateway token>');
    expect(serverKey).toEqual({ ok: false, reason: expect.stringMatching(/still holds a placeholder: replace <gateway token>/) });
  });
});
