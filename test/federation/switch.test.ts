import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.js';

const run = promisify(execFile);

describe('FEDERATION', () => {
  it('is off unless set, and reads like the other booleans', () => {
    expect(parseConfig({}).federation).toBe(false);
    expect(parseConfig({ FEDERATION: 'true' }).federation).toBe(true);
    expect(parseConfig({ FEDERATION: ' On ' }).federation).toBe(true);
    expect(parseConfig({ FEDERATION: '0' }).federation).toBe(false);
  });

  it('refuses a value that is not a boolean, with the other problems', () => {
    expect(() => parseConfig({ FEDERATION: 'subgraph' })).toThrow(ConfigError);
    expect(() => parseConfig({ FEDERATION: 'subgraph' })).toThrow(/FEDERATION/);
  });
});

describe('clarify-graphql print-schema --federation', () => {
  /** Runs the command in a child process over a sandbox it starts itself, as `npx clarify-graphql print-schema` does. */
  async function printSchemaCommand(args: string[], env: Record<string, string> = {}): Promise<string> {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const script = `const { runPrintSchema } = await import('./src/cli/print-schema-command.ts'); await runPrintSchema(${JSON.stringify(args)});`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  }

  // Without either it prints the committed schema (subgraph.test.ts, and `npm run schema:check`).
  it('prints the subgraph SDL with the flag or with FEDERATION=true', async () => {
    const flagged = await printSchemaCommand(['--federation']);
    expect(flagged.startsWith('extend schema\n  @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])')).toBe(true);
    expect(flagged).toContain('@key(fields: "clarifyId")');
    expect(await printSchemaCommand([], { FEDERATION: 'true' })).toBe(flagged);
  }, 60_000);
});
