import type { FieldMap, InterfaceRef } from '@pothos/core';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { ClarifyResource } from '../../client/types.js';
import { getComment, getSavedList } from '../../client/record-extras.js';
import type { GatewayContext } from '../../loaders/request-context.js';
import type { ClarifyFieldInfo } from '../../plan/field-info.js';
import { COMMENT_KIND, LIST_KIND, nodeTarget, type GlobalId } from '../../plan/global-id.js';
import type { GatewaySchemaTypes } from './builder.js';
import { planEntry } from './plan-entry.js';
import type { SchemaRegistry } from './registry.js';
import { loadSingle } from './record-reads.js';
import { text } from './values.js';
import { USER_OBJECT } from '../../workspace/model.js';


type Types = PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>;

export const GLOBAL_ID_DESCRIPTION =
  'Global id: names this object across every type, for `node(id:)`, and is accepted by every `ID` argument. `clarifyId` is the id Clarify itself uses.';

/** The node kind of a value `node` resolved: its slug, `comment`, or `list:<object>`. */
function kindOf(value: ClarifyResource): string {
  return value.type === LIST_KIND ? `${LIST_KIND}:${text(value.attributes.object) ?? ''}` : value.type;
}

/** The `Node` interface of Global Object Identification; records, comments and saved lists implement it. */
export function addNodeInterface(registry: SchemaRegistry): InterfaceRef<Types, ClarifyResource> {
  const node = registry.builder.interfaceRef<ClarifyResource>('Node').implement({
    description: 'An object with a global id, readable again with `node(id:)` (Relay\'s Global Object Identification).',
    resolveType: (value) => registry.nodeTypes.get(kindOf(value)) ?? null,
    fields: (t) => ({ id: t.id({ nullable: false, description: GLOBAL_ID_DESCRIPTION }) }),
  });
  registry.node = node;
  return node;
}

/** `node(id: ID!): Node` and `nodes(ids: [ID!]!): [Node]!` on `Query`. */
export function addNodeFields(registry: SchemaRegistry): void {
  const node = registry.node;
  if (!node) return;
  const types = Object.fromEntries(registry.nodeTypes);
  const records = [...registry.objects.keys()];
  const one: ClarifyFieldInfo = { role: 'node', types, records };
  const many: ClarifyFieldInfo = { role: 'nodes', types, records };
  registry.builder.queryFields(
    (t): FieldMap => ({
      node: t.field({
        type: node,
        nullable: true,
        description: 'The object a global id names (a record, user, comment or saved list); null when it no longer exists. One call, planned like `deal(id:)`.',
        args: { id: t.arg.id({ required: true, description: 'A global id (an `id` this gateway gave out).' }) },
        extensions: { clarify: one },
        resolve: (_root, args, ctx, info) => {
          const entry = planEntry(ctx, info, 'single');
          return loadNode(nodeId(args.id, types), ctx, entry);
        },
      }),
      nodes: t.field({
        type: [node],
        nullable: { list: false, items: true },
        description:
          'The objects the global ids name, in order; null for one that no longer exists. One call per distinct record at most, run concurrently, shared with the operation\'s other reads of the same record.',
        args: { ids: t.arg.idList({ required: { list: true, items: true }, description: 'Global ids.' }) },
        extensions: { clarify: many },
        resolve: (_root, args, ctx, info: GraphQLResolveInfo) => {
          const entry = planEntry(ctx, info, 'nodes');
          return Promise.all(
            args.ids.map((id, index) => {
              const global = nodeId(id, types);
              const load = () => loadNode(global, ctx, entry.items[index]!);
              // Users go through the record loader, which bounds (and batches) them itself.
              return global.kind === USER_OBJECT ? load() : ctx.records.limited(load);
            }),
          );
        },
      }),
    }),
  );
}

/** The global id's parts, when it names a kind of this schema; throws `BAD_USER_INPUT` otherwise. */
function nodeId(value: string, types: Record<string, string>): GlobalId {
  const target = nodeTarget(value, types);
  if (target instanceof GraphQLError) throw target;
  return target.id;
}

async function loadNode(id: GlobalId, ctx: GatewayContext, entry: { include: string[]; share: string }): Promise<ClarifyResource | null> {
  if (id.kind === COMMENT_KIND) return ctx.records.once(`node ${entry.share}`, () => getComment(ctx.client, id.id, ctx.call));
  if (id.kind === LIST_KIND) return ctx.records.once(`node ${entry.share}`, () => getSavedList(ctx.client, id.object!, id.id, ctx.call));
  return loadSingle(id.kind, id.id, ctx, entry);
}
