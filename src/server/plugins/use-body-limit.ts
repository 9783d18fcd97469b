import type { Plugin } from 'graphql-yoga';
import { refusalResponse } from '../../errors/refusal.js';
import { refusalExtensions } from './use-operation-plan.js';

function payloadTooLarge(limit: number, costLimit: number): Response {
  return refusalResponse('PAYLOAD_TOO_LARGE', `Request body is larger than the limit of ${limit} bytes.`, { extensions: refusalExtensions(costLimit), headers: { connection: 'close' } });
}

/**
 * How much of a refused body is read and thrown away before the 413 is sent. A client that is
 * still sending when the connection closes gets a reset instead of the answer (Node's fetch reports
 * EPIPE), so a body up to this size is drained first; a larger one, or one still arriving after
 * `DRAIN_DEADLINE_MS`, gets the answer and the connection closed at once.
 */
const DRAIN_BYTES = 16 * 1024 * 1024;
const DRAIN_DEADLINE_MS = 10_000;
const drainBudget = (limit: number) => Math.max(DRAIN_BYTES, 2 * limit);

/** Reads and discards the rest of a refused body, within `budget` bytes (counting `alreadyRead`) and the deadline. */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number, budget: number): Promise<void> {
  let size = alreadyRead;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), DRAIN_DEADLINE_MS);
  });
  try {
    while (size <= budget) {
      const next = await Promise.race([reader.read(), expired]);
      if (next === 'expired' || next.done) break;
      size += next.value.byteLength;
    }
  } catch {
    // The client went away; nothing is left to answer.
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => undefined);
  }
}

/** Reads a body stream; undefined (with the rest drained) as soon as it passes `limit` bytes. */
async function readLimited(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await discardRest(reader, size, drainBudget(limit));
      return undefined;
    }
    chunks.push(value);
  }
  const joined = new Uint8Array(new ArrayBuffer(size));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}

/**
 * Answers 413 for a body over the limit, before it is parsed: from `Content-Length` when the
 * client sent one, otherwise by reading at most `limit + 1` bytes of the stream. The rest of a
 * refused body is drained (up to `DRAIN_BYTES`, or twice the limit), so every HTTP client can read
 * the answer. Paths `exempt` says yes to are left to their route.
 */
export function useBodyLimit(limit: number, costLimit: number, onReject?: () => void, exempt?: (url: URL) => boolean): Plugin {
  return {
    async onRequest({ request, url, setRequest, endResponse, fetchAPI }) {
      if (request.method === 'GET' || request.method === 'HEAD' || request.body === null) return;
      // A streamed route that reads its body line by line, with limits of its own (`/import`).
      if (exempt?.(url)) return;
      const declared = Number(request.headers.get('content-length') ?? Number.NaN);
      if (Number.isFinite(declared)) {
        if (declared > limit) {
          onReject?.();
          if (declared <= drainBudget(limit)) await discardRest(request.body.getReader(), 0, drainBudget(limit));
          endResponse(payloadTooLarge(limit, costLimit));
        }
        return;
      }
      const body = await readLimited(request.body, limit);
      if (body === undefined) {
        onReject?.();
        endResponse(payloadTooLarge(limit, costLimit));
        return;
      }
      setRequest(
        new fetchAPI.Request(request.url, {
          method: request.method,
          headers: request.headers,
          body,
          signal: request.signal,
        }),
      );
    },
  };
}

