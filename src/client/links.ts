/**
 * Where the client may send requests: the configured origin under `/…/workspaces/{slug}/`.
 * An upstream `links.next` is followed only when it stays inside that prefix, so a response can
 * never steer a credential to another host or another workspace.
 */

export interface UpstreamBase {
  /** `http://host:port`, no trailing slash. */
  origin: string;
  /** `/v1/workspaces/demo`, percent-encoded, no trailing slash. */
  workspacePath: string;
}

/** Splits a configured `apiUrl` + workspace slug into origin and workspace path. */
export function upstreamBase(apiUrl: string, workspace: string): UpstreamBase {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new TypeError('apiUrl is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('apiUrl must be http or https');
  if (url.username !== '' || url.password !== '') throw new TypeError('apiUrl must not carry user info');
  if (url.search !== '' || url.hash !== '') throw new TypeError('apiUrl must not carry a query or fragment');
  if (workspace.trim() === '') throw new TypeError('workspace must not be empty');
  const basePath = url.pathname.replace(/\/+$/, '');
  return { origin: url.origin, workspacePath: `${basePath}/workspaces/${encodeURIComponent(workspace)}` };
}

/**
 * The request target (`path?query`) of a `links.next` URL when it is safe to follow, or
 * `undefined` when it points anywhere else: another origin, another workspace, outside the
 * API base, or carries user info. Relative links resolve against the origin first.
 */
export function followableTarget(link: string, base: UpstreamBase): string | undefined {
  let url: URL;
  try {
    url = new URL(link, `${base.origin}/`);
  } catch {
    return undefined;
  }
  if (url.origin !== base.origin) return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  // WHATWG URL parsing has already collapsed `..` and `%2e%2e` segments here.
  if (!url.pathname.startsWith(`${base.workspacePath}/`)) return undefined;
  return `${url.pathname}${url.search}`;
}
