#!/usr/bin/env node
// Measures how long a start command takes to answer its first GraphQL query.
// Usage: node scripts/startup-time.mjs [--runs=3] [--json] [-- command args…]   (default: npm start)
// --json prints {"command", "times": [ms…], "medianMs"} instead of the sentence (`npm run bench` reads it).
// Each run starts the command with PORT/SANDBOX_PORT on free ports, polls the endpoint every
// 25 ms with a small deals query, and reports the time from spawn to the first answer with data.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

const argv = process.argv.slice(2);
const split = argv.indexOf('--');
const flags = split === -1 ? argv : argv.slice(0, split);
const command = split === -1 ? ['npm', 'start'] : argv.slice(split + 1);
const runs = Number(flags.find((f) => f.startsWith('--runs='))?.slice('--runs='.length) ?? 3);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function once() {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command[0], command.slice(1), {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode;
  void exited.then((code) => (exitCode = code));
  try {
    for (;;) {
      if (exitCode !== undefined) throw new Error(`${command.join(' ')} exited with ${exitCode} before answering`);
      if (performance.now() - started > 60_000) throw new Error('no answer within 60 s');
      try {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ deals(first: 3) { nodes { name company { name } } } }' }),
        });
        const body = await response.json();
        if (body?.data?.deals) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } finally {
    // The whole process group: npm and the server it started.
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await exited;
  }
}

const times = [];
for (let i = 0; i < runs; i++) times.push(await once());
const sorted = [...times].sort((a, b) => a - b);
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const median = sorted[Math.floor(sorted.length / 2)];
if (flags.includes('--json')) console.log(JSON.stringify({ command: command.join(' '), times, medianMs: median }));
else console.log(`${command.join(' ')}: first answer after ${times.map(fmt).join(', ')} (median ${fmt(median)})`);
