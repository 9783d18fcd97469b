import { USER_OBJECT, type FieldKind, type FieldModel, type ItemProperty, type ObjectModel, type RelationshipKind, type WorkspaceModel } from './model.js';

/**
 * Turns the items of `GET /schemas` into a workspace model. Accepts the array form and the
 * older map form keyed by `core/<slug>`; skips `core/*` helpers. A property whose shape is not
 * understood becomes a `json` field with a warning; it never throws on a malformed property.
 */
export function parseWorkspaceModel(items: unknown): WorkspaceModel {
  const warnings: string[] = [];
  const objects: ObjectModel[] = [];
  for (const [key, item] of schemaEntries(items)) {
    const slug = entitySlug(key, item);
    if (!slug) continue;
    if (objects.some((o) => o.slug === slug)) {
      warnings.push(`schema ${slug}: listed twice; the first is used`);
      continue;
    }
    const schema = isRecord(item) && isRecord(item.attributes) ? item.attributes : item;
    if (!isRecord(schema)) {
      warnings.push(`schema ${slug}: not an object, skipped`);
      continue;
    }
    objects.push(parseObject(slug, schema, warnings));
  }
  objects.sort((a, b) => a.slug.localeCompare(b.slug));
  return { objects, warnings };
}

function schemaEntries(items: unknown): [string | undefined, unknown][] {
  if (Array.isArray(items)) return items.map((item) => [undefined, item]);
  if (isRecord(items)) {
    const data = items.data;
    if (Array.isArray(data) || isRecord(data)) return schemaEntries(data);
    return Object.entries(items);
  }
  return [];
}

const ENTITY_ID = /\/schemas\/entities\/([^/]+)$/;

function entitySlug(key: string | undefined, item: unknown): string | undefined {
  const candidates: unknown[] = [];
  if (isRecord(item)) {
    candidates.push(item.id);
    if (isRecord(item.attributes)) candidates.push(item.attributes.$id);
    candidates.push(item.$id);
  }
  for (const candidate of candidates) {
    if (typeof candidate !== 'string') continue;
    const match = ENTITY_ID.exec(candidate);
    if (match?.[1]) return decodeURIComponent(match[1]);
    if (candidate.includes('/schemas/core/')) return undefined;
  }
  // The older map form keys entities as `core/<slug>` beside camelCase helpers (`core/collectionOfIds`).
  if (key?.startsWith('core/')) {
    const slug = key.slice('core/'.length);
    return /^[a-z][a-z0-9_]*$/.test(slug) ? slug : undefined;
  }
  if (key?.startsWith('entities/')) return key.slice('entities/'.length);
  return key;
}

function parseObject(slug: string, schema: Record<string, unknown>, warnings: string[]): ObjectModel {
  const title = stringOr(schema.title, titleCase(slug.replace(/^c_/, '')));
  const label = isRecord(schema.xClarifyLabel) ? schema.xClarifyLabel : {};
  const singular = stringOr(label.singular, title);
  const plural = stringOr(label.plural, `${singular}s`);
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter(isString) : []);
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const fields: FieldModel[] = [];
  for (const [name, property] of Object.entries(properties)) {
    if (!isRecord(property)) {
      warnings.push(`${slug}.${name}: property is not an object; exposed as JSON`);
      fields.push(baseField(name, {}, 'json', true, required));
      continue;
    }
    const { kind, nullable, options, itemProperties } = classify(slug, name, property, warnings);
    const field = baseField(name, property, kind, nullable, required);
    if (options) field.options = options;
    if (itemProperties) field.itemProperties = itemProperties;
    const relationship = parseRelationship(property.xClarifyRelationship);
    if (relationship) field.relationship = relationship;
    fields.push(field);
  }
  const primaryField = fields.find((f) => f.primary)?.name;
  const uniqueField = fields.find((f) => f.unique)?.name;
  const object: ObjectModel = {
    slug,
    title,
    singular,
    plural,
    custom: slug.startsWith('c_'),
    readOnly: slug === USER_OBJECT,
    fields,
  };
  if (typeof schema.description === 'string' && schema.description) object.description = schema.description;
  if (primaryField) object.primaryField = primaryField;
  if (uniqueField) object.uniqueField = uniqueField;
  return object;
}

function baseField(
  name: string,
  property: Record<string, unknown>,
  kind: FieldKind,
  nullable: boolean,
  required: Set<string>,
): FieldModel {
  return {
    name,
    title: stringOr(property.title, titleCase(name.replace(/^_/, ''))),
    kind,
    nullable,
    readOnly: name.startsWith('_'),
    required: required.has(name),
    primary: property.xClarifyPrimary === true,
    unique: property.xClarifyUnique === true,
  };
}

