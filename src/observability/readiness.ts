/** Whether the gateway can serve: what `GET /ready` answers. */
export interface Readiness {
  ready: boolean;
  schemaLoaded: boolean;
  upstreamReachable: boolean;
  schemaVersion?: number;
  /** Present when Redis is configured. Its absence degrades the gateway but does not make it unready. */
  redis?: { reachable: boolean };
}

/**
 * `/ready`: the schema is loaded (server key; pass-through loads it per caller) and the upstream
 * answers HTTP at all. The upstream check sends no credential and is cached for five seconds.
 */
export function createReadinessProbe(
  apiUrl: string,
  mode: 'server-key' | 'pass-through',
  source: { current(): { version: number } | undefined },
): () => Promise<Readiness> {
  let cached: { at: number; reachable: boolean } | undefined;
  const origin = new URL(apiUrl).origin;
  return async () => {
    if (!cached || Date.now() - cached.at > 5000) {
      let reachable = false;
      try {
        const response = await fetch(origin, { method: 'HEAD', signal: AbortSignal.timeout(2000) });
        await response.body?.cancel();
        reachable = true;
      } catch {
        reachable = false;
      }
      cached = { at: Date.now(), reachable };
    }
    const current = source.current();
    const schemaLoaded = mode === 'pass-through' || current !== undefined;
    return {
      ready: schemaLoaded && cached.reachable,
      schemaLoaded,
      upstreamReachable: cached.reachable,
      ...(current ? { schemaVersion: current.version } : {}),
    };
  };
}

/** Adds Redis reachability to a readiness probe; a Redis outage leaves `ready` as it was. */
export function withRedisReadiness(
  probe: () => Promise<Readiness>,
  redis: { ping(): Promise<boolean> } | undefined,
): () => Promise<Readiness> {
  if (!redis) return probe;
  return async () => {
    const [state, reachable] = await Promise.all([probe(), redis.ping()]);
    return { ...state, redis: { reachable } };
  };
}
