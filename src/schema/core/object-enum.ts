import type { EnumRef } from '@pothos/core';
import type { GatewaySchemaTypes } from './builder.js';
import type { ObjectParts, SchemaRegistry } from './registry.js';

type Types = PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>;
export type ObjectEnumRef = EnumRef<Types, string, string>;

/** CONSTANT_CASE of a type name: `SalesOrder` → `SALES_ORDER`. */
export function constantCase(typeName: string): string {
  return typeName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** The objects whose records take comments, files, lists and merges: every object but users. */
export function recordObjects(registry: SchemaRegistry): ObjectParts[] {
  return [...registry.objects.values()].filter((parts) => !parts.object.readOnly && parts.object.slug !== 'user');
}

const made = new WeakMap<SchemaRegistry, ObjectEnumRef>();

/** `RecordType`: one value per record object (`DEAL` → `deal`), made once per build. */
export function recordObjectEnum(registry: SchemaRegistry): ObjectEnumRef {
  let ref = made.get(registry);
  if (!ref) {
    const values: Record<string, { value: string; description: string }> = {};
    for (const parts of recordObjects(registry)) {
      values[constantCase(parts.names.typeName)] = { value: parts.object.slug, description: `${parts.names.typeName} (\`${parts.object.slug}\`).` };
    }
    ref = registry.builder.enumType('RecordType', { description: 'A Clarify object whose records the operation concerns.', values }) as ObjectEnumRef;
    made.set(registry, ref);
  }
  return ref;
}

const rootClaims = new WeakMap<SchemaRegistry, { query: Set<string>; mutation: Set<string> }>();

function claimsFor(registry: SchemaRegistry): { query: Set<string>; mutation: Set<string> } {
  let claims = rootClaims.get(registry);
  if (!claims) {
    const query = new Set<string>();
    const mutation = new Set<string>();
    for (const parts of registry.objects.values()) {
      query.add(parts.names.single);
      query.add(parts.names.plural);
      for (const verb of ['create', 'update', 'delete']) {
        mutation.add(`${verb}${parts.names.typeName}`);
        mutation.add(`${verb}${parts.names.pluralType}`);
      }
    }
    claims = { query, mutation };
    rootClaims.set(registry, claims);
  }
  return claims;
}

/**
 * A root field name no other root field of the build has: `wanted`, or `wanted` with a number.
 * Object root fields come from workspace labels, so a custom object may take any name first.
 */
export function claimRootField(registry: SchemaRegistry, root: 'query' | 'mutation', wanted: string): string {
  const taken = claimsFor(registry)[root];
  let name = wanted;
  for (let n = 2; taken.has(name); n++) name = `${wanted}${n}`;
  taken.add(name);
  return name;
}
