import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallLog } from '../../src/client/call-log.js';
import type { ClarifyClient } from '../../src/client/clarify-client.js';
import { ClarifyError, type ClarifyErrorCode } from '../../src/client/errors.js';
import { afterHeldRequests } from '../helpers/gateway.js';
import { startControlledSandbox, type SandboxControl } from '../helpers/sandbox-control.js';

const CREATE = 'POST /objects/:object/records';
const WRITES = 500;
const PARALLEL = 10;
/** How long the sandbox holds a delayed create (the client gives up after 250 ms). */
const DELAY_MS = 500;

let control: SandboxControl;
let client: ClarifyClient;

beforeAll(async () => {
  control = await startControlledSandbox({ seed: 7 });
  client = control.client({ callTimeoutMs: 250 });
});

afterAll(async () => {
  await client.close();
  await control.sandbox.close();
});

describe('non-idempotent creates under faults', () => {
  it('never duplicates a task across 500 creates with 20% faults, and surfaces every failure', async () => {
    // Five effects, each drawn in turn: 1 - 0.95^2 * 0.96^3 ≈ 20% of requests are faulted.
    // drop, malformed and delay are applied upstream but answered badly; 503 and 429 are not applied.
    const faults = [
      { drop: true, rate: 0.05 },
      { malformed: true, rate: 0.05 },
      { delayMs: DELAY_MS, rate: 0.04 },
      { status: 503, rate: 0.04 },
      { status: 429, retryAfter: 0, rate: 0.04 },
    ];
    for (const fault of faults) await control.fault({ route: CREATE, ...fault });

    const prefix = `dup-${Date.now()}-`;
    const log = new CallLog();
    const call = { credential: control.credential, recorder: log };
    const created = new Map<string, string>(); // title -> id
    const failed = new Map<string, ClarifyErrorCode>(); // title -> code
    const notApplied = new Set<string>(); // refused with a 503: never written upstream
    const applied = new Set<string>(); // dropped after the write, or answered with a truncated body
    const maybeApplied = new Set<string>(); // timed out: the upstream may or may not have read it
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < WRITES) {
        const title = `${prefix}${next++}`;
        try {
          const result = await client.create('task', { title, status: 'To Do' }, {}, call);
          created.set(title, result.document.data.id);
        } catch (error) {
          if (!(error instanceof ClarifyError)) throw error;
          failed.set(title, error.code);
          // The error itself says which failures may have been written.
          if (!error.mayHaveBeenWritten) notApplied.add(title);
          else if (error.failure === 'UPSTREAM_TIMEOUT') maybeApplied.add(title);
          else applied.add(title);
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    await control.clearFaults();
    await afterHeldRequests(control.sandbox, DELAY_MS);

    // Every write either succeeded or failed visibly.
    expect(created.size + failed.size).toBe(WRITES);
    expect(failed.size).toBeGreaterThan(0);
    expect(new Set(failed.values())).toEqual(new Set<ClarifyErrorCode>(['UPSTREAM_UNAVAILABLE', 'OUTCOME_UNKNOWN']));

    // One upstream request per write, plus one per 429 (the only retry a plain create gets).
    const retried = log.entries.filter((entry) => entry.attempts > 1);
    expect(retried.length).toBeGreaterThan(0);
    expect(retried.every((entry) => entry.attempts <= 3)).toBe(true);
    expect(log.count).toBe(WRITES);
    expect(await control.count(CREATE)).toBe(log.attempts);

    const titles: string[] = [];
    const ids = new Map<string, string>();
    for await (const page of client.listAll('task', { filter: [{ path: 'title', operator: 'Starts with', value: prefix }] }, { credential: control.credential })) {
      for (const task of page.data) {
        titles.push(task.attributes.title as string);
        ids.set(task.attributes.title as string, task.id);
      }
    }
    // Zero duplicates.
    expect(titles.length).toBe(new Set(titles).size);
    // Every reported success exists with the id it was reported with.
    for (const [title, id] of created) expect(ids.get(title)).toBe(id);
    // Anything else that exists is a write whose answer was lost, and it was reported as failed.
    for (const title of titles) if (!created.has(title)) expect(failed.has(title)).toBe(true);
    // 503s were never applied; drops and truncations were, exactly once each.
    expect(notApplied.size).toBeGreaterThan(0);
    expect(applied.size).toBeGreaterThan(0);
    for (const title of notApplied) expect(ids.has(title)).toBe(false);
    for (const title of applied) expect(ids.has(title)).toBe(true);
    expect(titles.length).toBeGreaterThanOrEqual(created.size + applied.size);
    expect(titles.length).toBeLessThanOrEqual(created.size + applied.size + maybeApplied.size);
  });
});
