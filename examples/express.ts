import express from 'express';
import { createGateway } from 'clarify-graphql';

const gateway = await createGateway({
  apiUrl: process.env.CLARIFY_API_URL ?? 'https://api.clarify.ai/v1',
  workspace: process.env.CLARIFY_WORKSPACE ?? 'acme',
  apiKey: process.env.CLARIFY_API_KEY,
  tokens: [process.env.GATEWAY_TOKEN ?? 'a-long-random-caller-token'],
});

const app = express();
// app.all, not app.use: app.use would strip the path before the gateway sees it.
app.all(['/graphql', '/health', '/ready', '/metrics'], gateway.handle);

const server = app.listen(Number(process.env.PORT ?? 4000), '127.0.0.1', () => {
  const address = server.address();
  console.log(`GraphQL at http://127.0.0.1:${typeof address === 'object' && address ? address.port : ''}/graphql`);
});
process.on('SIGTERM', () => server.close(() => void gateway.close()));
