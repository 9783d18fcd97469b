/**
 * Run with `node --expose-gc --import tsx test/helpers/invalid-documents-heap.ts <count>`: sends
 * `count` distinct invalid documents of about 43 KB (long unknown field names) through a gateway
 * in this process and prints, as JSON, the heap after GC before and after, and the statuses seen.
 */
import { startSandbox } from '../../src/sandbox/server.js';
import { createGateway } from '../../src/server/gateway.js';
import { createLogger } from '../../src/observability/logger.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const heapMegabytes = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / (1024 * 1024);
};

const count = Number(process.argv[2] ?? 600);
const sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
const gateway = await createGateway({
  apiUrl: sandbox.apiUrl,
  workspace: sandbox.workspace,
  apiKey: sandbox.apiKey,
  allowUnauthenticated: true,
  logger: createLogger('silent'),
  processMetrics: false,
  schemaReloadIntervalSeconds: 0,
});
const send = (query: string) =>
  gateway.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query }),
  });
await (await send('{ deals(first: 1) { nodes { id } } }')).text();
const before = heapMegabytes();
const statuses: Record<number, number> = {};
let bytes = 0;
for (let i = 0; i < count; i++) {
  const name = `unknown${i}_${'x'.repeat(2000)}`;
  const query = `{ deals(first: 1) { nodes { ${Array.from({ length: 21 }, (_, j) => `${name}${j}`).join(' ')} } } }`;
  bytes += query.length;
  const response = await send(query);
  statuses[response.status] = (statuses[response.status] ?? 0) + 1;
  await response.text();
}
const after = heapMegabytes();
await gateway.close();
await sandbox.close();
process.stdout.write(JSON.stringify({ count, averageDocumentBytes: Math.round(bytes / count), beforeMB: before, afterMB: after, statuses }));
