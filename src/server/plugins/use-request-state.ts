import type { Tracer } from '@opentelemetry/api';
import { GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { ClarifyClient } from '../../client/clarify-client.js';
import { codedError } from '../../errors/coded-error.js';
import { errorCodeInfo } from '../../errors/codes.js';
import type { LiveContext, LiveFeeds } from '../../live/feeds.js';
import { createRequestContext, type GatewayContext } from '../../loaders/request-context.js';
import type { WriteLock } from '../../loaders/write-lock.js';
import type { AccessScope } from '../../plan/field-info.js';
import type { WorkspaceModel } from '../../workspace/model.js';
import { credentialFingerprint } from '../../client/credential-fingerprint.js';
import type { Authenticator } from '../auth.js';
import type { Logger } from '../../observability/logger.js';
import { maskError, upstreamErrorCode } from '../mask-error.js';
import { ObservedCallLog } from '../../observability/observed-call-log.js';
import type { SchemaSnapshot, SchemaSource } from '../schema-holder.js';

/** What resolvers receive: the loaders' context plus the request id and the caller's scope. */
export type GatewayRequestContext = GatewayContext & LiveContext & { requestId: string; scope: AccessScope };

/** Finished schema jobs remembered, so asking about one again does not reload again. */
const RELOADED_JOBS_KEPT = 1_000;

/** What one request settled before execution: who asks, and which schema answers. */
export interface RequestState {
  requestId: string;
  credential: string;
  /** What the caller's token allows. */
  scope: AccessScope;
  /** Who limits count the request against (`AuthDecision.caller`). */
  caller: string;
  snapshot: SchemaSnapshot<WorkspaceModel>;
}

export interface RequestStateOptions {
  authenticate: Authenticator;
  source: SchemaSource<WorkspaceModel>;
  client: ClarifyClient;
  logger: Logger;
  tracer: Tracer | undefined;
  requestTimeoutMs: number;
  requestIdOf(request: Request): string;
  /** Shared by every request, so relationship edits on one record do not interleave. */
  writeLock: WriteLock;
  /** Subscription feeds, for the subscription fields; absent when subscriptions are off. */
  live?: LiveFeeds;
}

export interface RequestStatePlugin {
  plugin: Plugin<GatewayRequestContext>;
  /** The state of a request whose schema is settled (for other plugins). */
  stateOf(request: Request): RequestState | undefined;
}

function unauthenticated(message: string): GraphQLError {
  return codedError(message, 'UNAUTHENTICATED', { http: { headers: { 'www-authenticate': 'Bearer' } } });
}

/** The status of a failed schema load: the table's, unless it would blame the caller or the gateway. */
function schemaLoadStatus(code: unknown): number {
  const info = errorCodeInfo(code);
  return !info || info.userError || code === 'INTERNAL_SERVER_ERROR' ? 503 : info.status;
}

/** A failure to load the schema for a request, as the caller should see it. */
function schemaLoadError(error: unknown): GraphQLError {
  const code = upstreamErrorCode(error);
  if (code === 'UNAUTHENTICATED') return unauthenticated('Clarify rejected the credential.');
  const masked = maskError(error, 'The workspace schema could not be loaded.');
  const maskedCode = (masked instanceof GraphQLError && masked.extensions.code) || 'UPSTREAM_UNAVAILABLE';
  return codedError('The workspace schema could not be loaded from Clarify.', maskedCode, { http: { status: schemaLoadStatus(maskedCode) } });
}

/**
 * Owns the per-request state, in order: authenticate the caller, take the schema snapshot the
 * request keeps to its end, and build the resolvers' context from both. Keyed by the `Request`
 * in a WeakMap, so nothing outlives the request.
 */
export function useRequestState(options: RequestStateOptions): RequestStatePlugin {
  const states = new WeakMap<Request, RequestState>();
  const reloadedJobs = new LRUCache<string, Promise<boolean>>({ max: RELOADED_JOBS_KEPT });

  /** The caller's own schema, reloaded; once per finished job (concurrent askers share the reload). */
  const reloadFor = (credential: string, job: string | undefined): Promise<boolean> => {
    if (job === undefined) return options.source.reloadFor(credential);
    const key = `${credentialFingerprint(credential)}:${job}`;
    let reload = reloadedJobs.get(key);
    if (!reload) {
      reload = options.source.reloadFor(credential);
      reloadedJobs.set(key, reload);
      reload.catch(() => reloadedJobs.delete(key));
    }
    return reload;
  };

  const settle = async (request: Request): Promise<void> => {
    const decision = options.authenticate(request.headers.get('authorization'));
    if (!decision.ok) throw unauthenticated(decision.reason);
    let snapshot: SchemaSnapshot<WorkspaceModel>;
    try {
      snapshot = await options.source.snapshotFor(decision.credential);
    } catch (error) {
      throw schemaLoadError(error);
    }
    states.set(request, { requestId: options.requestIdOf(request), credential: decision.credential, scope: decision.scope, caller: decision.caller, snapshot });
  };

  const stateOf = (request: Request | undefined): RequestState => {
    const state = request ? states.get(request) : undefined;
    if (!state) throw new Error('No request state: the request was not authenticated.');
    return state;
  };

  const plugin: Plugin<GatewayRequestContext> = {
    onRequestParse({ request }) {
      return { onRequestParseDone: () => settle(request) };
    },
    onEnveloped({ context, setSchema }) {
      setSchema(stateOf(context?.request).snapshot.schema);
    },
    onContextBuilding({ context, extendContext }) {
      const request = context.request;
      const state = stateOf(request);
      const requestContext = createRequestContext({
        client: options.client,
        model: state.snapshot.model,
        credential: state.credential,
        signal: request.signal,
        deadline: Date.now() + options.requestTimeoutMs,
        calls: new ObservedCallLog(options.logger, state.requestId, options.tracer),
        writeLock: options.writeLock,
        requestId: state.requestId,
        reloadSchema: (job) => reloadFor(state.credential, job),
      });
      extendContext({ ...requestContext, requestId: state.requestId, scope: state.scope, live: options.live, caller: state.caller });
    },
    // The request's record store is emptied once its answer is made (or its last streamed part).
    // A request that outlives a young-generation collection or two has its store promoted, and a
    // promoted store that still held this request's records would keep them, and the upstream
    // JSON they point into, alive until the next full collection: an export's pages would then
    // pile up in the old generation at the rate they are read.
    onExecute({ args }) {
      const { records } = args.contextValue;
      return {
        onExecuteDone({ result }) {
          if (!isAsyncIterable(result)) {
            records.forgetAll();
            return undefined;
          }
          return { onEnd: () => records.forgetAll() };
        },
      };
    },
  };
  return { plugin, stateOf: (request) => states.get(request) };
}
