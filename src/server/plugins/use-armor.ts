import { EnvelopArmor } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { LimitOptions } from '../../config/defaults.js';
import { codedError } from '../../errors/coded-error.js';

/**
 * graphql-armor's depth, alias, token and directive limits. Its own cost estimate is off: the
 * gateway's cost is the number of upstream calls (see `use-operation-plan.ts`). Field suggestions
 * are blocked when introspection is off, so "Did you mean" cannot leak the schema.
 */
export function armorPlugins(limits: LimitOptions, introspection: boolean): Plugin[] {
  // The rules would throw, which ends validation without a code; reported, they get one.
  const report = { propagateOnRejection: false, onReject: [reportRejection] };
  const armor = new EnvelopArmor({
    costLimit: { enabled: false },
    maxDepth: { n: limits.depth, ignoreIntrospection: true, flattenFragments: true, ...report },
    maxAliases: { n: limits.aliases, ...report },
    maxTokens: { n: limits.tokens },
    maxDirectives: { n: limits.directives, ...report },
    blockFieldSuggestion: { enabled: !introspection },
  });
  return armor.protect().plugins as Plugin[];
}

/** Reports a graphql-armor rejection as a coded validation error instead of throwing it. */
function reportRejection(context: ValidationContext | null, error: GraphQLError): void {
  if (!context) throw error;
  context.reportError(
    codedError(error.message.replace(/^Syntax Error: /, ''), 'GRAPHQL_VALIDATION_FAILED', { http: { spec: true } }),
  );
}

