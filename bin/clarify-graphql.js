#!/usr/bin/env node
// `clarify-graphql` serves the gateway (the same as `npm start`, configured by the same
// environment); `clarify-graphql print-schema` prints the workspace's GraphQL SDL. Both run the
// compiled `dist/` (built by `npm install` in a clone, shipped in the package).
import { existsSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';

const USAGE = `Usage:
  clarify-graphql                         serve GraphQL (and GraphiQL) on HOST:PORT
  clarify-graphql print-schema [-o file]  print the workspace's GraphQL SDL and exit
    --federation                          print it as a Federation v2 subgraph (@link, @key)
  clarify-graphql --help | --version

Configuration comes from the environment (CLARIFY_API_URL, CLARIFY_WORKSPACE, CLARIFY_API_KEY,
PORT, …); without CLARIFY_API_KEY both use a local sandbox with demo data.`;

const dist = (path) => new URL(`../dist/${path}`, import.meta.url);
const [command, ...args] = process.argv.slice(2);

if (!existsSync(fileURLToPath(dist('cli/main.js')))) {
  process.stderr.write('clarify-graphql: dist/ is missing; run `npm run build` (or `npm install`) first.\n');
  process.exit(2);
}

if (command === undefined) {
  await import(dist('cli/main.js').href);
} else if (command === 'print-schema') {
  const { runPrintSchema } = await import(dist('cli/print-schema-command.js').href);
  await runPrintSchema(args);
} else if (command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(`${USAGE}\n`);
} else if (command === '--version' || command === '-v') {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  process.stderr.write(`clarify-graphql: unknown command "${command}"\n\n${USAGE}\n`);
  process.exit(2);
}
