import { createHash } from 'node:crypto';

/** Fingerprints of the credentials seen last: a gateway sends one credential, or a few, over and over. */
const recent = new Map<string, string>();
const RECENT = 64;

/**
 * The one hash of a credential (an `Authorization` value, a gateway token, an admin token): the
 * first 22 base64url characters (132 bits) of its SHA-256. It stands for the credential wherever
 * callers must be told apart without the credential being kept: rate budget keys and subscription
 * feed keys (in Redis, where every replica must compute the same; see the README's Redis keys),
 * response cache scopes, the schema cached per credential, per-caller subscription limits,
 * graphql-sse stream owners, and the constant-time comparison of secrets (`secretEquals`).
 */
export function credentialFingerprint(credential: string): string {
  let fingerprint = recent.get(credential);
  if (fingerprint === undefined) {
    fingerprint = createHash('sha256').update(credential).digest('base64url').slice(0, 22);
    if (recent.size >= RECENT) recent.clear();
    recent.set(credential, fingerprint);
  }
  return fingerprint;
}
