import { startSandbox } from './server.js';

/** `npm run sandbox [-- --records N --seed N]`; port from SANDBOX_PORT (default 4010). */
function flag(name: string): number | undefined {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    let value: string | undefined;
    if (arg === `--${name}`) value = args[i + 1];
    else if (arg.startsWith(`--${name}=`)) value = arg.slice(name.length + 3);
    else continue;
    const number = Number(value);
    if (value === undefined || !Number.isInteger(number) || number < 0) {
      console.error(`--${name} needs a whole number`);
      process.exit(2);
    }
    return number;
  }
  return undefined;
}

const port = Number(process.env.SANDBOX_PORT ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`SANDBOX_PORT must be a port number, got "${process.env.SANDBOX_PORT ?? ''}"`);
  process.exit(2);
}

const host = '127.0.0.1';
const sandbox = await startSandbox({ port, host, seed: flag('seed') ?? 42, records: flag('records') ?? 300 }).catch(
  (error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.error(
      `clarify-graphql: ${host}:${port} (SANDBOX_PORT) is already in use (another sandbox or npm start?); stop it or set SANDBOX_PORT to a free port.`,
    );
    process.exit(2);
  },
);
console.log(`Clarify sandbox listening on ${sandbox.apiUrl}/workspaces/${sandbox.workspace}`);
console.log(`API key: ${sandbox.apiKey}   (send "Authorization: api-key ${sandbox.apiKey}")`);
console.log(
  `Gateway over it: CLARIFY_API_URL=${sandbox.apiUrl} CLARIFY_WORKSPACE=${sandbox.workspace} CLARIFY_API_KEY=${sandbox.apiKey} npm start`,
);

const stop = (): void => {
  sandbox.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
