import { buildHTTPExecutor } from '@graphql-tools/executor-http';   // speaks multipart/mixed
import { parse } from 'graphql';
const execute = buildHTTPExecutor({ endpoint: 'http://localhost:4000/graphql', headers: { Authorization: 'Bearer <token>' } });
const result = await execute({
  document: parse(`{
    deals(first: 20) {
      nodes {
        id name stage
        ... @defer(label: "team") { owner { email } people(filter: { jobTitle: { isEmpty: false } }) { nodes { jobTitle } } }
      }
    }
    companies(first: 50) { nodes @stream(initialCount: 10) { name } }
  }`),
});
if (Symbol.asyncIterator in result) {
  for await (const payload of result) console.log(payload.data, payload.extensions?.cost);   // the board first, then each deal's team
}
