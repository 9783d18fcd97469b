import { GraphQLDeferDirective, GraphQLStreamDirective } from '@graphql-tools/utils';
import { specifiedDirectives, type GraphQLSchema } from 'graphql';
import type { WorkspaceModel } from '../workspace/model.js';
import { createBuilder } from './builder.js';
import type { SchemaPlanInfo } from '../plan/field-info.js';
import { addFilterTypes, filterVocabulary } from './filters.js';
import { addMutations } from './mutations.js';
import { addExtraMutations } from './extra-mutations.js';
import { addRecordExtras } from './record-extras.js';
import { addSavedLists } from './saved-lists.js';
import { addSchemaChanges } from './schema-changes.js';
import { addRecordTypes } from './records.js';
import { SchemaRegistry } from './registry.js';
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
  const planInfo: SchemaPlanInfo = { filters: filterVocabulary(registry) };
  // `@defer` and `@stream` are part of the schema itself, so the executor and introspection see
  // them and the server never has to derive a second schema per reload to add them.
  return registry.builder.toSchema({
    sortSchema: true,
    directives: [...specifiedDirectives, GraphQLDeferDirective, GraphQLStreamDirective],
    extensions: { clarify: planInfo },
  });
}
