/**
 * Start-up: how long `npm start` (compiled `dist/`, the embedded sandbox with its demo data, as on
 * a fresh clone: no configuration, NODE_ENV unset) takes from spawn to its first answer with
 * data, via scripts/startup-time.mjs; then the same for `node dist/cli/main.js` without npm.
 * `dist/` is built first when stale, so the runs time the start alone.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

/** `npm start` answers its first query within this many ms. */
export const STARTUP_TARGET_MS = 3000;

export interface StartupResult {
  command: string;
  times: number[];
  medianMs: number;
  /** Start-up of the bare server file, without npm in front. */
  node: { command: string; times: number[]; medianMs: number };
}

export async function measureStartup(runs: number): Promise<StartupResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['NODE_ENV'];
  await run('node', ['scripts/build-if-stale.mjs'], { cwd: root, env });
  const time = async (command: string[]) => {
    const { stdout } = await run('node', ['scripts/startup-time.mjs', `--runs=${runs}`, '--json', '--', ...command], { cwd: root, env, timeout: 300_000 });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as { command: string; times: number[]; medianMs: number };
  };
  const npm = await time(['npm', 'start']);
  const node = await time(['node', 'dist/cli/main.js']);
  return { ...npm, node };
}
