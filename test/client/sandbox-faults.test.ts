import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallLog } from '../../src/client/call-log.js';
import type { ClarifyClient } from '../../src/client/clarify-client.js';
import type { CallOptions } from '../../src/client/types.js';
import { RecordingClientLogger } from '../helpers/client-logger.js';
import { rejection, startControlledSandbox, type SandboxControl } from '../helpers/sandbox-control.js';

const LIST = 'GET /objects/:object/resources';
const GET = 'GET /objects/:object/resources/:id';
const CREATE = 'POST /objects/:object/records';
const DELETE = 'DELETE /objects/:object/records/:id';

let control: SandboxControl;
let client: ClarifyClient;
let log: CallLog;
let call: CallOptions;

beforeAll(async () => {
  control = await startControlledSandbox();
  // Per-attempt deadline: short enough for quick timeout tests, long enough for a loaded machine.
  client = control.client({ callTimeoutMs: 800 });
});

afterAll(async () => {
  await client.close();
  await control.sandbox.close();
});

afterEach(() => {
  vi.useRealTimers();
});

beforeEach(async () => {
  await control.reset();
  log = new CallLog();
  call = { credential: control.credential, recorder: log };
});

async function tasksTitled(title: string): Promise<number> {
  const page = await client.list('task', { filter: [{ path: 'title', operator: 'Is', value: title }] }, { credential: control.credential });
  return page.meta.totalRecords;
}

describe('429 with Retry-After', () => {
  it('retries a read once, no sooner than Retry-After', async () => {
    // Only timers are faked. A roomy per-attempt deadline: under load a short one could time the
    // first attempt out, and a timeout is retried on its own schedule.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const logger = new RecordingClientLogger();
    const patient = control.client({ callTimeoutMs: 10_000, connections: 1, logger });
    try {
      await control.fault({ route: LIST, status: 429, retryAfter: 1, count: 1 });
      const listed = patient.list('deal', { limit: 1 }, call);
      expect((await logger.next('retrying Clarify call')).fields).toMatchObject({ route: LIST, status: 429, delayMs: 1000 });
      // A call on another route, sent while the retry waits, goes out first over the one connection.
      await vi.advanceTimersByTimeAsync(999);
      await patient.listUsers({ limit: 1 }, { credential: control.credential });
      expect(await control.count(LIST)).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      await listed;
      expect(log.entries).toMatchObject([{ route: LIST, status: 200, attempts: 2 }]);
      expect(await control.count(LIST)).toBe(2);
    } finally {
      await patient.close();
    }
  });

  it('gives up after three attempts', async () => {
    await control.fault({ route: LIST, status: 429, retryAfter: 0, count: 5 });
    const error = await rejection(client.list('deal', {}, call));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, attempts: 3 });
    expect(await control.count(LIST)).toBe(3);
  });

  it('retries a non-idempotent create after a 429, creating exactly one record', async () => {
    await control.fault({ route: CREATE, status: 429, retryAfter: 0, count: 1 });
    const title = `after-429-${Date.now()}`;
    await client.create('task', { title }, {}, call);
    expect(await control.count(CREATE)).toBe(2);
    expect(await tasksTitled(title)).toBe(1);
  });

  it('does not retry when Retry-After would pass the deadline', async () => {
    await control.fault({ route: LIST, status: 429, retryAfter: 2, count: 1 });
    const error = await rejection(client.list('deal', {}, { ...call, deadline: Date.now() + 1000 }));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', attempts: 1, retryAfterMs: 2000 });
    expect(await control.count(LIST)).toBe(1);
  });
});

describe('5xx', () => {
  it('does not retry a 500', async () => {
    await control.fault({ route: LIST, status: 500, count: 1 });
    const error = await rejection(client.list('deal', {}, call));
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 500, attempts: 1 });
    expect(await control.count(LIST)).toBe(1);
  });

  it.each([502, 503, 504])('retries a read after %i', async (status) => {
    await control.fault({ route: LIST, status, count: 1 });
    const page = await client.list('deal', { limit: 2 }, call);
    expect(page.data).toHaveLength(2);
    expect(await control.count(LIST)).toBe(2);
    expect(log.entries[0]?.attempts).toBe(2);
  });

  it('surfaces a persistent 503 after three attempts', async () => {
    await control.fault({ route: GET, status: 503, count: 3 });
    const error = await rejection(client.get('deal', 'anything', {}, call));
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503, attempts: 3 });
    expect(await control.count(GET)).toBe(3);
  });

  it('never retries a non-idempotent create after a 502 or 503; a 502 (a proxy may have forwarded it) leaves the outcome unknown', async () => {
    for (const [status, code] of [[502, 'OUTCOME_UNKNOWN'], [503, 'UPSTREAM_UNAVAILABLE']] as const) {
      await control.fault({ route: CREATE, status, count: 1 });
      const error = await rejection(client.create('task', { title: `t-${status}` }, {}, call));
      expect(error).toMatchObject({ code, status, attempts: 1 });
    }
    expect(await control.count(CREATE)).toBe(2);
  });

  it('retries an upsert (create with match_on) after a 502', async () => {
    await control.fault({ route: CREATE, status: 502, count: 1 });
    const email = `retry.${Date.now()}@example.com`;
    const result = await client.create('person', { name: 'Retry Me', email_addresses: { items: [email] } }, { matchOn: 'email_addresses' }, call);
    // A 502 may come from a proxy after Clarify applied the create, so the retry's answer cannot
    // say whether the record existed before this call.
    expect(result.matched).toBeNull();
    expect(await control.count(CREATE)).toBe(2);
  });
});

