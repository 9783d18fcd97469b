import { graphql } from 'relay-runtime';

// A deal card that refetches itself through `node(id:)`.
export const dealCardFragment = graphql`
  fragment DealCard_deal on Deal @refetchable(queryName: "DealCardRefetchQuery") {
    name
    amount
    company { name }
    people(first: 10) { nodes { id name { fullName } } }
  }
`;
