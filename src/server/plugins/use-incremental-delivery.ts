import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { visit, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { IncrementalFormatConverter, type IncrementalPayload } from './incremental-format.js';

/** `2022`: the format of `deferSpec=20220824` (graphql-js 17 alpha 2); `v0.2`: `incrementalSpec=v0.2` (graphql-js 17 alpha 9). */
export type IncrementalFormat = '2022' | 'v0.2';

const INCREMENTAL_TYPES = new Set(['multipart/mixed', 'text/event-stream']);

/**
 * The incremental format a request asks for with its `Accept` header: its most preferred
 * `multipart/mixed` or `text/event-stream` entry decides (`incrementalSpec=v0.2` asks for the
 * current format, anything else for 2022); undefined when it names neither (wildcards do not
 * count: a client that did not ask for a stream gets one response).
 */
export function incrementalFormatOf(accept: string | null): IncrementalFormat | undefined {
  let best: { q: number; format: IncrementalFormat } | undefined;
  for (const entry of (accept ?? '').split(',')) {
    const [type = '', ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
    if (!INCREMENTAL_TYPES.has(type)) continue;
    const values = new Map(parameters.map((parameter) => parameter.split('=').map((part) => part.trim().replace(/^"|"$/g, '')) as [string, string]));
    const q = values.has('q') ? Number(values.get('q')) : 1;
    if (!(q > 0)) continue;
    const format: IncrementalFormat = values.get('incrementalspec') === 'v0.2' ? 'v0.2' : '2022';
    if (!best || q > best.q) best = { q, format };
  }
  return best?.format;
}

function isIncrementalDirective(name: string): boolean {
  return name === 'defer' || name === 'stream';
}

function hasIncrementalDirectives(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Directive(node) {
      if (isIncrementalDirective(node.name.value)) found = true;
    },
  });
  return found;
}

/** The document without `@defer` and `@stream`: the same selections, answered at once. */
function withoutIncrementalDirectives(document: DocumentNode): DocumentNode {
  return visit(document, {
    Directive(node) {
      return isIncrementalDirective(node.name.value) ? null : undefined;
    },
  });
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * `@defer` and `@stream`, decided from the request's `Accept` before anything runs:
 * - a request that accepts `multipart/mixed` or `text/event-stream` gets incremental delivery, in
 *   the format it asks for (see `incrementalFormatOf`);
 * - any other request (`application/json`, `application/graphql-response+json`, `*` wildcards)
 *   gets the whole result in one ordinary response: the directives are a hint, and the document
 *   runs without them (same plan, same calls, compiled like any other).
 * Yoga's defer-stream plugin adds the directives and their validation rules. Must come before the
 * plugins that read the document in `onExecute` (plan, compiled execution, response cache).
 */
export function useIncrementalDelivery(): Plugin[] {
  const incremental = new WeakMap<DocumentNode, boolean>();
  const plain = new WeakMap<DocumentNode, DocumentNode>();
  const decide: Plugin = {
    onExecute({ args }) {
      const { document } = args;
      let known = incremental.get(document);
      if (known === undefined) {
        known = hasIncrementalDirectives(document);
        incremental.set(document, known);
      }
      if (!known) return;
      const request = (args.contextValue as { request?: Request } | undefined)?.request;
      const format = incrementalFormatOf(request?.headers.get('accept') ?? null);
      if (format === undefined) {
        let stripped = plain.get(document);
        if (!stripped) {
          stripped = withoutIncrementalDirectives(document);
          plain.set(document, stripped);
          incremental.set(stripped, false);
        }
        // The later plugins read this same `args`: they plan, compile and cache the plain document.
        args.document = stripped;
        return;
      }
      if (format === '2022') return;
      const converter = new IncrementalFormatConverter(
        args.schema,
        document,
        args.operationName,
        (args.variableValues ?? {}) as Record<string, unknown>,
      );
      return {
        onExecuteDone({ result }) {
          if (!isAsyncIterable(result)) return;
          return {
            onNext({ result: payload, setResult }) {
              setResult(converter.convert(payload as IncrementalPayload));
            },
          };
        },
      };
    },
  };
  return [useDeferStream(), decide];
}