interface Classified {
  kind: FieldKind;
  nullable: boolean;
  options?: string[];
  itemProperties?: ItemProperty[];
}

function classify(slug: string, name: string, property: Record<string, unknown>, warnings: string[]): Classified {
  const relationship = parseRelationship(property.xClarifyRelationship);
  const types = typeList(property);
  const nullable = types.includes('null') || (Array.isArray(property.enum) && property.enum.includes(null));
  if (name === '_id') return { kind: 'id', nullable: false };
  if (relationship) {
    if (relationship.kind !== 'many-to-one') return { kind: 'toMany', nullable: true };
    return { kind: relationship.target === USER_OBJECT ? 'userReference' : 'reference', nullable: true };
  }
  if (Array.isArray(property.oneOf) && property.oneOf.some(refersToCollectionOfIds)) {
    warnings.push(`${slug}.${name}: to-many field without a relationship target; exposed as JSON`);
    return { kind: 'json', nullable: true };
  }
  if (types.includes('date')) return { kind: 'date', nullable };
  if (types.includes('string')) {
    if (Array.isArray(property.enum)) {
      return { kind: 'select', nullable, options: property.enum.filter(isString) };
    }
    if (property.format === 'date') return { kind: 'date', nullable };
    if (property.format === 'date-time') return { kind: 'dateTime', nullable };
    return { kind: 'text', nullable };
  }
  if (types.includes('number') || types.includes('integer')) return { kind: 'number', nullable };
  if (types.includes('boolean')) return { kind: 'boolean', nullable };
  if (types.includes('object') || isRecord(property.properties)) {
    const objectKind = classifyObject(property);
    if (objectKind) return { ...objectKind, nullable: true };
  }
  warnings.push(`${slug}.${name}: unrecognised shape; exposed as JSON`);
  return { kind: 'json', nullable: true };
}

function classifyObject(property: Record<string, unknown>): Omit<Classified, 'nullable'> | undefined {
  const properties = isRecord(property.properties) ? property.properties : {};
  if ('first_name' in properties || 'last_name' in properties || 'full_name' in properties) {
    return { kind: 'personName' };
  }
  const items = properties.items;
  if (isRecord(items) && typeList(items).includes('array')) {
    const item = isRecord(items.items) ? items.items : {};
    if (Array.isArray(item.enum)) return { kind: 'multiSelect', options: item.enum.filter(isString) };
    const itemTypes = typeList(item);
    if (itemTypes.includes('object') || isRecord(item.properties)) {
      return { kind: 'objectCollection', itemProperties: parseItemProperties(item) };
    }
    if (itemTypes.includes('string') || itemTypes.length === 0) return { kind: 'stringCollection' };
  }
  const text = properties.text;
  if (isRecord(text) && typeList(text).includes('array')) return { kind: 'richText' };
  return undefined;
}

function parseItemProperties(item: Record<string, unknown>): ItemProperty[] {
  const properties = isRecord(item.properties) ? item.properties : {};
  const result: ItemProperty[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const types = isRecord(property) ? typeList(property) : [];
    const kind = types.includes('boolean') ? 'boolean' : types.includes('number') || types.includes('integer') ? 'number' : 'text';
    result.push({ name, kind });
  }
  return result;
}

function parseRelationship(value: unknown): FieldModel['relationship'] | undefined {
  if (!isRecord(value)) return undefined;
  const kind = value.kind;
  const target = value.entity;
  if (!isRelationshipKind(kind) || typeof target !== 'string' || !target) return undefined;
  const relationship: NonNullable<FieldModel['relationship']> = { kind, target };
  if (typeof value.field === 'string' && value.field) relationship.inverse = value.field;
  return relationship;
}

function isRelationshipKind(value: unknown): value is RelationshipKind {
  return value === 'many-to-one' || value === 'one-to-many' || value === 'many-to-many';
}

function refersToCollectionOfIds(value: unknown): boolean {
  return isRecord(value) && typeof value.$ref === 'string' && value.$ref.endsWith('collectionOfIds');
}

function typeList(property: Record<string, unknown>): string[] {
  const type = property.type;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter(isString);
  return [];
}

function titleCase(value: string): string {
  return value
    .split(/[_\s]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(' ');
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.trim() ? value : fallback;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
