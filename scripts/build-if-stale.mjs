#!/usr/bin/env node
// `prestart`/`presandbox`: compiles src/ to dist/ when dist/ is missing or older than a source
// file, so `npm start` always runs what src/ says, and costs a few milliseconds when it is current.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const output = join(root, 'dist', 'cli', 'main.js');
const inputs = [join(root, 'src'), join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json')];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

// A package installed from its tarball has dist/ and no sources: nothing to build.
if (!existsSync(join(root, 'src'))) process.exit(0);
const built = existsSync(output) ? statSync(output).mtimeMs : 0;
if (built >= Math.max(...inputs.map(newest))) process.exit(0);

process.stderr.write(built ? 'src/ changed since the last build: compiling to dist/ …\n' : 'compiling src/ to dist/ …\n');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tsc)) {
  process.stderr.write('clarify-graphql: TypeScript is not installed; run `npm install` first.\n');
  process.exit(1);
}
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
process.exit(result.status ?? 1);
