import type { Plugin } from 'graphql-yoga';

/**
 * The order of the gateway's Yoga plugins, as data: every stage of a request with the reason it
 * sits where it does. Yoga calls each hook (`onRequest`, `onParams`, `onValidate`, `onExecute`,
 * `onResultProcess`, …) in this order, so a stage that ends a request in `onRequest` spares every
 * later stage, and a stage that reads what another decided comes after it.
 *
 * To add a plugin, give it a stage here, at the place its reason holds, and its plugins in
 * `createGateway` (`StagePlugins` makes leaving one out a type error).
 */
export const PIPELINE = [
  {
    stage: 'trustedDocumentsGuard',
    why: 'refuses a document off the allow-list first, so it costs not even a schema read',
  },
  {
    stage: 'requestState',
    why: 'authenticates the caller and settles caller, scope, deadline and schema once; every later hook reads them from here',
  },
  { stage: 'cors', why: 'answers preflights and refuses foreign origins before any body is read' },
  { stage: 'graphiql', why: 'serves the GraphiQL page and its bundle apart from the endpoint, before the GraphQL checks' },
  { stage: 'bodyLimit', why: 'refuses an oversized body before anything parses it' },
  { stage: 'csrfGuard', why: 'refuses the form posts a browser sends cross-site without a preflight, before parsing' },
  {
    stage: 'sseSingleConnection',
    why: "graphql-sse's reservations and streams are its own routes on the endpoint; their operations re-enter the whole pipeline",
  },
  { stage: 'requestChecks', why: 'refuses unservable media types and unreadable GET parameters before parsing' },
  { stage: 'errorStatus', why: 'sets the HTTP status of a refused operation from its code, for every later stage' },
  { stage: 'operationObserver', why: 'gives the request its id and logs, counts and traces everything after it' },
  { stage: 'serviceRoutes', why: '/ready, /metrics and the admin routes answer without GraphQL' },
  {
    stage: 'bulk',
    why: "/export and /import answer NDJSON; each page or batch they run re-enters the whole pipeline as a GraphQL request, and an export page's plain answer is handed back as an object by the result processor set here, which no later stage replaces for a page",
  },
  { stage: 'armor', why: "graphql-armor's depth, alias, token and directive limits, at parse and validation" },
  { stage: 'disableIntrospection', why: 'a validation rule, off when introspection is allowed' },
  { stage: 'validationErrorCode', why: 'after the validation rules above, gives each of their errors a code' },
  { stage: 'documentCache', why: 'keeps parsed and validated documents once every rule that can refuse one has run' },
  {
    stage: 'incrementalDelivery',
    why: '@defer/@stream, or one response for a client that accepts no stream; its rules refuse them on mutations and subscriptions',
  },
  { stage: 'trustedDocuments', why: 'resolves persisted ids to documents and registers automatic persisted queries' },
  { stage: 'operationPlan', why: 'plans the operation once, refuses it over the cost limit or the scope, and reports the cost' },
  { stage: 'compiledExecution', why: 'after the plan, which says whether the operation streams' },
  { stage: 'responseCache', why: 'after the plan: what a read files under and what a write invalidates come from it' },
  { stage: 'compression', why: 'compresses what the stages above answered' },
  { stage: 'unservedStreams', why: 'ends a stream no result processor serves; after every stage that may set one' },
] as const satisfies readonly { stage: string; why: string }[];

export type Stage = (typeof PIPELINE)[number]['stage'];

/** A plugin of Yoga's own context, or one that reads the gateway's (`TContext`). */
export type StagePlugin<TContext extends object> = Plugin | Plugin<TContext>;

/** Each stage's plugins in this configuration; `false` for a stage that is off. */
export type StagePlugins<TContext extends object> = Record<Stage, StagePlugin<TContext> | readonly StagePlugin<TContext>[] | false>;

/** The plugins in pipeline order. */
export function assemblePipeline<TContext extends object>(stages: StagePlugins<TContext>): StagePlugin<TContext>[] {
  return PIPELINE.flatMap(({ stage }): StagePlugin<TContext>[] => {
    const plugins = stages[stage];
    if (plugins === false) return [];
    return isPluginList(plugins) ? [...plugins] : [plugins];
  });
}

function isPluginList<TContext extends object>(
  plugins: StagePlugin<TContext> | readonly StagePlugin<TContext>[],
): plugins is readonly StagePlugin<TContext>[] {
  return Array.isArray(plugins);
}
