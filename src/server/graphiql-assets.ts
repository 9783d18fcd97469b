import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';
import { compress, negotiateEncoding, type Encoding } from './plugins/use-compression.js';

/** The strings Yoga's GraphiQL renderer inlines into its page (9 MB together). */
interface Bundle {
  js: string;
  css: string;
  favicon: string;
  editorWorkerService: string;
  jsonWorker: string;
  graphqlWorker: string;
}

interface Asset {
  type: string;
  body: Uint8Array;
  etag: string;
  encoded: Map<Encoding, Promise<Uint8Array<ArrayBuffer>>>;
}

/** A year: the URLs change with their content, so a browser never needs to ask again. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

function isBundle(value: unknown): value is Bundle {
  if (typeof value !== 'object' || value === null) return false;
  return ['js', 'css', 'favicon', 'editorWorkerService', 'jsonWorker', 'graphqlWorker'].every((key) => typeof Reflect.get(value, key) === 'string');
}

/**
 * The renderer's package exports only the function that inlines the bundle; the bundle is the
 * module beside it, loaded by its file URL (on the first page view, not at start-up).
 */
async function loadBundle(): Promise<Bundle> {
  const entry = createRequire(import.meta.url).resolve('@graphql-yoga/render-graphiql');
  const module: unknown = await import(pathToFileURL(join(dirname(entry), '..', 'esm', 'graphiql.js')).href);
  if (!isBundle(module)) throw new Error('@graphql-yoga/render-graphiql no longer has the bundle this gateway serves.');
  return module;
}

function dataUrlBytes(url: string): { type: string; body: Uint8Array } {
  const [, type, base64] = /^data:([^;,]+);base64,(.*)$/s.exec(url) ?? [];
  if (type === undefined || base64 === undefined) return { type: 'text/plain', body: Buffer.from(url) };
  return { type, body: Buffer.from(base64, 'base64') };
}

/** A JavaScript literal of `value` that cannot end or comment out the `<script>` element it sits in. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/<\/|<!--/g, (found) => (found === '</' ? '<\\/' : '<\\!--'));
}

export interface GraphiQLAssets {
  /** GraphiQL's page: a few KB that load the bundle from the asset URLs. */
  page(options: GraphiQLOptions): Promise<string>;
  /** Serves the assets under `basePath` (GET and HEAD), with ETags and long-lived caching. */
  plugin: Plugin;
}

/**
 * GraphiQL with its scripts, styles, workers and icon served from content-hashed URLs under
 * `basePath` with `Cache-Control: immutable`, apart from the GraphQL endpoint: GraphiQL posts its
 * queries to the endpoint, and a POST makes a browser drop what it cached for that URL. A reload
 * then transfers the page and the introspection, not the 9 MB bundle.
 */
export function createGraphiQLAssets(basePath: string): GraphiQLAssets {
  let loading: Promise<{ urls: Record<string, string>; assets: Map<string, Asset> }> | undefined;

  const load = () =>
    (loading ??= loadBundle().then((bundle) => {
      const assets = new Map<string, Asset>();
      const urls: Record<string, string> = {};
      const add = (key: string, name: string, extension: string, type: string, body: Uint8Array) => {
        const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16);
        const file = `${name}.${hash}.${extension}`;
        assets.set(file, { type, body, etag: `"${hash}"`, encoded: new Map() });
        urls[key] = `${basePath}/${file}`;
      };
      const javascript = 'text/javascript; charset=utf-8';
      add('js', 'graphiql', 'js', javascript, Buffer.from(bundle.js));
      add('css', 'graphiql', 'css', 'text/css; charset=utf-8', Buffer.from(bundle.css));
      add('editorWorkerService', 'editor.worker', 'js', javascript, Buffer.from(bundle.editorWorkerService));
      add('json', 'json.worker', 'js', javascript, Buffer.from(bundle.jsonWorker));
      add('graphql', 'graphql.worker', 'js', javascript, Buffer.from(bundle.graphqlWorker));
      const icon = dataUrlBytes(bundle.favicon);
      add('favicon', 'favicon', 'ico', icon.type, icon.body);
      return { urls, assets };
    }));

  const page = async (options: GraphiQLOptions): Promise<string> => {
    const { urls } = await load();
    const workers = { editorWorkerService: urls['editorWorkerService'], json: urls['json'], graphql: urls['graphql'] };
    const title = (options.title ?? 'GraphiQL').replace(/[<&"]/g, (c) => `&#${c.charCodeAt(0)};`);
    const favicon = (options.favicon ?? urls['favicon']!).replace(/"/g, '&quot;');
    return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${title}</title>
    <link rel="icon" href="${favicon}" />
    <link rel="stylesheet" href="${urls['css']}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <div id="root"></div>
    <script>
      const workers = ${scriptJson(workers)};
      self['MonacoEnvironment'] = { globalAPI: false, getWorkerUrl: (moduleId, label) => workers[label] };
    </script>
    <script src="${urls['js']}"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(window.document.querySelector('#root'), ${scriptJson(options)});
    </script>
  </body>
</html>
`;
  };

  const respond = async (request: Request, asset: Asset): Promise<Response> => {
    const headers = new Headers({ 'cache-control': IMMUTABLE, etag: asset.etag, vary: 'Accept-Encoding', 'content-type': asset.type });
    if (request.headers.get('if-none-match') === asset.etag) return new Response(null, { status: 304, headers });
    const encoding = asset.type.startsWith('image/') ? undefined : negotiateEncoding(request.headers.get('accept-encoding'));
    let body: Uint8Array<ArrayBuffer> = new Uint8Array(asset.body);
    if (encoding) {
      let encoded = asset.encoded.get(encoding);
      if (!encoded) {
        encoded = compress(asset.body, encoding);
        asset.encoded.set(encoding, encoded);
      }
      body = await encoded;
      headers.set('content-encoding', encoding);
    }
    headers.set('content-length', String(body.byteLength));
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
  };

  const plugin: Plugin = {
    async onRequest({ request, url, endResponse }) {
      if (!url.pathname.startsWith(`${basePath}/`)) return;
      const asset = (await load()).assets.get(url.pathname.slice(basePath.length + 1));
      if (!asset || (request.method !== 'GET' && request.method !== 'HEAD')) {
        endResponse(new Response(JSON.stringify({ error: 'not found' }), { status: 404, headers: { 'content-type': 'application/json' } }));
        return;
      }
      endResponse(await respond(request, asset));
    },
  };
  return { page, plugin };
}
