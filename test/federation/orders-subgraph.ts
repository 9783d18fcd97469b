import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';

/** One order of the test's orders service: it knows its company by the gateway's global id. */
export interface Order {
  id: string;
  number: string;
  total: number;
  companyId: string;
}

/**
 * The orders service of the federation tests: a second subgraph that owns `Order` and adds
 * `Company.orders` to Clarify's `Company`, both joined on the company's `id`.
 */
export const ORDERS_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type Query {
    orders: [Order!]!
  }

  type Order @key(fields: "id") {
    id: ID!
    number: String!
    total: Float!
    company: Company
  }

  type Company @key(fields: "id") {
    id: ID!
    orders: [Order!]!
  }
`;

/** Serves the orders subgraph over HTTP on a loopback ephemeral port, counting the requests it answers. */
export async function startOrdersSubgraph(orders: readonly Order[]): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  const schema = buildSubgraphSchema({
    typeDefs: parse(ORDERS_SDL),
    resolvers: {
      Query: { orders: () => orders },
      Order: { company: (order: Order) => ({ __typename: 'Company', id: order.companyId }) },
      Company: {
        __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
        orders: (company: { id: string }) => orders.filter((order) => order.companyId === company.id),
      },
    },
  });
  let requests = 0;
  const yoga = createYoga({ schema, logging: false, graphiql: false });
  const server = createServer((req, res) => {
    requests++;
    void yoga.requestListener(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    requests: () => requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
