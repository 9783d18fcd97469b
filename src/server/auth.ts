import { timingSafeEqual } from 'node:crypto';
import { credentialFingerprint } from '../client/credential-fingerprint.js';
import type { AccessScope } from '../plan/field-info.js';

/**
 * Who may call the gateway, and which credential goes upstream for them.
 *
 * - server-key: every upstream call uses the server's Clarify key; callers prove themselves with
 *   `Authorization: Bearer <one of the gateway tokens>`. With no tokens configured every caller is
 *   accepted, which the configuration allows only on a loopback host.
 * - pass-through: the caller's own `Authorization` header (`api-key …` or `Bearer …`) is the
 *   upstream credential for that request alone; Clarify decides whether it is valid.
 */
export type AuthDecision =
  | {
      ok: true;
      credential: string;
      /** What the caller may run; `admin` where Clarify itself decides (pass-through, no tokens). */
      scope: AccessScope;
      /** Who limits count the request against: the gateway token (server key) or the credential (pass-through), hashed. */
      caller: string;
    }
  | { ok: false; reason: string };

/** A caller token and what it may run (`GATEWAY_TOKENS`: `read:…`, `write:…`, `admin:…` or a plain token, which is `write`). */
export interface GatewayToken {
  token: string;
  scope: AccessScope;
}

export type Authenticator = (authorization: string | null) => AuthDecision;

/** Turns a bare Clarify key into the `Authorization` value Clarify expects. */
export function serverCredential(apiKey: string): string {
  return /^(api-key|bearer)\s+\S/i.test(apiKey) ? apiKey : `api-key ${apiKey}`;
}

/** Compares secrets in time independent of where they differ: their fingerprints, of equal length, byte by byte. */
export function secretEquals(presented: string, expected: string): boolean {
  return timingSafeEqual(Buffer.from(credentialFingerprint(presented)), Buffer.from(credentialFingerprint(expected)));
}

/** Whether `presented` is one of `tokens`; every token is compared, so the time taken does not say which one matched or was close. */
export function anyTokenMatches(presented: string, tokens: readonly string[]): boolean {
  let matched = false;
  for (const token of tokens) matched = secretEquals(presented, token) || matched;
  return matched;
}

/** The entry of `tokens` that `presented` is, comparing every one (see `anyTokenMatches`). */
function matchingToken(presented: string, tokens: readonly GatewayToken[]): GatewayToken | undefined {
  let matched: GatewayToken | undefined;
  for (const entry of tokens) if (secretEquals(presented, entry.token)) matched ??= entry;
  return matched;
}

/** Extracts the token of `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(authorization: string | null): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

/** True for an Authorization value that still holds a `<…>` placeholder, as GraphiQL prefills it. */
function isPlaceholder(authorization: string | null): boolean {
  return /<[^>]*>/.test(authorization ?? '');
}

export function createServerKeyAuthenticator(apiKey: string, tokens: readonly GatewayToken[]): Authenticator {
  const credential = serverCredential(apiKey);
  return (authorization) => {
    if (tokens.length === 0) return { ok: true, credential, scope: 'admin', caller: 'server-key' };
    if (isPlaceholder(authorization)) {
      return {
        ok: false,
        reason: 'The Authorization header still holds a placeholder: replace <gateway token> with one of GATEWAY_TOKENS (in GraphiQL: the Headers tab).',
      };
    }
    const presented = bearerToken(authorization);
    if (presented === undefined) {
      return { ok: false, reason: 'Missing gateway token: send Authorization: Bearer <token>.' };
    }
    const matched = matchingToken(presented, tokens);
    return matched
      ? { ok: true, credential, scope: matched.scope, caller: `token:${credentialFingerprint(presented)}` }
      : { ok: false, reason: 'Invalid gateway token.' };
  };
}

export function createPassThroughAuthenticator(): Authenticator {
  return (authorization) => {
    const value = authorization?.trim() ?? '';
    if (isPlaceholder(value)) {
      return {
        ok: false,
        reason:
          'The Authorization header still holds a placeholder: replace <your Clarify API key> with your key, keeping "api-key " before it (in GraphiQL: the Headers tab).',
      };
    }
    const [, scheme, key] = /^(api-key|Bearer)\s+([\x21-\x7e]+)$/i.exec(value) ?? [];
    if (scheme === undefined || key === undefined) {
      return {
        ok: false,
        reason: 'Missing Clarify credential: send Authorization: api-key <key> or Bearer <token>.',
      };
    }
    const normalised = scheme.toLowerCase() === 'api-key' ? 'api-key' : 'Bearer';
    const credential = `${normalised} ${key}`;
    return { ok: true, credential, scope: 'admin', caller: `credential:${credentialFingerprint(credential)}` };
  };
}
