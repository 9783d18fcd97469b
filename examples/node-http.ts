import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGateway } from 'clarify-graphql';

const gateway = await createGateway({
  apiUrl: process.env.CLARIFY_API_URL ?? 'https://api.clarify.ai/v1',
  workspace: process.env.CLARIFY_WORKSPACE ?? 'acme',
  apiKey: process.env.CLARIFY_API_KEY, // omit for pass-through mode
  tokens: [process.env.GATEWAY_TOKEN ?? 'a-long-random-caller-token'], // or allowUnauthenticated: true behind your own auth
  limits: { cost: 30 },
});

// The gateway answers /graphql, /health, /ready and /metrics.
const server = createServer(gateway.handle);
server.listen(Number(process.env.PORT ?? 4000), '127.0.0.1', () => {
  console.log(`GraphQL at http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
});

// The library installs no signal handlers: close it from your own.
process.on('SIGTERM', () => server.close(() => void gateway.close()));
