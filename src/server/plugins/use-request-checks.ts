import Negotiator from 'negotiator';
import type { Plugin } from 'graphql-yoga';
import { codedError } from '../../errors/coded-error.js';
import { depthOf, MAX_JSON_DEPTH } from '../../schema/core/input-scalars.js';
import { refusalResponse } from '../../errors/refusal.js';
import { refusalExtensions } from './use-operation-plan.js';

/** Media types a GraphQL response can be sent as. */
const RESULT_TYPES = ['application/graphql-response+json', 'application/json', 'multipart/mixed', 'text/event-stream'];

/** The same, with the parameters that choose an incremental format (an `Accept` entry with parameters matches only these). */
const NEGOTIABLE_TYPES = [...RESULT_TYPES, 'multipart/mixed;deferSpec=20220824', 'multipart/mixed;incrementalSpec=v0.2', 'text/event-stream;incrementalSpec=v0.2'];

/** The media types this request could be answered with (GraphiQL's page only for a browser GET). */
function servable(method: string, graphiql: boolean): string[] {
  return method === 'GET' && graphiql ? [...RESULT_TYPES, 'text/html'] : RESULT_TYPES;
}

/** Whether a GET parameter that must hold JSON (`variables`, `extensions`) holds JSON. */
function unreadableJsonParameter(url: URL): string | undefined {
  for (const name of ['variables', 'extensions']) {
    const value = url.searchParams.get(name);
    if (value === null || value === '') continue;
    try {
      JSON.parse(value);
    } catch {
      return name;
    }
  }
  return undefined;
}

/**
 * Checks on the HTTP request itself, before anything is parsed or executed (so a refused request
 * costs no upstream call and writes nothing):
 * - an `Accept` header that names no media type the gateway can answer with gets 406;
 * - a GET whose `variables` or `extensions` parameter is not JSON gets 400 `BAD_USER_INPUT`;
 * - `variables` or `extensions` nested deeper than `MAX_JSON_DEPTH` get `BAD_USER_INPUT`, before
 *   any later step walks them recursively.
 */
export function useRequestChecks(options: { graphqlEndpoint: string; graphiql: boolean; costLimit: number }): Plugin {
  return {
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== options.graphqlEndpoint || request.method === 'OPTIONS') return;
      const accept = request.headers.get('accept');
      if (accept !== null && accept.trim() !== '') {
        const available = servable(request.method, options.graphiql);
        const negotiable = [...NEGOTIABLE_TYPES, ...available.filter((type) => !RESULT_TYPES.includes(type))];
        if (new Negotiator({ headers: { accept } }).mediaTypes(negotiable).length === 0) {
          endResponse(
            refusalResponse('NOT_ACCEPTABLE', `The Accept header names no media type the gateway can answer with; use one of: ${available.join(', ')}.`, {
              extensions: refusalExtensions(options.costLimit),
            }),
          );
          return;
        }
      }
      if (request.method === 'GET') {
        const parameter = unreadableJsonParameter(url);
        if (parameter !== undefined) endResponse(refusalResponse('BAD_USER_INPUT', `The \`${parameter}\` parameter is not valid JSON.`, { extensions: refusalExtensions(options.costLimit) }));
      }
    },
    onRequestParse() {
      return {
        onRequestParseDone({ requestParserResult }) {
          for (const params of Array.isArray(requestParserResult) ? requestParserResult : [requestParserResult]) {
            for (const [name, value] of [['variables', params.variables], ['extensions', params.extensions]] as const) {
              // The object itself is one level; its values may nest MAX_JSON_DEPTH more.
              if (depthOf(value, MAX_JSON_DEPTH + 1) > MAX_JSON_DEPTH + 1) {
                throw codedError(`\`${name}\` nests deeper than ${MAX_JSON_DEPTH} levels of lists and objects.`, 'BAD_USER_INPUT', { http: { spec: true } });
              }
            }
          }
        },
      };
    },
  };
}
