import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * `npm run codegen` first prints `schema/schema.graphql` from the demo workspace, then generates
 * typed documents for the queries under `test/documents/` (the same setup serves client apps:
 * point `documents` at your own `.graphql` files).
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['test/documents/**/*.graphql'],
  generates: {
    'test/generated/graphql.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        useTypeImports: true,
        scalars: { DateTime: 'string', Date: 'string', JSON: 'unknown', EmailAddress: 'string' },
        enumsAsTypes: true,
      },
    },
  },
};

export default config;
