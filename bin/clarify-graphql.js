#!/usr/bin/env node
// Starts the gateway (`npx clarify-graphql`), configured by the same environment as `npm start`.
// Runs the compiled build when `npm run build` produced one, else the TypeScript sources via tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';

const built = new URL('../dist/server/main.js', import.meta.url);
if (existsSync(fileURLToPath(built))) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/server/main.ts', import.meta.url).href);
}
