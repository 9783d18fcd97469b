import { writeFile } from 'node:fs/promises';
import { PRINTED_SCHEMA_PATH, printDemoSchema } from './demo-schema.js';

await writeFile(PRINTED_SCHEMA_PATH, await printDemoSchema());
console.log(`wrote ${PRINTED_SCHEMA_PATH.pathname}`);
