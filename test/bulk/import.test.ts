import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { gatewayOver, graphql, serveOverHttp } from '../helpers/gateway.js';
import { counting, importOf } from './helpers.js';

let sandbox: RunningSandbox;
let gateway: Gateway;
/** Email addresses of people the sandbox already has. */
let existing: string[];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1', records: 1_200, rateLimitPerMinute: 1_000_000 });
  gateway = await gatewayOver(sandbox);
  const people = await graphql(gateway, '{ people(first: 1000) { nodes { emailAddresses } } }');
  const nodes = (people.body.data?.['people'] as { nodes: { emailAddresses: string[] }[] }).nodes;
  existing = [...new Set(nodes.flatMap((node) => node.emailAddresses.slice(0, 1)))];
});

afterAll(async () => {
  await gateway?.close();
  await sandbox?.close();
});

/** Invalid lines by line number: what is wrong with each. */
const INVALID: Record<number, { text: string; code: string; field?: string[] }> = {
  3: { text: '{"name": {"firstName": "Ann"', code: 'BAD_USER_INPUT' },
  77: { text: '[1, 2]', code: 'BAD_USER_INPUT' },
  150: { text: '{"emailAddresses": ["ok150@import.example"], "jobTitle": 7}', code: 'BAD_USER_INPUT', field: ['jobTitle'] },
  301: { text: '{"emailAddresses": ["ok301@import.example"], "shoeSize": 44}', code: 'BAD_USER_INPUT' },
  402: { text: '{"emailAddresses": ["ok402@import.example"], "name": {"firstName": 3}}', code: 'BAD_USER_INPUT', field: ['name', 'firstName'] },
  555: { text: 'not json at all', code: 'BAD_USER_INPUT' },
  640: { text: '"a string"', code: 'BAD_USER_INPUT' },
  777: { text: '{"emailAddresses": "ok777@import.example", "companyId": {"id": 1}}', code: 'BAD_USER_INPUT', field: ['companyId'] },
  // Checked by the mutation itself (no upstream call for them).
  888: { text: '{"emailAddresses": ["not-an-email"]}', code: 'INVALID', field: ['emailAddresses', '0'] },
  999: { text: '{"emailAddresses": ["also not an email"]}', code: 'INVALID', field: ['emailAddresses', '0'] },
};

/**
 * 1,000 input lines (and two blank ones, which are skipped but numbered): 250 with the email of
 * an existing person, 10 invalid, 740 new people.
 */
function importFile(): { text: string; matchedLines: Set<number> } {
  const lines: string[] = [];
  const matchedLines = new Set<number>();
  let known = 0;
  let fresh = 0;
  for (let number = 1; number <= 1_002; number++) {
    const invalid = INVALID[number];
    if (number === 10 || number === 500) lines.push('');
    else if (invalid) lines.push(invalid.text);
    else if (known < 250 && number % 3 === 0) {
      lines.push(JSON.stringify({ emailAddresses: [existing[known++]!], jobTitle: 'Imported' }));
      matchedLines.add(number);
    } else {
      fresh++;
      lines.push(JSON.stringify({ name: { firstName: 'Bulk', lastName: `Person ${fresh}` }, emailAddresses: [`bulk-${fresh}@import.example`], jobTitle: 'Imported' }));
    }
  }
  expect(known).toBe(250);
  expect(fresh).toBe(740);
  return { text: `${lines.join('\r\n')}\n`, matchedLines };
}

