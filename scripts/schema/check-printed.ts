import { readFile } from 'node:fs/promises';
import { PRINTED_SCHEMA_PATH, printDemoSchema } from './demo-schema.js';

const committed = await readFile(PRINTED_SCHEMA_PATH, 'utf8').catch(() => '');
const current = await printDemoSchema();
if (committed !== current) {
  console.error('schema/schema.graphql is stale: run `npm run codegen` and commit the result.');
  process.exit(1);
}
console.log('schema/schema.graphql is up to date.');
