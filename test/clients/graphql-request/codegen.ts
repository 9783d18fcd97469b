import type { CodegenConfig } from '@graphql-codegen/cli';

// GraphQL Code Generator's client preset for a graphql-request client (docs/clients.md).
// Run from the repository root: npx graphql-codegen --config test/clients/graphql-request/codegen.ts
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['test/clients/graphql-request/documents.ts'],
  generates: {
    'test/clients/graphql-request/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        // Only the types the documents use, not the whole schema.
        onlyOperationTypes: true,
        // ESM imports with `.js`, as Node's module resolution wants them.
        emitLegacyCommonJSImports: false,
        // The gateway's custom scalars, as they travel in JSON.
        scalars: { Date: 'string', DateTime: 'string', JSON: 'unknown', EmailAddress: 'string' },
      },
    },
  },
};

export default config;
