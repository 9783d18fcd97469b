import { createClient } from 'graphql-sse';   // Server-Sent Events (Yoga's native SSE, distinct connections)
const sse = createClient({ url: 'http://localhost:4000/graphql', headers: { Authorization: 'Bearer <token>' } });
for await (const result of sse.iterate({ query: 'subscription { dealChanged { kind id record { name } } }' })) {
  console.log(result.data);
}
