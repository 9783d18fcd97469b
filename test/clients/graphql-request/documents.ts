import { graphql } from './gql/index.js';

export const DealsPageDocument = graphql(`
  query DealsPage($first: Int!, $after: String) {
    deals(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      nodes { id name amount stage company { name } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const DealNodeDocument = graphql(`
  query DealNode($id: ID!) {
    node(id: $id) { __typename id ... on Deal { name stage } }
  }
`);
