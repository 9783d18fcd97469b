import { readFile } from 'node:fs/promises';
import { buildSchema, printSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { printWorkspaceSchema } from '../../src/server/print-workspace-schema.js';
import { startTestSandbox, upstreamTotal } from './helpers.js';

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
