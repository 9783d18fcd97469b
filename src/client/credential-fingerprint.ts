import { createHash } from 'node:crypto';

/**
 * The one hash of a credential (an `Authorization` value, a gateway token, an admin token): the
 * first 22 base64url characters (132 bits) of its SHA-256. It stands for the credential wherever
 * callers must be told apart without the credential being kept: rate budget keys and subscription
 * feed keys (in Redis, where every replica must compute the same; see docs/shared-state.md),
 * response cache scopes, the schema cached per credential, per-caller subscription limits,
 * graphql-sse stream owners, and the constant-time comparison of secrets (`secretEquals`).
 */
export function credentialFingerprint(credential: string): string {
  // Not memoised: a table from credentials to fingerprints would keep the credentials.
  return createHash('sha256').update(credential).digest('base64url').slice(0, 22);
}
