import { createClient } from 'graphql-ws';    // WebSocket, graphql-transport-ws protocol
const ws = createClient({ url: 'ws://localhost:4000/graphql', connectionParams: { Authorization: 'Bearer <token>' } });
for await (const result of ws.iterate({ query: 'subscription { dealChanged { kind id record { name } } }' })) {
  console.log(result.data);
}
