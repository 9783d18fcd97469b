import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for a client app. First print your workspace's schema:
//   npx clarify-graphql print-schema -o schema.graphql
// (or point `schema` at the running gateway: 'http://localhost:4000/graphql').
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['src/**/*.graphql'],
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        // The gateway's custom scalars, as they travel in JSON.
        scalars: { Date: 'string', DateTime: 'string', JSON: 'unknown', EmailAddress: 'string' },
      },
    },
  },
};

export default config;