describe('POST /import/{object}', () => {
  it('creates the new, matches the existing, reports the invalid at their lines, and a second run creates nothing', async () => {
    expect(existing.length).toBeGreaterThanOrEqual(250);
    const { text, matchedLines } = importFile();
    const { result: answer, calls, byRoute } = await counting(sandbox, () => importOf(gateway, 'person', text));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(answer.lines).toHaveLength(1_000);
    expect(answer.lines.map((line) => line['line'])).toEqual(Array.from({ length: 1_002 }, (_, i) => i + 1).filter((n) => n !== 10 && n !== 500));

    const failed = answer.lines.filter((line) => 'userErrors' in line);
    expect(failed.map((line) => line['line'])).toEqual(Object.keys(INVALID).map(Number));
    for (const line of failed) {
      const expected = INVALID[line['line'] as number]!;
      const errors = line['userErrors'] as { field: string[] | null; message: string; code: string }[];
      expect(errors[0]?.code).toBe(expected.code);
      expect(typeof errors[0]?.message).toBe('string');
      if (expected.field) expect(errors[0]?.field).toEqual(expected.field);
    }
    const written = answer.lines.filter((line) => 'id' in line);
    expect(written.filter((line) => line['matched'] === true).map((line) => line['line'])).toEqual([...matchedLines]);
    expect(written.filter((line) => line['matched'] === false)).toHaveLength(740);
    expect(answer.trailer.extensions).toEqual({ count: 1_000, created: 740, matched: 250, failed: 10, actualCalls: 40 });
    // 992 lines pass the input type: 40 batches of at most 25, one upstream bulk create each.
    expect(byRoute).toEqual({ 'POST /objects/:object/records/bulk': 40 });
    expect(calls).toBe(40);

    const again = await importOf(gateway, 'person', text);
    expect(again.trailer.extensions).toEqual({ count: 1_000, created: 0, matched: 990, failed: 10, actualCalls: 40 });
    // Each line names the same record both times.
    const ids = new Map(written.map((line) => [line['line'], line['id']]));
    expect(again.lines.filter((line) => 'id' in line).every((line) => ids.get(line['line']) === line['id'])).toBe(true);
  });

  it('reads a body larger than MAX_BODY_BYTES as a stream, and refuses a line over its own limit on its line alone', async () => {
    const small = await gatewayOver(sandbox, { limits: { bodyBytes: 4_096 }, bulk: { importMaxLineBytes: 1_024 } });
    try {
      const lines = Array.from({ length: 600 }, (_, i) => JSON.stringify({ name: `Streamed order ${i}`, amount: i }));
      lines[41] = JSON.stringify({ name: 'Too long', description: 'x'.repeat(2_000) });
      const body = `${lines.join('\n')}\n`;
      expect(Buffer.byteLength(body)).toBeGreaterThan(4 * 4_096);
      const answer = await importOf(small, 'c_sales_order', body);
      expect(answer.status).toBe(200);
      expect(answer.lines).toHaveLength(600);
      expect(answer.lines[41]).toEqual({ line: 42, userErrors: [{ field: null, message: 'The line is longer than 1024 bytes.', code: 'PAYLOAD_TOO_LARGE' }] });
      expect(answer.trailer.extensions).toMatchObject({ count: 600, created: 599, failed: 1 });
    } finally {
      await small.close();
    }
  });

  it('reads an HTTP body that arrives in chunks, larger than MAX_BODY_BYTES, as it comes', async () => {
    const served = await serveOverHttp(await gatewayOver(sandbox, { limits: { bodyBytes: 8_192 } }));
    try {
      const encoder = new TextEncoder();
      let sent = 0;
      // 2,000 lines made as the request asks for them: the body never exists whole.
      const streamed = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 2_000) return controller.close();
          const chunk = Array.from({ length: 100 }, () => `${JSON.stringify({ title: `Streamed task ${++sent}` })}\n`).join('');
          controller.enqueue(encoder.encode(chunk));
        },
      });
      const response = await fetch(`${served.origin}/import/task`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: streamed,
        duplex: 'half',
      } as RequestInit);
      expect(response.status).toBe(200);
      const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      const trailer = lines.pop()!;
      expect(lines.map((line) => line['line'])).toEqual(Array.from({ length: 2_000 }, (_, i) => i + 1));
      expect(trailer['extensions']).toEqual({ count: 2_000, created: 2_000, matched: 0, failed: 0, actualCalls: 80 });
    } finally {
      await served.close();
    }
  });

  it('says which writes may have landed when their answer was lost', async () => {
    // Tasks have no unique field: a create whose answer is lost is not sent again.
    await fetch(`${sandbox.origin}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ route: 'POST /objects/:object/records/bulk', drop: true, count: 1 }) });
    const tasks = await importOf(gateway, 'task', [1, 2].map((n) => JSON.stringify({ title: `Lost answer ${n}` })).join('\n'));
    expect(tasks.lines).toEqual([1, 2].map((line) => ({ line, userErrors: [expect.objectContaining({ field: null, code: 'OUTCOME_UNKNOWN' })], mayHaveBeenWritten: true })));
    expect(tasks.trailer.extensions).toMatchObject({ count: 2, created: 0, failed: 2, mayHaveBeenWritten: 2 });
    // An upsert is sent again until it is answered, and is written once.
    await fetch(`${sandbox.origin}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ route: 'POST /objects/:object/records/bulk', drop: true, count: 1 }) });
    const { result: people, calls } = await counting(sandbox, () => importOf(gateway, 'person', JSON.stringify({ emailAddresses: ['lost-answer@import.example'] })));
    expect(people.lines).toEqual([{ line: 1, id: expect.any(String), matched: expect.any(Boolean) }]);
    expect(people.trailer.extensions).toMatchObject({ count: 1, failed: 0, actualCalls: 1 });
    expect(calls).toBe(2);
    const found = await graphql(gateway, '{ people(filter: { emailAddresses: { contains: "lost-answer@import.example" } }) { totalCount } }');
    expect((found.body.data?.['people'] as { totalCount: number }).totalCount).toBe(1);
  });

  it('stops after the most lines one request may send, saying so in the last line', async () => {
    const limited = await gatewayOver(sandbox, { bulk: { importMaxLines: 5 } });
    try {
      const body = Array.from({ length: 8 }, (_, i) => JSON.stringify({ title: `Limited task ${i}` })).join('\n');
      const { result: answer, calls } = await counting(sandbox, () => importOf(limited, 'task', body));
      expect(answer.lines.map((line) => line['line'])).toEqual([1, 2, 3, 4, 5]);
      expect(answer.trailer.errors?.[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
      expect(answer.trailer.extensions).toMatchObject({ count: 5, created: 5, actualCalls: 1 });
      expect(calls).toBe(1);
    } finally {
      await limited.close();
    }
  });

  it('invalidates cached answers about the object’s records', async () => {
    const cached = await gatewayOver(sandbox, { cache: { ttlSeconds: 300 } });
    try {
      const email = existing[0]!;
      const query = 'query($email: String!) { people(filter: { emailAddresses: { contains: $email } }) { nodes { jobTitle } } }';
      const read = async () => {
        const answer = await graphql(cached, query, { variables: { email } });
        return { titles: (answer.body.data?.['people'] as { nodes: { jobTitle: string }[] }).nodes.map((node) => node.jobTitle), cost: answer.body.extensions?.['cost'] as { actualCalls: number } };
      };
      await read();
      expect((await read()).cost.actualCalls).toBe(0);
      const answer = await importOf(cached, 'person', JSON.stringify({ emailAddresses: [email], jobTitle: 'Cache buster' }));
      expect(answer.lines[0]).toMatchObject({ line: 1, matched: true });
      const after = await read();
      expect(after.cost.actualCalls).toBe(1);
      expect(after.titles).toEqual(['Cache buster']);
    } finally {
      await cached.close();
    }
  });

  it('refuses without credentials, a read-only token, an unknown object and a non-NDJSON body, before any upstream call', async () => {
    const guarded = await gatewayOver(sandbox, {
      tokens: ['import-test-writer-0001', { token: 'import-test-reader-0001', scope: 'read' }],
      allowUnauthenticated: false,
    });
    try {
      const line = JSON.stringify({ title: 'Refused task' });
      const { result, calls } = await counting(sandbox, async () => ({
        anonymous: await importOf(guarded, 'task', line),
        reader: await importOf(guarded, 'task', line, { authorization: 'Bearer import-test-reader-0001' }),
        unknown: await importOf(guarded, 'c_nothing', line, { authorization: 'Bearer import-test-writer-0001' }),
        users: await importOf(guarded, 'user', line, { authorization: 'Bearer import-test-writer-0001' }),
        form: await importOf(guarded, 'task', line, { authorization: 'Bearer import-test-writer-0001', 'content-type': 'text/plain' }),
      }));
      expect(result.anonymous.status).toBe(401);
      expect(result.anonymous.json?.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
      expect(result.reader.status).toBe(403);
      expect(result.reader.json?.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'write' });
      expect(result.unknown.status).toBe(404);
      expect(result.users.status).toBe(404);
      expect(result.form.status).toBe(415);
      expect(calls).toBe(0);
    } finally {
      await guarded.close();
    }
  });
});
