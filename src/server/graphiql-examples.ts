/**
 * The example tabs GraphiQL opens with. They are written for the demo workspace (the sandbox);
 * on another workspace they show the query shapes to adapt.
 */

const nestedDeals = /* GraphQL */ `# Deals with their company and people: one upstream call,
# related records come back through Clarify's include=.
# The cost of the last operation is in the response's "extensions".
query DealsWithRelationships {
  deals(first: 5) {
    totalCount
    nodes {
      name
      amount
      stage
      company {
        name
      }
      people(first: 3) {
        nodes {
          name {
            fullName
          }
        }
      }
    }
  }
}
`;

const filtered = /* GraphQL */ `# Filters combine field operators; relationship paths nest.
query BigOpenDeals {
  deals(
    first: 10
    filter: { amount: { gte: 10000 }, stage: { in: [PROPOSAL, NEGOTIATION] } }
    orderBy: { field: AMOUNT, direction: DESC }
  ) {
    nodes {
      name
      amount
      stage
      company {
        name
      }
    }
  }
}
`;

const mutation = /* GraphQL */ `# Clarify upserts people on their e-mail address:
# run it twice and the second answer says the record was matched.
mutation CreatePerson {
  createPerson(
    input: {
      name: { firstName: "Ada", lastName: "Lovelace" }
      emailAddresses: ["ada@example.com"]
      jobTitle: "Analyst"
    }
  ) {
    matched
    record {
      id
      name {
        fullName
      }
      emailAddresses
    }
    userErrors {
      field
      message
      code
    }
  }
}
`;

/**
 * The change the subscription tab asks for, from a second tab: a deal its filter matches, created
 * the first time and updated when run again (deals upsert on their name).
 */
export const SUBSCRIPTION_TAB_TRIGGER =
  'mutation { createDeal(input: { name: "Live demo", stage: NEGOTIATION, amount: 1000 }) { matched record { id } } }';

const subscription = /* GraphQL */ `# Run this, then make a change it watches: open a new tab (+) and run
#   ${SUBSCRIPTION_TAB_TRIGGER}
# The deal arrives here as CREATED within about two poll intervals. Change the
# amount and run it again: deals upsert on their name, so it arrives as UPDATED.
# Everyone watching the same filter shares one poll.
subscription DealChanges {
  dealChanged(filter: { stage: { in: [PROPOSAL, NEGOTIATION, WON] } }) {
    kind
    id
    changedAt
    record {
      name
      amount
      stage
      company {
        name
      }
    }
  }
}
`;

export const GRAPHIQL_EXAMPLE_TABS: { query: string }[] = [
  { query: nestedDeals },
  { query: filtered },
  { query: mutation },
  { query: subscription },
];

/**
 * The first tab in pass-through mode: the gateway holds no key, so nothing (not even the docs
 * panel) works until the caller's own key is in the Headers tab.
 */
export const GRAPHIQL_PASS_THROUGH_TAB: { query: string } = {
  query: /* GraphQL */ `# This gateway forwards YOUR Clarify credential (pass-through mode).
#
# 1. Open "Headers" below this editor.
# 2. Replace <your Clarify API key> with your key, keeping "api-key " in front
#    (or use "Bearer <OAuth token>").
# 3. Run this query. Until then every request, and the schema in the docs panel,
#    is refused with UNAUTHENTICATED ("Error fetching schema").
query WhoAmI {
  users(first: 1) {
    totalCount
  }
}
`,
};
