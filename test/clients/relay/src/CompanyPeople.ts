import { graphql } from 'relay-runtime';

// A company's people, paginated with `@connection`; `loadNext` runs the refetch query through `node(id:)`.
export const companyPeopleFragment = graphql`
  fragment CompanyPeople_company on Company
  @refetchable(queryName: "CompanyPeoplePaginationQuery")
  @argumentDefinitions(count: { type: "Int", defaultValue: 3 }, cursor: { type: "String" }) {
    name
    people(first: $count, after: $cursor) @connection(key: "CompanyPeople_people") {
      edges { node { id name { fullName } } }
    }
  }
`;

export const companyPeopleQuery = graphql`
  query CompanyPeopleQuery($id: ID!) {
    company(id: $id) { ...CompanyPeople_company }
  }
`;
