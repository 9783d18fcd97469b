import { graphql, type GraphQLError } from 'graphql';
import { createRequestContext } from '../../src/loaders/request-context.js';
import { startHarness, type Harness } from './harness.js';

/** The shared schema harness; writes only need its sandbox, client, model and schema. */
export type WriteHarness = Harness;

export interface Executed {
  data: Record<string, unknown> | null | undefined;
  errors: { message: string; code: unknown; path: readonly (string | number)[] | undefined }[];
  /** The errors as execution produced them (before any masking). */
  raw: readonly GraphQLError[];
  /** Upstream calls the operation made, as the client counted them. */
  calls: number;
  /** Upstream requests sent, retries included. */
  attempts: number;
}

export function startWriteHarness(options: { retryBaseMs?: number } = {}): Promise<WriteHarness> {
  return startHarness({ rateLimitPerMinute: 1_000_000, client: { retryBaseMs: options.retryBaseMs ?? 1, maxRetryDelayMs: 50 } });
}

export async function run(h: WriteHarness, source: string, variableValues: Record<string, unknown> = {}): Promise<Executed> {
  const contextValue = createRequestContext({ client: h.client, model: h.model, credential: h.credential });
  const result = await graphql({ schema: h.schema, source, variableValues, contextValue });
  return {
    data: result.data as Record<string, unknown> | null | undefined,
    errors: (result.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code ?? (e.originalError as { code?: unknown } | undefined)?.code, path: e.path })),
    raw: result.errors ?? [],
    calls: contextValue.calls.count,
    attempts: contextValue.calls.attempts,
  };
}

/** Upstream requests by route (`"POST /objects/:object/records/bulk"`) since the last reset. */
export async function upstreamStats(h: WriteHarness): Promise<{ total: number; byRoute: Record<string, number> }> {
  const response = await fetch(`${h.sandbox.origin}/__sandbox/stats`);
  return (await response.json()) as { total: number; byRoute: Record<string, number> };
}

/** Requests per route between two stats snapshots, routes with none left out. */
export function routeDelta(before: { byRoute: Record<string, number> }, after: { byRoute: Record<string, number> }): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [route, count] of Object.entries(after.byRoute)) {
    const added = count - (before.byRoute[route] ?? 0);
    if (added > 0) delta[route] = added;
  }
  return delta;
}

export async function resetSandbox(h: WriteHarness): Promise<void> {
  await fetch(`${h.sandbox.origin}/__sandbox/reset`, { method: 'POST' });
}

export async function scriptFault(h: WriteHarness, fault: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${h.sandbox.origin}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (!response.ok) throw new Error(`fault not accepted: ${await response.text()}`);
}

/** Reads `data.<field>` of a result as a plain object (tests fail loudly when it is missing). */
export function field<T = Record<string, unknown>>(result: Executed, name: string): T {
  const value = result.data?.[name];
  if (value === undefined || value === null) {
    throw new Error(`no data.${name}: ${JSON.stringify({ data: result.data, errors: result.errors })}`);
  }
  return value as T;
}
