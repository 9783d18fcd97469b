import { createServer } from 'node:net';

/** A port `npm start` is about to bind, and the variable that moves it. */
export interface PortClaim {
  port: number;
  host: string;
  variable: 'PORT' | 'SANDBOX_PORT' | 'METRICS_PORT';
}

/** Resolves true when `port` can be bound on `host` now (port 0 always can). */
export function portIsFree(port: number, host: string): Promise<boolean> {
  if (port === 0) return Promise.resolve(true);
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** The one line `npm start` prints when ports are taken: which, and what to change. */
export function busyPortsMessage(busy: PortClaim[]): string {
  const list = busy.map((c) => `${c.host}:${c.port} (${c.variable})`).join(' and ');
  const variables = busy.map((c) => c.variable).join(' and ');
  return (
    `clarify-graphql: ${list} ${busy.length > 1 ? 'are' : 'is'} already in use (another clarify-graphql?); ` +
    `stop it or set ${variables} to ${busy.length > 1 ? 'free ports' : 'a free port'}.`
  );
}

/** The claims among `claims` whose port is taken. */
export async function busyPorts(claims: PortClaim[]): Promise<PortClaim[]> {
  const free = await Promise.all(claims.map((c) => portIsFree(c.port, c.host)));
  return claims.filter((_, i) => !free[i]);
}

/** True for the error `listen` gives on a port in use (a race lost after the check). */
export function isAddressInUse(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EADDRINUSE';
}
