import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';
import Negotiator from 'negotiator';

export type Encoding = 'br' | 'gzip';

/** What the gateway sends compressed, the preferred first. */
const ENCODINGS: readonly Encoding[] = ['br', 'gzip'];

/** Bodies smaller than this are sent as they are: compressing them saves less than it costs. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Brotli quality 5 and gzip level 6: within 5 % of the best ratio at a tenth of the CPU. */
export async function compress(body: Uint8Array, encoding: Encoding): Promise<Uint8Array<ArrayBuffer>> {
  const compressed = await (encoding === 'br'
    ? brotli(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength },
      })
    : gzipAsync(body, { level: 6 }));
  return new Uint8Array(compressed);
}

/** Picks `br` over `gzip` from an `Accept-Encoding` header, honouring `q=0`; undefined for neither. */
export function negotiateEncoding(header: string | null): Encoding | undefined {
  if (!header) return undefined;
  // negotiator 1.x takes the server's order for equal weights (`preferred`); its typings predate that option.
  const negotiator = new Negotiator({ headers: { 'accept-encoding': header } }) as unknown as {
    encoding(available: Encoding[], options: { preferred: Encoding[] }): string | undefined;
  };
  const chosen = negotiator.encoding([...ENCODINGS], { preferred: [...ENCODINGS] });
  return ENCODINGS.find((encoding) => encoding === chosen);
}

/** Content types worth compressing; event streams and multipart responses stream as they are. */
const COMPRESSIBLE = /^(application\/(json|graphql-response\+json)|text\/(html|plain))\b/i;

/**
 * A page served over and over (GraphiQL's, 9 MB with its scripts inline) is compressed once per
 * encoding and revalidated by ETag, so a reload costs a 304.
 */
class PageCache {
  private page: { text: string; etag: string; encoded: Map<Encoding, Promise<Uint8Array<ArrayBuffer>>> } | undefined;

  entry(text: string) {
    if (this.page?.text !== text) {
      const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
      this.page = { text, etag, encoded: new Map() };
    }
    return this.page;
  }

  encoded(text: string, encoding: Encoding): Promise<Uint8Array<ArrayBuffer>> {
    const entry = this.entry(text);
    let encoded = entry.encoded.get(encoding);
    if (!encoded) {
      encoded = compress(Buffer.from(text), encoding);
      entry.encoded.set(encoding, encoded);
    }
    return encoded;
  }
}

/**
 * Compresses responses with Brotli or gzip when the client accepts it: JSON results, `/metrics`
 * and GraphiQL's page, once they are over `COMPRESSION_THRESHOLD_BYTES`. GraphiQL's page also gets
 * an ETag with `Cache-Control: no-cache`, so browsers revalidate it instead of downloading it again.
 */
export function useCompression(): Plugin {
  const pages = new PageCache();
  return {
    async onResponse({ request, response, setResponse }) {
      const type = response.headers.get('content-type') ?? '';
      if (!response.body || response.headers.has('content-encoding') || !COMPRESSIBLE.test(type)) return;
      const encoding = negotiateEncoding(request.headers.get('accept-encoding'));
      const isPage = type.toLowerCase().startsWith('text/html') && request.method === 'GET';
      if (!encoding && !isPage) return;

      const headers = new Headers(response.headers);
      headers.append('vary', 'Accept-Encoding');
      const init = { status: response.status, statusText: response.statusText, headers };
      if (isPage) {
        const text = await response.text();
        const { etag } = pages.entry(text);
        headers.set('etag', etag);
        headers.set('cache-control', 'no-cache');
        if (request.headers.get('if-none-match') === etag) {
          headers.delete('content-type');
          headers.delete('content-length');
          setResponse(new Response(null, { ...init, status: 304, statusText: 'Not Modified' }));
          return;
        }
        if (!encoding) {
          setResponse(new Response(text, init));
          return;
        }
        const body = await pages.encoded(text, encoding);
        headers.set('content-encoding', encoding);
        headers.set('content-length', String(body.byteLength));
        setResponse(new Response(body, init));
        return;
      }

      const plain = new Uint8Array(await response.arrayBuffer());
      if (plain.byteLength < COMPRESSION_THRESHOLD_BYTES || !encoding) {
        setResponse(new Response(plain, init));
        return;
      }
      const body = await compress(plain, encoding);
      headers.set('content-encoding', encoding);
      headers.set('content-length', String(body.byteLength));
      setResponse(new Response(body, init));
    },
  };
}
