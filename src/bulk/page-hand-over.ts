import { randomBytes } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, processRegularResult, type Plugin } from 'graphql-yoga';

/** The header that marks an export's own page requests, with the page's token. */
const PAGE_HEADER = 'x-bulk-export-page';

/**
 * Hands an export page's answer from `/graphql` back to the export as the object execution made.
 * A page is written out line by line, so serialising it whole only to parse it again would
 * double the work and leave two more copies of every page for the collector. A page whose answer
 * has errors, or HTTP settings of its own, is answered exactly as `/graphql` answers it.
 */
export interface PageHandOver {
  /** A new page: the headers that mark its request, and its token. */
  open(): { token: string; headers: Record<string, string> };
  /** The page's answer, when it was handed over; the page is closed either way. */
  close(token: string): ExecutionResult | undefined;
  /** Whether a request is an export's page (which no caller can send). */
  isPage(request: Request): boolean;
  /** The stage's hook: sets the processor of an export page's result. */
  onResultProcess: NonNullable<Plugin['onResultProcess']>;
}

/** Whether `/graphql` would answer this result as JSON of `data` and `extensions` alone. */
function isPlainAnswer(result: ExecutionResult): boolean {
  return (result.errors?.length ?? 0) === 0 && result.extensions?.['http'] === undefined;
}

export function createPageHandOver(): PageHandOver {
  // Unguessable, so no caller's request passes for a page; each page adds its number.
  const mark = `${randomBytes(18).toString('base64url')}.`;
  let opened = 0;
  // Pages awaited, with their answer once handed over.
  const pages = new Map<string, ExecutionResult | undefined>();

  const tokenOf = (request: Request): string | undefined => {
    const value = request.headers.get(PAGE_HEADER);
    return value !== null && value.startsWith(mark) ? value : undefined;
  };

  return {
    open() {
      const token = `${mark}${++opened}`;
      pages.set(token, undefined);
      return { token, headers: { [PAGE_HEADER]: token } };
    },
    close(token) {
      const result = pages.get(token);
      pages.delete(token);
      return result;
    },
    isPage: (request) => tokenOf(request) !== undefined,
    onResultProcess({ request, result, setResultProcessor }) {
      const token = tokenOf(request);
      if (token === undefined || Array.isArray(result) || isAsyncIterable(result)) return;
      setResultProcessor((final, fetchAPI, accepted) => {
        // A page no export awaits any more (it was cancelled) is answered as JSON, and dropped.
        if (Array.isArray(final) || isAsyncIterable(final) || !isPlainAnswer(final) || !pages.has(token)) {
          return processRegularResult(final, fetchAPI, accepted);
        }
        pages.set(token, final);
        return new fetchAPI.Response(null, { status: 200, headers: { 'cache-control': 'no-store' } });
      }, 'application/graphql-response+json');
    },
  };
}
