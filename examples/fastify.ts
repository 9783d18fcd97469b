import Fastify from 'fastify';
import { createGateway } from 'clarify-graphql';

const gateway = await createGateway({
  apiUrl: process.env.CLARIFY_API_URL ?? 'https://api.clarify.ai/v1',
  workspace: process.env.CLARIFY_WORKSPACE ?? 'acme',
  apiKey: process.env.CLARIFY_API_KEY,
  tokens: [process.env.GATEWAY_TOKEN ?? 'a-long-random-caller-token'],
});

const app = Fastify();
for (const url of ['/graphql', '/health', '/ready', '/metrics']) {
  app.route({
    url,
    method: ['GET', 'POST', 'OPTIONS'],
    handler: async (req, reply) => {
      const response = await gateway.yoga.handleNodeRequestAndResponse(req, reply, { req, reply });
      response.headers.forEach((value, key) => reply.header(key, value));
      reply.status(response.status);
      reply.send(response.body);
      return reply;
    },
  });
}

const url = await app.listen({ port: Number(process.env.PORT ?? 4000), host: '127.0.0.1' });
console.log(`GraphQL at ${url}/graphql`);
process.on('SIGTERM', () => void app.close().then(() => gateway.close()));
