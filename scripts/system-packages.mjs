#!/usr/bin/env node
// `pretest`: the suites need two programs from the system: Chromium (the GraphiQL browser test)
// and redis-server (the shared-state tests start their own). Missing ones are installed with
// apt-get when running as root on Debian/Ubuntu; otherwise this stops at once with the command.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Program on PATH → Debian package that provides it. */
export const REQUIRED = [
  { program: 'chromium', debianPackage: 'chromium', purpose: 'the GraphiQL browser test' },
  { program: 'redis-server', debianPackage: 'redis-server', purpose: 'the Redis shared-state tests' },
];

/** The full path of `program` on `path`, or undefined. */
export function which(program, path = process.env.PATH ?? '') {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * What to do about the missing programs: nothing, install them, or stop with the command to run.
 * @param {{ missing: typeof REQUIRED, isRoot: boolean, hasAptGet: boolean }} facts
 */
export function decide({ missing, isRoot, hasAptGet }) {
  if (missing.length === 0) return { action: 'ok' };
  const packages = missing.map((m) => m.debianPackage).join(' ');
  const what = missing.map((m) => `${m.program} (${m.purpose})`).join(' and ');
  if (hasAptGet && isRoot) {
    return { action: 'install', packages: missing.map((m) => m.debianPackage), message: `npm test: installing ${packages} with apt-get for ${what}` };
  }
  const command = hasAptGet
    ? `sudo apt-get update && sudo apt-get install -y ${packages}`
    : `install ${missing.map((m) => m.program).join(' and ')} with your system's package manager (Homebrew: brew install chromium redis)`;
  return {
    action: 'stop',
    message: `npm test needs ${what}, which ${missing.length > 1 ? 'are' : 'is'} not installed.\nRun:\n\n  ${command}\n\nthen npm test again.`,
  };
}

function missingPrograms() {
  return REQUIRED.filter((r) => !which(r.program));
}

function main() {
  const missing = missingPrograms();
  const decision = decide({
    missing,
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    hasAptGet: which('apt-get') !== undefined,
  });
  if (decision.action === 'ok') return 0;
  process.stderr.write(`${decision.message}\n`);
  if (decision.action === 'stop') return 1;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env }).status === 0;
  if (!run(['update', '-qq']) || !run(['install', '-y', '-qq', '--no-install-recommends', ...decision.packages])) {
    process.stderr.write(`npm test: apt-get could not install ${decision.packages.join(' ')}; install them and run npm test again.\n`);
    return 1;
  }
  const still = missingPrograms();
  if (still.length > 0) {
    process.stderr.write(`npm test: ${still.map((m) => m.program).join(' and ')} still not on PATH after apt-get install.\n`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exit(main());
