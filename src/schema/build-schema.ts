/**
 * The schema is organised by feature. `core/` is what every feature builds on: the builder and its
 * scalars, the registry of one build (refs, type and root-field names), naming, value reading,
 * user errors, plan entries, connections and record reads, and the Relay `Node` interface with
 * `node`/`nodes`. Each other folder is one feature with its types, reads and writes together:
 * `records/` (record types, relations, root fields, filters, inputs, create/update/delete and
 * relationship writes, subscriptions), `timeline/` (activities and comments), `attachments/`,
 * `merges/`, `deletions/`, `saved-lists/`, `schema-changes/`, and `federation/` (entity keys and
 * `_entities` when the schema is a Federation v2 subgraph). A feature imports `core/` and
 * no other feature: what it needs of another (the `RichText` type, `UserError`, a record type's
 * connection) it reads from the registry, or this file passes it in. This file alone composes
 * the features, in an order that keeps generated names stable (`npm run deps` checks the rule).
 */
import { GraphQLDeferDirective, GraphQLStreamDirective } from '@graphql-tools/utils';
import { isObjectType, specifiedDirectives, type GraphQLSchema } from 'graphql';
import { clarifyInfo, type SchemaPlanInfo } from '../plan/field-info.js';
import { hasIdArguments, withClarifyIds } from '../plan/global-id.js';
import type { WorkspaceModel } from '../workspace/model.js';
import { addAttachments } from './attachments/attachments.js';
import { createBuilder } from './core/builder.js';
import { addNodeFields } from './core/nodes.js';
import { SchemaRegistry } from './core/registry.js';
import { addDeletedRecords } from './deletions/deleted-records.js';
import { addEntityKeys, toSubgraphSchema } from './federation/federation.js';
import { addMerges } from './merges/merges.js';
import { addFilterTypes, filterVocabulary } from './records/filters.js';
import { addMutations } from './records/mutations.js';
import { addRecordTypes } from './records/record-types.js';
import { addRootFields } from './records/root-fields.js';
import { addSubscriptions } from './records/subscriptions.js';
import { addSavedLists } from './saved-lists/saved-lists.js';
import { addSchemaChanges } from './schema-changes/schema-changes.js';
import { addActivities } from './timeline/activities.js';
import { addComments } from './timeline/comments.js';

/**
 * Builds the gateway's GraphQL schema from a workspace model: one type per Clarify object with
 * typed fields, relationships, connections, filter and order inputs, and the root fields. With
 * `federation` it is a Federation v2 subgraph (`federation/federation.ts`).
 */
export function buildGatewaySchema(model: WorkspaceModel, options: { federation?: boolean } = {}): GraphQLSchema {
  const registry = new SchemaRegistry(createBuilder(options), model);
  const vocabulary = filterVocabulary(registry);
  addFilterTypes(registry);
  addRecordTypes(registry);
  addRootFields(registry);
  addMutations(registry);
  addActivities(registry);
  addAttachments(registry);
  addComments(registry);
  addMerges(registry);
  addDeletedRecords(registry);
  addSavedLists(registry, vocabulary);
  addSchemaChanges(registry);
  addSubscriptions(registry);
  addNodeFields(registry);
  const planInfo: SchemaPlanInfo = { filters: vocabulary };
  // `@defer` and `@stream` are part of the schema itself, so the executor and introspection see
  // them and the server never has to derive a second schema per reload to add them.
  const build = {
    sortSchema: true,
    directives: [...specifiedDirectives, GraphQLDeferDirective, GraphQLStreamDirective],
    extensions: { clarify: planInfo },
  };
  const schema = options.federation ? toSubgraphSchema(registry, build, addEntityKeys(registry)) : registry.builder.toSchema(build);
  acceptGlobalIds(schema);
  return schema;
}

/**
 * Every `ID` argument takes a global id as well as a Clarify id: resolvers of fields with `ID`
 * arguments (at any depth of their input types) receive the Clarify id either way, as the
 * planner does. `node`/`nodes` read the kind from the global id and keep it.
 */
function acceptGlobalIds(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const role = clarifyInfo(field)?.role;
      if (role === 'node' || role === 'nodes' || !hasIdArguments(field.args)) continue;
      const { resolve, subscribe, args } = field;
      if (resolve) field.resolve = (source, values, context, info) => resolve(source, withClarifyIds(args, values), context, info);
      if (subscribe) field.subscribe = (source, values, context, info) => subscribe(source, withClarifyIds(args, values), context, info);
    }
  }
}
