import { spawn } from 'node:child_process';

/** One request body for `postFromAnotherProcess`. */
export interface BodySpec {
  /** Characters of the body (a JSON GraphQL request padded with a comment). */
  bytes: number;
  /** Send as a stream without Content-Length. */
  streamed: boolean;
  /** Chunk size of a streamed body. Default 64 KiB. */
  chunkBytes?: number;
}

const CLIENT = `
const [url, specs] = [process.argv[1], JSON.parse(process.argv[2])];
const outcomes = [];
for (const spec of specs) {
  const prefix = '{"query":"{ __typename } #';
  const text = prefix + 'x'.repeat(Math.max(0, spec.bytes - prefix.length - 2)) + '"}';
  const encoded = new TextEncoder().encode(text);
  const chunk = spec.chunkBytes ?? 65536;
  const body = spec.streamed
    ? new ReadableStream({
        start(controller) {
          for (let at = 0; at < encoded.length; at += chunk) controller.enqueue(encoded.subarray(at, at + chunk));
          controller.close();
        },
      })
    : text;
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half', signal: AbortSignal.timeout(30000) });
    const answer = await response.json().catch(() => undefined);
    outcomes.push(response.status + ' ' + (answer?.errors?.[0]?.extensions?.code ?? (answer?.data ? 'data' : 'no JSON error')));
  } catch (error) {
    outcomes.push(error.message + ' ' + (error.cause?.code ?? ''));
  }
}
process.stdout.write(JSON.stringify(outcomes));
`;

/**
 * Posts the bodies one after another from a separate Node process (undici's fetch), so the server
 * and the client do not share an event loop, as in production. Returns one outcome per request:
 * `"<status> <error code or data>"`, or the fetch error and its cause's code.
 */
export async function postFromAnotherProcess(url: string, specs: BodySpec[]): Promise<string[]> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CLIENT, url, JSON.stringify(specs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  await new Promise((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  return JSON.parse(output) as string[];
}
