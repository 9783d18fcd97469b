import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { CallLog } from '../../src/client/call-log.js';
import { ClarifyClient } from '../../src/client/clarify-client.js';
import { ClarifyError } from '../../src/client/errors.js';
import { startControlledSandbox } from '../helpers/sandbox-control.js';
import { sendJson, startStub, type Stub } from '../helpers/stub-server.js';

const SECRET = 'canary-7f3b9e2d41c0';
const credential = `api-key ${SECRET}`;

/** Captures everything the client logs, serialised the way pino would. */
export class CapturingLogger {
  readonly lines: string[] = [];
  debug(obj: object, msg?: string): void {
    this.lines.push(JSON.stringify({ level: 'debug', ...obj, msg }));
  }
  warn(obj: object, msg?: string): void {
    this.lines.push(JSON.stringify({ level: 'warn', ...obj, msg }));
  }
}

/** Every rendering of an error a log line, a response or a debugger might produce. */
export function renderings(error: unknown): string[] {
  const out = [inspect(error, { showHidden: true, depth: null }), JSON.stringify(error), String(error)];
  if (error instanceof Error) {
    out.push(error.message, error.stack ?? '', inspect(error.cause, { showHidden: true, depth: null }));
    out.push(JSON.stringify(Object.getOwnPropertyNames(error).map((name) => [name, String((error as unknown as Record<string, unknown>)[name])])));
  }
  return out;
}

let stub: Stub | undefined;
let client: ClarifyClient | undefined;

afterEach(async () => {
  await client?.close();
  await stub?.close();
  stub = undefined;
  client = undefined;
});

describe('credential canary (scripted upstream)', () => {
  it('keeps the key out of every error, cause and log line', async () => {
    stub = await startStub((req, res, index) => {
      const echoed = String(req.headers.authorization);
      switch (index % 8) {
        case 0:
          return sendJson(res, 401, { errors: [{ status: 401, title: `Bad key ${echoed}`, detail: `key ${SECRET} unknown`, source: { parameter: echoed } }] });
        case 1:
          return sendJson(res, 403, { statusCode: 403, message: [`no access for ${echoed}`], error: 'Forbidden' });
        case 2:
          return sendJson(res, 500, { statusCode: 500, message: `crash handling ${SECRET}` });
        case 3:
          return res.destroy();
        case 4:
          return undefined; // never answers: per-attempt timeout
        case 5:
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(`{"data": {"type": "deal", "id": "${SECRET}"`);
        case 6:
          return sendJson(res, 422, { errors: [{ detail: `value ${SECRET} rejected`, source: { pointer: `/data/attributes/${SECRET}` } }] });
        default:
          return sendJson(res, 503, { errors: [{ detail: echoed }] });
      }
    });
    const logger = new CapturingLogger();
    const log = new CallLog();
    client = new ClarifyClient({ apiUrl: stub.apiUrl, workspace: 'demo', retryBaseMs: 1, callTimeoutMs: 600, maxAttempts: 1, logger, recorder: log });
    const errors: unknown[] = [];
    for (let i = 0; i < 8; i += 1) {
      try {
        await client.create('task', { title: `t${i}` }, {}, { credential, recorder: log });
        throw new Error('expected a failure');
      } catch (error) {
        errors.push(error);
      }
    }
    expect(errors.map((e) => (e instanceof ClarifyError ? e.code : 'not a ClarifyError'))).toEqual([
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'UPSTREAM_UNAVAILABLE',
      'OUTCOME_UNKNOWN',
      'OUTCOME_UNKNOWN',
      'OUTCOME_UNKNOWN',
      'VALIDATION',
      'UPSTREAM_UNAVAILABLE',
    ]);
    // The upstream really did receive the key, so the scrubbing is what is being tested.
    expect(stub.requests.every((r) => r.headers.authorization === credential)).toBe(true);
    const texts = [...errors.flatMap(renderings), ...logger.lines, JSON.stringify(log.entries)];
    expect(logger.lines.length).toBeGreaterThan(0);
    for (const text of texts) expect(text).not.toContain(SECRET);
  });

  it('keeps the key out of warnings about retries', async () => {
    stub = await startStub((req, res, index) => {
      if (index === 0) sendJson(res, 503, { errors: [{ detail: String(req.headers.authorization) }] }, { 'retry-after': '0' });
      else sendJson(res, 200, { data: [], meta: { total_records: 0 } });
    });
    const logger = new CapturingLogger();
    client = new ClarifyClient({ apiUrl: stub.apiUrl, workspace: 'demo', retryBaseMs: 1, logger });
    await client.list('deal', {}, { credential });
    expect(logger.lines.some((line) => line.includes('"level":"warn"'))).toBe(true);
    for (const line of logger.lines) expect(line).not.toContain(SECRET);
  });

  it('refuses a credential that is not a header value, without echoing it', async () => {
    stub = await startStub((_req, res) => sendJson(res, 200, {}));
    client = new ClarifyClient({ apiUrl: stub.apiUrl, workspace: 'demo' });
    const bad = `api-key ${SECRET}\r\nx-injected: 1`;
    const error = await client.getUser('u1', { credential: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClarifyError);
    expect((error as ClarifyError).code).toBe('UNAUTHENTICATED');
    for (const text of renderings(error)) expect(text).not.toContain(SECRET);
    expect(stub.requests).toHaveLength(0);
  });
});

describe('credential canary (sandbox)', () => {
  it('keeps an unknown key out of errors and logs across every fault the sandbox scripts', async () => {
    const control = await startControlledSandbox();
    const logger = new CapturingLogger();
    const log = new CallLog();
    const sandboxClient = control.client({ logger, recorder: log, callTimeoutMs: 300, retryBaseMs: 1 });
    try {
      const scripts = [
        { status: 429, retryAfter: 0, count: 1 },
        { status: 503, count: 3 },
        { drop: true, count: 1 },
        { malformed: true, count: 1 },
        { delayMs: 1000, count: 3 },
      ];
      const errors: unknown[] = [];
      const attempt = async (run: () => Promise<unknown>): Promise<void> => {
        try {
          await run();
        } catch (error) {
          errors.push(error);
        }
      };
      for (const script of scripts) {
        await control.fault(script);
        await attempt(() => sandboxClient.list('deal', {}, { credential, recorder: log }));
        await control.clearFaults();
      }
      await attempt(() => sandboxClient.create('task', { title: 'x' }, {}, { credential }));
      await attempt(() => sandboxClient.get('deal', 'd', { include: ['company_id'] }, { credential }));
      await attempt(() => sandboxClient.listSchemas({ credential }));
      // Faults fire before authentication, so the last answer of each call is a fault or a 401.
      expect(errors.map((e) => (e as ClarifyError).code)).toEqual([
        'UNAUTHENTICATED',
        'UPSTREAM_UNAVAILABLE',
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
        'UPSTREAM_TIMEOUT',
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
      ]);
      const texts = [...errors.flatMap(renderings), ...logger.lines, JSON.stringify(log.entries)];
      for (const text of texts) expect(text).not.toContain(SECRET);
    } finally {
      await sandboxClient.close();
      await control.sandbox.close();
    }
  });
});
