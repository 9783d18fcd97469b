import { Worker } from 'node:worker_threads';

// Runs on its own thread, so a main thread that is stuck (a blocking write, a busy loop) cannot
// delay it. SIGKILL is the one signal that needs nothing from the stuck thread.
const WATCHDOG = `
const { workerData } = require('node:worker_threads');
setTimeout(() => process.kill(workerData.pid, 'SIGKILL'), workerData.ms);
`;

/**
 * Arms a last-resort exit: after `ms` the process is killed from a worker thread, whatever the
 * main thread is doing. The worker does not keep the process alive; a clean exit before `ms`
 * ends it.
 */
export function armForcedExit(ms: number): void {
  const worker = new Worker(WATCHDOG, { eval: true, workerData: { pid: process.pid, ms } });
  worker.unref();
}

// The main thread stores the time of its last turn; this thread reads it. A signal handler runs
// on the main thread's event loop, so a loop that never turns never sees SIGTERM: this thread
// ends such a process itself once the loop has been still for the bound, and says why on stderr.
const STALL_WATCHDOG = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const beat = new BigInt64Array(workerData.beat);
setInterval(() => {
  const still = Date.now() - Number(Atomics.load(beat, 0));
  if (still < workerData.boundMs) return;
  const line = JSON.stringify({ level: 60, time: Date.now(), pid: workerData.pid, stalledMs: still, msg: 'the event loop has not turned within the shutdown bound; killing the process' });
  try { writeSync(2, line + '\\n'); } catch {}
  process.kill(workerData.pid, 'SIGKILL');
}, workerData.checkMs);
`;

/**
 * Ends the process when its event loop has not turned for `boundMs` (a synchronous loop that
 * never returns, say): such a process answers nothing, not even SIGTERM, and a supervisor's own
 * kill may come much later or never. The beat is a timer on the main thread; neither it nor the
 * watching thread keeps the process alive.
 */
export function watchEventLoop(boundMs: number, beatMs = 250): void {
  const beat = new BigInt64Array(new SharedArrayBuffer(8));
  Atomics.store(beat, 0, BigInt(Date.now()));
  setInterval(() => Atomics.store(beat, 0, BigInt(Date.now())), beatMs).unref();
  const worker = new Worker(STALL_WATCHDOG, {
    eval: true,
    workerData: { pid: process.pid, beat: beat.buffer, boundMs, checkMs: beatMs },
  });
  worker.unref();
}
