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
