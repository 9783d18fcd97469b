import { GraphQLDeferDirective, GraphQLStreamDirective } from '@graphql-tools/utils';
import { isObjectType, specifiedDirectives, type GraphQLSchema } from 'graphql';
import type { WorkspaceModel } from '../workspace/model.js';
import { createBuilder } from './core/builder.js';
import { clarifyInfo, type SchemaPlanInfo } from '../plan/field-info.js';
import { hasIdArguments, withClarifyIds } from '../plan/global-id.js';
import { addFilterTypes, filterVocabulary } from './filters.js';
import { addMutations } from './mutations.js';
import { addNodeFields } from './nodes.js';
import { addExtraMutations } from './extra-mutations.js';
import { addRecordExtras } from './record-extras.js';
import { addSavedLists } from './saved-lists.js';
import { addSchemaChanges } from './schema-changes.js';
import { addRecordTypes } from './records.js';
import { SchemaRegistry } from './core/registry.js';
import { addRootFields } from './root-fields.js';
import { addSubscriptions } from './subscriptions.js';

/**
 * Builds the gateway's GraphQL schema from a workspace model: one type per Clarify object with
 * typed fields, relationships, connections, filter and order inputs, and the root fields.
 */
export function buildGatewaySchema(model: WorkspaceModel): GraphQLSchema {
  const registry = new SchemaRegistry(createBuilder(), model);
  addFilterTypes(registry);
  addRecordTypes(registry);
  addRootFields(registry);
  addMutations(registry);
  const extras = addRecordExtras(registry);
  if (extras) addExtraMutations(registry, extras);
  addSavedLists(registry);
  addSchemaChanges(registry);
  addSubscriptions(registry);
  addNodeFields(registry);
  const planInfo: SchemaPlanInfo = { filters: filterVocabulary(registry) };
  // `@defer` and `@stream` are part of the schema itself, so the executor and introspection see
  // them and the server never has to derive a second schema per reload to add them.
  const schema = registry.builder.toSchema({
    sortSchema: true,
    directives: [...specifiedDirectives, GraphQLDeferDirective, GraphQLStreamDirective],
    extensions: { clarify: planInfo },
  });
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
