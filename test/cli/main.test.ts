import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { killStartedMains, startMain, type MainProcess } from '../helpers/main-process.js';
import { upstreamCount } from '../helpers/gateway.js';

// `npm start` as a process: configuration errors, the embedded sandbox, serving, shutdown.

afterAll(killStartedMains);

/** The process with its exit code alone. */
function start(env: Record<string, string>): Omit<MainProcess, 'exit'> & { exit: Promise<number | null> } {
  const run = startMain(env);
  return { ...run, exit: run.exit.then(({ code }) => code) };
}

/** The first capture of `pattern` in the process's output, once it has been printed. */
function printed(run: Pick<MainProcess, 'output'>, pattern: RegExp, timeout: number): Promise<string> {
  return vi.waitFor(
    () => {
      const found = pattern.exec(run.output())?.[1];
      if (found === undefined) throw new Error(`${String(pattern)} not printed yet:\n${run.output()}`);
      return found;
    },
    { timeout, interval: 50 },
  );
}

/** Holds a loopback port the way another running server would. */
async function occupy(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

describe.concurrent('npm start with a port taken', () => {
  it('names PORT in one line and exits 2 before starting the sandbox', async () => {
    const taken = await occupy();
    try {
      const run = start({ PORT: String(taken.port) });
      expect(await run.exit).toBe(2);
      expect(run.output().trim()).toBe(
        `clarify-graphql: 127.0.0.1:${taken.port} (PORT) is already in use (another clarify-graphql?); stop it or set PORT to a free port.`,
      );
    } finally {
      taken.server.close();
    }
  }, 60_000);

  it('names both variables when PORT and SANDBOX_PORT are taken', async () => {
    const [gateway, sandbox] = await Promise.all([occupy(), occupy()]);
    try {
      const run = start({ PORT: String(gateway.port), SANDBOX_PORT: String(sandbox.port) });
      expect(await run.exit).toBe(2);
      const lines = run.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^clarify-graphql: .* \(PORT\) and .* \(SANDBOX_PORT\) are already in use.*set PORT and SANDBOX_PORT/);
      expect(run.output()).not.toMatch(/EADDRINUSE|\n\s+at /);
    } finally {
      gateway.server.close();
      sandbox.server.close();
    }
  }, 60_000);
});

describe.concurrent('npm start', () => {
  it('refuses a server key with no tokens on a non-loopback host', async () => {
    const run = start({ CLARIFY_API_KEY: 'secret', CLARIFY_WORKSPACE: 'acme', HOST: '0.0.0.0', PORT: '0' });
    const code = await run.exit;
    expect(code).not.toBe(0);
    expect(run.output()).toMatch(/GATEWAY_TOKENS: required in server-key mode when HOST \(0\.0\.0\.0\)/);
    expect(run.output()).not.toContain('secret');
  }, 60_000);

  it('reports every configuration problem at once', async () => {
    const run = start({ PORT: 'x', MAX_DEPTH: '-1', GATEWAY_AUTH_MODE: 'sometimes' });
    expect(await run.exit).not.toBe(0);
    expect(run.output()).toMatch(/PORT/);
    expect(run.output()).toMatch(/MAX_DEPTH/);
    expect(run.output()).toMatch(/GATEWAY_AUTH_MODE/);
  }, 60_000);

  it('starts the embedded sandbox, answers with no headers, reloads on SIGHUP, and drains on SIGTERM', async ({ expect }) => {
    // No SANDBOX_PORT: the embedded sandbox takes any free port.
    const run = start({ PORT: '0', LOG_LEVEL: 'info' });
    const post = (endpoint: string, query: string) =>
      fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      }).then((r) => r.json() as Promise<{ data?: Record<string, unknown>; errors?: unknown[] }>);
    let inFlight: Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> | undefined;
    try {
      const endpoint = await printed(run, /"endpoint":"(http:\/\/[^"]+)"/, 60_000);
      const apiUrl = /"apiUrl":"(http:\/\/[^"]+)"/.exec(run.output())?.[1] as string;
      expect(run.output()).toMatch(/embedded sandbox/);
      const body = await post(endpoint, '{ deals(first: 2) { nodes { name company { name } } } }');
      expect((body.data?.['deals'] as { nodes: unknown[] }).nodes).toHaveLength(2);
      const page = await fetch(endpoint, { headers: { accept: 'text/html' } });
      expect(await page.text()).toContain('Clarify GraphQL');

      // SIGHUP: a custom object created upstream becomes queryable without a restart.
      const created = await fetch(`${apiUrl}/workspaces/demo/schemas/objects`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'api-key sandbox-key' },
        body: JSON.stringify({ name: 'Parcel', plural: 'Parcels' }),
      });
      expect(created.status).toBe(201);
      run.child.kill('SIGHUP');
      await expect
        .poll(async () => (await post(endpoint, '{ __type(name: "Parcel") { name } }')).data?.['__type'], {
          timeout: 20_000,
          interval: 200,
        })
        .toEqual({ name: 'Parcel' });

      // SIGTERM while a slow query is in flight: it still completes, then the process exits 0.
      const sandbox = { origin: new URL(apiUrl).origin };
      const LIST = 'GET /objects/:object/resources';
      await fetch(`${sandbox.origin}/__sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ route: LIST, delayMs: 1500, count: 1 }),
      });
      const listed = await upstreamCount(sandbox, LIST);
      inFlight = post(endpoint, '{ companies(first: 1) { nodes { name } } }');
      // SIGTERM only once the query's upstream call is out and held by the sandbox.
      await expect.poll(() => upstreamCount(sandbox, LIST)).toBe(listed + 1);
    } finally {
      run.child.kill('SIGTERM');
    }
    const drained = await inFlight;
    expect(drained?.errors).toBeUndefined();
    expect((drained?.data?.['companies'] as { nodes: unknown[] }).nodes).toHaveLength(1);
    expect(await run.exit).toBe(0);
    expect(run.output()).toMatch(/"msg":"stopped"/);
  }, 90_000);
});

describe('npm start with the settings of this version', () => {
  it('serves a Federation v2 subgraph with FEDERATION=true, and applies IMPORT_MAX_LINES to /import', async () => {
    const run = start({ PORT: '0', LOG_LEVEL: 'info', FEDERATION: 'true', IMPORT_MAX_LINES: '2' });
    try {
      const endpoint = await printed(run, /"endpoint":"(http:\/\/[^"]+)"/, 60_000);
      const service = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      }).then((r) => r.json() as Promise<{ data?: { _service?: { sdl?: string } } }>);
      expect(service.data?._service?.sdl).toContain('@key(fields: "id")');
      // The import line limit reached the gateway: the third line ends the answer with an error trailer.
      const origin = new URL(endpoint).origin;
      const lines = ['{"name":"A"}', '{"name":"B"}', '{"name":"C"}'].join('\n');
      const imported = await fetch(`${origin}/import/company`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: lines });
      const answer = (await imported.text()).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(answer.at(-1)).toMatchObject({ errors: [{ message: expect.stringContaining('at most 2 lines') as unknown, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
    } finally {
      run.child.kill('SIGTERM');
      await run.exit;
    }
  });
});
