import { readFile } from 'node:fs/promises';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// `npm install` warns EBADENGINE when a package's `engines` exclude the running Node. A consumer
// of clarify-graphql installs its runtime dependencies, so each must accept the oldest Node that
// package.json promises.

interface LockPackage {
  version?: string;
  dev?: boolean;
  engines?: { node?: string } | string[];
}

describe('runtime dependencies', () => {
  it("accept every Node version package.json's engines allow", async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      engines: { node: string };
    };
    const lock = JSON.parse(await readFile(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
      packages: Record<string, LockPackage>;
    };
    const oldest = semver.minVersion(pkg.engines.node)?.version as string;
    expect(oldest).toBe('20.19.0');
    const runtime = Object.entries(lock.packages).filter(([path, entry]) => path !== '' && !entry.dev);
    expect(runtime.length).toBeGreaterThan(50);
    const refused = runtime
      .filter(([, entry]) => {
        const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return range !== undefined && !semver.satisfies(oldest, range);
      })
      .map(([path, entry]) => `${path.replace(/^.*node_modules\//, '')}@${entry.version} wants node ${JSON.stringify(entry.engines)}`);
    expect(refused).toEqual([]);
  });
});
