import type { UnderlyingSource } from 'node:stream/web';

/** The media type of newline-delimited JSON, as both bulk endpoints answer and `/import` reads. */
export const NDJSON_TYPE = 'application/x-ndjson';

/** One value as an NDJSON line (JSON never holds a raw newline, so the line is whole). */
export function ndjsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/** A line of an NDJSON body: its number (from 1), and its text or that it was longer than the limit. */
export type InputLine = { number: number; text: string; tooLong?: undefined } | { number: number; text?: undefined; tooLong: true };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * The lines of a streamed body, read as they arrive: nothing but the current line is held, and a
 * line over `maxLineBytes` is skipped to its end (and reported as too long) rather than kept.
 * `\n` and `\r\n` both end a line; a last line without one counts too.
 */
export async function* readLines(body: ReadableStream<Uint8Array>, maxLineBytes: number): AsyncGenerator<InputLine> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let parts: Uint8Array[] = [];
  let size = 0;
  let skipping = false;
  let number = 0;
  const take = (): InputLine => {
    number++;
    if (skipping) {
      skipping = false;
      return { number, tooLong: true };
    }
    const joined = new Uint8Array(size);
    let offset = 0;
    for (const part of parts) {
      joined.set(part, offset);
      offset += part.byteLength;
    }
    parts = [];
    size = 0;
    const end = joined.byteLength > 0 && joined[joined.byteLength - 1] === CARRIAGE_RETURN ? joined.byteLength - 1 : joined.byteLength;
    if (end > maxLineBytes) return { number, tooLong: true };
    return { number, text: decoder.decode(joined.subarray(0, end)) };
  };
  const add = (bytes: Uint8Array) => {
    if (skipping || bytes.byteLength === 0) return;
    // One byte more is allowed for a `\r` before the newline.
    if (size + bytes.byteLength > maxLineBytes + 1) {
      skipping = true;
      parts = [];
      size = 0;
      return;
    }
    parts.push(bytes);
    size += bytes.byteLength;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let start = 0;
      for (let at = value.indexOf(NEWLINE); at !== -1; at = value.indexOf(NEWLINE, start)) {
        add(value.subarray(start, at));
        yield take();
        start = at + 1;
      }
      // Copied: the chunk's buffer may be reused by the stream.
      if (start < value.byteLength) add(value.slice(start));
    }
    if (size > 0 || skipping) yield take();
  } finally {
    reader.releaseLock();
  }
}

/**
 * A 200 answer streaming NDJSON from `source`. The body has no high-water mark: `source` is asked
 * for more only once the caller's socket has taken what it wrote, so no page or batch is run
 * ahead of the caller's reading.
 */
export function ndjsonResponse(source: UnderlyingSource<Uint8Array>): Response {
  return new Response(new ReadableStream<Uint8Array>(source, { highWaterMark: 0 }), {
    status: 200,
    headers: { 'content-type': `${NDJSON_TYPE}; charset=utf-8`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  });
}
