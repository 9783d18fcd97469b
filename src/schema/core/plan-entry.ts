import type { GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../../loaders/request-context.js';
import type { WriteEffect } from '../../plan/effects.js';
import type { CallRule, ClarifyFieldInfo } from '../../plan/field-info.js';
import type { PlanEntry } from '../../plan/plan.js';
import { planOperation } from '../../plan/planner.js';

type EntryOf<K extends PlanEntry['kind']> = Extract<PlanEntry, { kind: K }>;

/**
 * The plan entry of the field being resolved. The server plans every operation before it runs;
 * a context without a plan (the schema executed on its own) is planned here once, from `info`.
 * A field the planner refused fails with the planner's error, before any upstream call.
 */
export function planEntry<K extends PlanEntry['kind']>(ctx: GatewayContext, info: GraphQLResolveInfo, kind: K): EntryOf<K> {
  ctx.plan ??= planOperation({
    schema: info.schema,
    operation: info.operation,
    fragments: info.fragments,
    variables: info.variableValues,
  }).plan;
  const entry = ctx.plan.at(info.path);
  if (entry?.kind === 'refused') throw entry.error;
  if (!entry || !isKind(entry, kind)) {
    throw new Error(`The operation plan has no ${kind} entry for ${info.parentType.name}.${info.fieldName}.`);
  }
  return entry;
}

function isKind<K extends PlanEntry['kind']>(entry: PlanEntry, kind: K): entry is EntryOf<K> {
  return entry.kind === kind;
}

/** A mutation's meaning for the planner: the upstream calls it makes, and what it changes. */
export const writes = (calls: CallRule, effects: readonly WriteEffect[]): { clarify: ClarifyFieldInfo } => ({ clarify: { role: 'write', calls, effects } });
