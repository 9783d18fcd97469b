/**
 * `clarify-graphql print-schema [--federation] [--output <file>]`: prints the GraphQL SDL of the
 * configured workspace (the same environment as `npm start`) and exits. Without `CLARIFY_API_KEY`
 * it prints the demo workspace of a sandbox started in-process for the purpose. `--federation`
 * (or `FEDERATION=true`) prints the Federation v2 subgraph SDL a router composes.
 */
import { writeFile } from 'node:fs/promises';
import { ConfigError, loadConfig, type GatewayConfig } from '../config/config.js';
import { printWorkspaceSchema } from './print-workspace-schema.js';

function fail(message: string, code: number): never {
  process.stderr.write(`clarify-graphql: ${message}\n`);
  process.exit(code);
}

const FEDERATION_FLAG = '--federation';

function outputPath(args: string[]): string | undefined {
  for (const [i, arg] of args.entries()) {
    if (arg === FEDERATION_FLAG) continue;
    if (arg === '--output' || arg === '-o') {
      const value = args[i + 1];
      if (!value) fail(`${arg} needs a file name`, 2);
      return value;
    }
    if (arg.startsWith('--output=')) return arg.slice('--output='.length);
    fail(`print-schema: unknown argument "${arg}" (usage: clarify-graphql print-schema [--federation] [--output <file>])`, 2);
  }
  return undefined;
}

async function sdlOf(config: GatewayConfig, federation: boolean): Promise<string> {
  const { apiKey } = config;
  if (config.authMode === 'pass-through' || (!config.sandbox && apiKey === undefined)) {
    fail('print-schema needs CLARIFY_API_KEY (pass-through mode holds no credential to read /schemas with)', 2);
  }
  if (apiKey !== undefined) {
    return printWorkspaceSchema({
      apiUrl: config.apiUrl,
      workspace: config.workspace,
      apiKey,
      timeoutMs: config.requestTimeoutMs,
      federation,
    });
  }
  const { startSandbox } = await import('../sandbox/server.js');
  const sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
  try {
    return await printWorkspaceSchema({ apiUrl: sandbox.apiUrl, workspace: sandbox.workspace, apiKey: sandbox.apiKey, federation });
  } finally {
    await sandbox.close();
  }
}

export async function runPrintSchema(args: string[]): Promise<void> {
  const output = outputPath(args);
  let config: GatewayConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (ConfigError.is(error)) fail(error.message, 2);
    throw error;
  }
  let sdl: string;
  try {
    sdl = await sdlOf(config, args.includes(FEDERATION_FLAG) || config.federation);
  } catch (error) {
    fail(`could not read the workspace schema from ${config.apiUrl}: ${error instanceof Error ? error.message : String(error)}`, 1);
  }
  if (output) {
    await writeFile(output, sdl);
    process.stderr.write(`clarify-graphql: wrote ${output}\n`);
  } else {
    // A reader that stops early (`| head`) closes the pipe: the end of the output, not a failure.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      fail(`could not write the schema: ${error.message}`, 1);
    });
    process.stdout.write(sdl);
  }
}
