import type { ErrorCode } from './codes.js';

/**
 * `extensions.code` of every GraphQL error the gateway makes is a code of the table, checked by the
 * compiler the way graphql-yoga declares its own `http` extension. A declaration file, so it holds
 * for this project's sources and is not shipped: an application embedding the gateway keeps its
 * own codes.
 */
declare module 'graphql' {
  interface GraphQLErrorExtensions {
    code?: ErrorCode;
  }
}
