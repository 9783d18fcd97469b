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
    ref = registry.builder.enumType('RecordType', { description: 'A Clarify object whose records the operation concerns.', values });
    made.set(registry, ref);
  }
  return ref;
}
