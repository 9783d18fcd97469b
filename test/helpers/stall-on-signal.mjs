// Preloaded into a gateway process by a test: SIGUSR2 makes its main thread spin forever, as a
// request that never yields would.
import process from 'node:process';
process.on('SIGUSR2', () => {
  for (;;) {
    // spin
  }
});
