import type { Plugin } from 'graphql-yoga';

/**
 * Ends a stream (a subscription, or a query with `@defer`/`@stream`) that no result processor
 * will serve because the request accepts neither `text/event-stream` nor `multipart/mixed`: Yoga
 * answers 406 but leaves the stream open, and an open subscription keeps its feed polling
 * Clarify with no one to read it. Must come after every plugin that may set a result processor.
 */
export function useUnservedStreams(): Plugin {
  return {
    onResultProcess({ result, resultProcessor }) {
      if (resultProcessor || typeof result !== 'object' || result === null || !(Symbol.asyncIterator in result)) return;
      const iterator = result as AsyncIterableIterator<unknown>;
      void iterator.return?.()?.catch(() => undefined);
    },
  };
}
