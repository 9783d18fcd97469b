/**
 * Re-binding a cached plan to another request's values: which variables the walk read, and the
 * list and share sites whose cursors, filters, orders and ids may take other values without
 * changing the plan's shape. The plan cache (`plan-cache.ts`) reuses plans through `bindPlan`.
 */
import { GraphQLError, type FieldNode, type GraphQLField } from 'graphql';
import { unusableIdArgument } from './ids.js';
import { nodeTarget } from './global-id.js';
import type { FilterVocabulary } from './filter.js';
import { pageSize } from './paging.js';
import type { OperationPlan, ListPlan, PlanEntry } from './plan.js';
import { argumentValues, listArguments, listCalls, listOf, shareKeyOf, type Keyed } from './arguments.js';

/** A view of the variables that notes every name read through it. */
export function trackReads(variables: Record<string, unknown>, read: Set<string>): Record<string, unknown> {
  return new Proxy(variables, {
    get(target, name, receiver) {
      if (typeof name === 'string') read.add(name);
      return Reflect.get(target, name, receiver);
    },
    has(target, name) {
      if (typeof name === 'string') read.add(name);
      return Reflect.has(target, name);
    },
    getOwnPropertyDescriptor(target, name) {
      if (typeof name === 'string') read.add(name);
      return Reflect.getOwnPropertyDescriptor(target, name);
    },
  });
}

/**
 * A list field whose cursors, filter or order come from variables: what must stay the same for a
 * plan to be reused with other values (page size and calls; whether it takes the endpoint).
 */
export interface ListSite {
  path: string;
  definition: GraphQLField<unknown, unknown>;
  node: FieldNode;
  object: string | undefined;
  size: number;
  calls: number;
  extra: number;
  viaEndpoint: boolean;
  keyed: Keyed | undefined;
}

/** A root field reading one record; root fields with the same share key share one call. */
export interface ShareSite {
  key: string;
  definition: GraphQLField<unknown, unknown>;
  node: FieldNode | undefined;
  object: string;
  share: string;
  /** For `node(id)`: the node kinds its global id may name (another kind plans another shape). */
  nodeTypes?: Readonly<Record<string, string>>;
}

/**
 * The plan again with another request's values: cursors, filters and orders recomputed for each
 * list site, and share keys for the root fields that read one record. Undefined when a value
 * changes the plan's shape (another page size or call count, an endpoint instead of a block, an
 * argument it would refuse, root fields sharing a record that did not, or the reverse).
 */
export function bindPlan(
  plan: OperationPlan,
  sites: readonly ListSite[],
  shares: readonly ShareSite[],
  filters: FilterVocabulary | undefined,
  variables: Record<string, unknown>,
): OperationPlan | undefined {
  const changed = new Map<string, PlanEntry>();
  for (const site of sites) {
    let list: ListPlan & { viaEndpoint: boolean };
    try {
      const args = argumentValues(site.definition, site.node, variables);
      if (unusableIdArgument(site.definition, site.node, args)) return undefined;
      list = listArguments(filters, site.object, args, site.keyed);
    } catch {
      return undefined;
    }
    const calls = listCalls(list);
    if (pageSize(list.page) !== site.size || calls.predicted !== site.calls || calls.extra !== site.extra || list.viaEndpoint !== site.viaEndpoint) return undefined;
    const entry = withList(plan.entry(site.path), listOf(list));
    if (!entry) return undefined;
    changed.set(site.path, entry);
  }
  if (shares.length > 0) {
    const keys: string[] = [];
    for (const site of shares) {
      let args: Record<string, unknown>;
      try {
        args = site.node ? argumentValues(site.definition, site.node, variables) : {};
      } catch {
        return undefined;
      }
      if (site.node && unusableIdArgument(site.definition, site.node, args)) return undefined;
      if (site.nodeTypes) {
        // Another kind of node is another shape of plan.
        const target = nodeTarget(args.id, site.nodeTypes);
        if (target instanceof GraphQLError || target.kind !== site.object) return undefined;
        args = { id: target.id.id };
      }
      keys.push(shareKeyOf(site.object, site.key, args));
    }
    // The same fields must share a record as when the plan was made: their includes were merged.
    for (let i = 0; i < shares.length; i++) {
      for (let j = 0; j < i; j++) {
        if ((keys[i] === keys[j]) !== (shares[i]!.share === shares[j]!.share)) return undefined;
      }
    }
    shares.forEach((site, i) => {
      const entry = plan.entry(site.key);
      if (entry?.kind === 'single') changed.set(site.key, { ...entry, share: keys[i]! });
    });
  }
  return plan.with(changed);
}

/** A list-like entry with another filter, order and page. */
function withList(entry: PlanEntry | undefined, list: ListPlan): PlanEntry | undefined {
  switch (entry?.kind) {
    case 'list':
    case 'toMany':
      return { ...entry, list };
    case 'paged':
      return { ...entry, page: list.page, ...(entry.list ? { list } : {}) };
    case 'changes':
      return { ...entry, filter: list.filter };
    default:
      return undefined;
  }
}