describe('latency past the deadline', () => {
  it('times out an attempt and retries a read', async () => {
    await control.fault({ route: LIST, delayMs: 5000, count: 1 });
    const logger = new RecordingClientLogger();
    const timing = control.client({ callTimeoutMs: 800, logger });
    try {
      await timing.list('deal', { limit: 1 }, call);
      // Answered by the second attempt, after the first one was cut by its own timeout.
      expect(logger.withMessage('retrying Clarify call').map((line) => line.fields)).toMatchObject([{ route: LIST, attempt: 1, failure: 'timeout' }]);
      expect(log.entries).toMatchObject([{ route: LIST, status: 200, attempts: 2 }]);
      expect(await control.count(LIST)).toBe(2);
    } finally {
      await timing.close();
    }
  });

  it('makes no attempt past the request deadline', async () => {
    await control.fault({ route: LIST, delayMs: 5000, count: 5 });
    const logger = new RecordingClientLogger();
    const timing = control.client({ callTimeoutMs: 800, logger });
    try {
      // The first attempt times out at 800 ms; the second is cut at the request deadline, and no third is sent.
      const error = await rejection(timing.list('deal', {}, { ...call, deadline: Date.now() + 1200 }));
      expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', attempts: 2 });
      expect(logger.withMessage('retrying Clarify call').map((line) => line.fields)).toMatchObject([{ route: LIST, attempt: 1, failure: 'timeout' }]);
      expect(await control.count(LIST)).toBe(2);
    } finally {
      await timing.close();
    }
  });

  it('does not retry a create that timed out (the upstream may still apply it)', async () => {
    await control.fault({ route: CREATE, delayMs: 1600, count: 1 });
    const title = `slow-${Date.now()}`;
    const error = await rejection(client.create('task', { title }, {}, call));
    expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN', failure: 'UPSTREAM_TIMEOUT', mayHaveBeenWritten: true, attempts: 1 });
    // The delayed write lands after the client gave up on it, once.
    await expect.poll(() => tasksTitled(title), { timeout: 10_000 }).toBe(1);
    expect(await control.count(CREATE)).toBe(1);
  });
});

describe('dropped connections', () => {
  it('retries a read after a drop', async () => {
    await control.fault({ route: LIST, drop: true, count: 1 });
    await client.list('deal', { limit: 1 }, call);
    expect(await control.count(LIST)).toBe(2);
  });

  it('does not retry a create whose connection dropped after it was applied', async () => {
    await control.fault({ route: CREATE, drop: true, count: 1 });
    const title = `dropped-${Date.now()}`;
    const error = await rejection(client.create('task', { title }, {}, call));
    expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN', failure: 'UPSTREAM_UNAVAILABLE', mayHaveBeenWritten: true, attempts: 1 });
    expect(await control.count(CREATE)).toBe(1);
    expect(await tasksTitled(title)).toBe(1);
  });

  it('treats a 404 on the retry of a dropped delete as done', async () => {
    const created = await client.create('task', { title: `to-delete-${Date.now()}` }, {}, call);
    await control.fault({ route: DELETE, drop: true, count: 1 });
    await client.delete('task', created.document.data.id, call);
    expect(await control.count(DELETE)).toBe(2);
    expect(log.entries.at(-1)).toMatchObject({ route: DELETE, status: 404, attempts: 2 });
  });
});

describe('malformed bodies', () => {
  it('retries a read whose body was truncated', async () => {
    await control.fault({ route: GET, malformed: true, count: 1 });
    const page = await client.list('deal', { limit: 1 }, { credential: control.credential });
    const doc = await client.get('deal', page.data[0]!.id, {}, call);
    expect(doc?.data.id).toBe(page.data[0]!.id);
    expect(await control.count(GET)).toBe(2);
  });

  it('surfaces a truncated create answer without retrying', async () => {
    await control.fault({ route: CREATE, malformed: true, count: 1 });
    const title = `truncated-${Date.now()}`;
    const error = await rejection(client.create('task', { title }, {}, call));
    expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN', failure: 'UPSTREAM_BAD_RESPONSE', mayHaveBeenWritten: true, status: 201, attempts: 1 });
    expect(await control.count(CREATE)).toBe(1);
    expect(await tasksTitled(title)).toBe(1);
  });

  it('gives up on a read that stays malformed', async () => {
    await control.fault({ route: LIST, malformed: true, count: 3 });
    const error = await rejection(client.list('deal', {}, call));
    expect(error).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', attempts: 3 });
    expect(await control.count(LIST)).toBe(3);
  });
});

describe('abort', () => {
  it('leaves no upstream request open when the caller aborts', async () => {
    const fresh = control.client({ callTimeoutMs: 10_000 });
    try {
      await control.fault({ route: LIST, delayMs: 3000, count: 1 });
      const controller = new AbortController();
      const pending = fresh.list('deal', {}, { ...call, signal: controller.signal });
      await expect.poll(() => control.count(LIST)).toBe(1);
      expect(fresh.stats()).toMatchObject({ running: 1, connected: 1 });
      controller.abort();
      // Cut before the sandbox's 3 s delay: a call that ran on would resolve with 200 instead.
      const error = await rejection(pending);
      expect(error).toMatchObject({ code: 'ABORTED', attempts: 1 });
      // Nothing in flight or queued, and nothing sent again (the stub test sees the socket close).
      await expect.poll(() => fresh.stats()).toMatchObject({ running: 0, pending: 0 });
      expect(await control.count(LIST)).toBe(1);
      expect(log.entries).toMatchObject([{ route: LIST, status: 0, attempts: 1 }]);
    } finally {
      await fresh.close();
    }
  });
});
