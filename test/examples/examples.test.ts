import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import codegenExample from '../../examples/codegen.js';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { printWorkspaceSchema } from '../../src/cli/print-workspace-schema.js';
import { startTestSandbox } from '../helpers/gateway.js';

// Every TypeScript snippet of the README and of the docs pages that took its snippets over is a
// file under examples/, included verbatim, and run here. docs/clients.md shows client
// configurations, which test/clients/ runs; an included block there would be checked all the same.
const root = fileURLToPath(new URL('../..', import.meta.url));
const TOKEN = 'example-caller-token-0123456789';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

const SNIPPET_PAGES = ['README.md', 'docs/embedding.md', 'docs/subscriptions.md'];

async function markdownPages(): Promise<string[]> {
  const docs = (await readdir(join(root, 'docs'))).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  return ['README.md', ...docs.sort()];
}

describe('README and docs code blocks', () => {
  it('are each an examples/ file, included verbatim after its marker', async () => {
    const included = new Set<string>();
    let checked = 0;
    for (const page of await markdownPages()) {
      const text = await readFile(join(root, page), 'utf8');
      for (const [, file, , body] of text.matchAll(/(?:<!-- include: (\S+) -->\n)?```(ts|typescript|js|javascript)\n([\s\S]*?)```/g)) {
        if (file === undefined) {
          expect(SNIPPET_PAGES.includes(page), `${page}: a code block without an include marker:\n${body}`).toBe(false);
          continue;
        }
        expect(body, `${page}: ${file}`).toBe(await readFile(join(root, file), 'utf8'));
        included.add(file);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
    const examples = (await readdir(join(root, 'examples'))).filter((f) => f.endsWith('.ts')).map((f) => `examples/${f}`);
    expect([...included].sort()).toEqual(examples.sort());
  });
});

async function runServerExample(file: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      CLARIFY_API_URL: sandbox.apiUrl,
      CLARIFY_WORKSPACE: sandbox.workspace,
      CLARIFY_API_KEY: sandbox.apiKey,
      GATEWAY_TOKEN: TOKEN,
      PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    await expect.poll(() => /GraphQL at (http:\/\/\S+)/.exec(output)?.[1], { timeout: 60_000, interval: 100 }).toBeTruthy();
    const endpoint = /GraphQL at (http:\/\/\S+)/.exec(output)?.[1] as string;
    const query = (authorization?: string) =>
      fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query: '{ deals(first: 2) { nodes { name company { name } } } }' }),
      });
    const answered = await query(`Bearer ${TOKEN}`);
    const body = (await answered.json()) as { data?: { deals: { nodes: unknown[] } }; extensions?: { cost?: unknown } };
    expect(body.data?.deals.nodes, output).toHaveLength(2);
    expect(body.extensions?.cost).toMatchObject({ actualCalls: 1 });
    expect((await query()).status).toBe(401);
    for (const path of ['/health', '/ready']) {
      expect((await fetch(new URL(path, endpoint))).status, path).toBe(200);
    }
    // With caller tokens, /metrics asks for one too.
    expect((await fetch(new URL('/metrics', endpoint))).status).toBe(401);
    expect((await fetch(new URL('/metrics', endpoint), { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

describe('examples', () => {
  it.each(['examples/node-http.ts', 'examples/express.ts', 'examples/fastify.ts'])(
    '%s serves GraphQL and the service routes over the sandbox',
    async (file) => runServerExample(file),
    90_000,
  );

  it('examples/codegen.ts generates enum types the server accepts and the scalar mapping', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'codegen-example-'));
    try {
      const schema = join(dir, 'schema.graphql');
      await writeFile(schema, await printWorkspaceSchema({ apiUrl: sandbox.apiUrl, workspace: sandbox.workspace, apiKey: sandbox.apiKey }));
      const document = join(dir, 'deals.graphql');
      await writeFile(document, 'query Deals { deals(first: 3) { nodes { name stage closeDate createdAt } } }\n');
      const [target, output] = Object.entries(codegenExample.generates)[0] as [string, CodegenConfig['generates'][string]];
      const config: CodegenConfig = { ...codegenExample, schema, documents: [document], generates: { [join(dir, target)]: output } };
      const [file] = await generate(config, false);
      const code = (file as { content: string }).content;
      expect(code).toMatch(/export type DealStage =[^;]*'PROPOSAL'/);
      expect(code).not.toMatch(/'Proposal'/);
      expect(code).toMatch(/createdAt: string/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
