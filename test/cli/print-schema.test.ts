import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildSchema, printSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { printWorkspaceSchema } from '../../src/cli/print-workspace-schema.js';
import { startTestSandbox, upstreamTotal } from '../helpers/gateway.js';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

describe('printWorkspaceSchema', () => {
  it('prints the client-facing SDL of a workspace with one /schemas read', async () => {
    const before = await upstreamTotal(sandbox);
    const sdl = await printWorkspaceSchema({ apiUrl: sandbox.apiUrl, workspace: sandbox.workspace, apiKey: sandbox.apiKey });
    expect(await upstreamTotal(sandbox)).toBe(before + 1);
    // It is what the gateway serves: the committed print of the demo workspace, header aside.
    const committed = await readFile(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
    expect(sdl).toBe(committed.replace(/^#[^\n]*\n\n/, ''));
    // Enums carry their GraphQL names, so code generated from it sends values the server accepts.
    const stage = buildSchema(sdl).getType('DealStage');
    expect(stage && 'getValues' in stage ? stage.getValues().map((v) => v.value) : []).toEqual(
      expect.arrayContaining(['PROPOSAL', 'NEGOTIATION']),
    );
    expect(printSchema(buildSchema(sdl))).toBe(sdl.trimEnd());
  });

  it('rejects when the key is wrong', async () => {
    await expect(
      printWorkspaceSchema({ apiUrl: sandbox.apiUrl, workspace: sandbox.workspace, apiKey: 'wrong-key' }),
    ).rejects.toThrow();
  });
});

describe('clarify-graphql print-schema on a pipe', () => {
  it('exits 0 quietly when the reader closes the pipe after one line (| head -1)', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const command = `"${process.execPath}" --import tsx --input-type=module -e "const { runPrintSchema } = await import('./src/cli/print-schema-command.ts'); await runPrintSchema([]);"`;
    // A shell pipe (64 KiB) to a reader that leaves after one line; the schema is larger, so the
    // command is still writing when the pipe closes. The shell exits with the command's status.
    const child = spawn('bash', ['-c', `${command} | head -1; exit \${PIPESTATUS[0]}`], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(stdout).toBe('"""\n');
    expect(stderr).toBe('');
    expect(exit).toBe(0);
  }, 60_000);
});
