/**
 * The bare Yoga floor: graphql-yoga with a hand-written schema of the same shape as the
 * gateway's, answering a constant (a captured gateway answer) whatever the arguments.
 */
import { createSchema, createYoga } from 'graphql-yoga';
import { fail, listen, receiveInit, send, withBenchRoutes } from './child-runtime.js';

interface Init {
  /** `data.deals` and `data.deal` of gateway answers to the benchmark operations. */
  constants: { deals: unknown; deal: unknown };
}

const typeDefs = /* GraphQL */ `
  type Query {
    deals(first: Int, after: String): DealConnection!
    deal(id: ID!): Deal
  }
  type DealConnection { nodes: [Deal] }
  type Deal {
    id: ID!
    name: String
    amount: Float
    closeDate: String
    company: Company
    people: PersonConnection!
  }
  type Company { name: String domains: [String!]! employeeCount: Float }
  type PersonConnection { nodes: [Person] }
  type Person { name: PersonName emailAddresses: [String!]! jobTitle: String }
  type PersonName { fullName: String }
`;

try {
  const init = await receiveInit<Init>();
  const yoga = createYoga({
    schema: createSchema({
      typeDefs,
      resolvers: { Query: { deals: () => init.constants.deals, deal: () => init.constants.deal } },
    }),
    graphiql: false,
    landingPage: false,
  });
  const origin = await listen(withBenchRoutes((req, res) => void yoga.requestListener(req, res)));
  send({ type: 'ready', origin });
} catch (error) {
  fail(error);
}
