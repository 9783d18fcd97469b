import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decide, REQUIRED, which } from '../../scripts/system-packages.mjs';

// `npm test`'s pretest step: Chromium and redis-server are found, installed, or asked for.
const script = fileURLToPath(new URL('../../scripts/system-packages.mjs', import.meta.url));

function run(env: Record<string, string>, as?: { uid: number; script: string; cwd: string }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [as?.script ?? script], { env, uid: as?.uid, cwd: as?.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('system packages for npm test', () => {
  it('decides: nothing to do, install as root with apt-get, otherwise stop with the command', () => {
    const [chromium, redis] = REQUIRED;
    expect(decide({ missing: [], isRoot: false, hasAptGet: false })).toEqual({ action: 'ok' });
    expect(decide({ missing: [chromium, redis], isRoot: true, hasAptGet: true })).toMatchObject({
      action: 'install',
      packages: ['chromium', 'redis-server'],
    });
    const stop = decide({ missing: [redis], isRoot: false, hasAptGet: true });
    expect(stop.action).toBe('stop');
    expect(stop.message).toContain('sudo apt-get update && sudo apt-get install -y redis-server');
    expect(stop.message).toContain('redis-server (the Redis shared-state tests)');
    expect(decide({ missing: [chromium], isRoot: true, hasAptGet: false }).message).toMatch(/package manager/);
  });

  it('finds both programs on this machine, so the suites below never skip the browser or Redis tests', async () => {
    for (const { program } of REQUIRED) expect(which(program, process.env.PATH ?? ''), program).toBeDefined();
    const result = await run({ PATH: process.env.PATH ?? '' });
    expect(result).toMatchObject({ code: 0, output: '' });
  });

  it('stops in the first seconds with the exact command when it may not install', async () => {
    // A PATH holding only apt-get (and node), run as an unprivileged user.
    const bin = await mkdtemp(join(tmpdir(), 'system-packages-'));
    try {
      // An apt-get that leaves a mark (in a folder `nobody` may write) when run: stopping means never reaching for it.
      const marks = join(bin, 'marks');
      await mkdir(marks);
      await chmod(marks, 0o777);
      await writeFile(join(bin, 'apt-get'), `#!/bin/sh\ntouch '${join(marks, 'apt-get-ran')}'\nexit 99\n`);
      await chmod(bin, 0o755);
      await chmod(join(bin, 'apt-get'), 0o755);
      await symlink(process.execPath, join(bin, 'node'));
      const env = { PATH: bin };
      const isRoot = process.getuid?.() === 0;
      // `nobody` may not be able to read the checkout (a clone in a 700 home or `mktemp -d`
      // folder): it runs a copy of the script, from the readable temporary folder.
      const copy = join(bin, 'system-packages.mjs');
      await copyFile(script, copy);
      await chmod(copy, 0o644);
      const result = await run(env, isRoot ? { uid: 65534, script: copy, cwd: bin } : undefined);
      expect(result.code).toBe(1);
      expect(result.output).toContain('sudo apt-get install -y chromium redis-server');
      expect(existsSync(join(bin, 'marks', 'apt-get-ran'))).toBe(false);
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });
});
