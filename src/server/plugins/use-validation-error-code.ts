import type { Plugin } from 'graphql-yoga';
import { withExtensions } from './use-error-status.js';

/** Gives validation errors without a code `GRAPHQL_VALIDATION_FAILED`, so every error has one. */
export function useValidationErrorCode(): Plugin {
  return {
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length === 0) return;
        setResult(
          result.map((error) =>
            error.extensions?.['code']
              ? error
              : withExtensions(error, { code: 'GRAPHQL_VALIDATION_FAILED' }),
          ),
        );
      };
    },
  };
}

