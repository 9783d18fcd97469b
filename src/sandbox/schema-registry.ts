import { ApiError, badRequest, invalid, notFound } from './errors.js';
import { SYSTEM_FIELDS, type FieldDef, type ObjectDef, type RelationshipDef } from './model.js';
import { defineObject, standardObjects } from './standard-objects.js';

const SCHEMA_BASE = 'https://getclarify.ai/schemas';
const COLLECTION_OF_IDS = `${SCHEMA_BASE}/core/collectionOfIds`;
const COLORS = ['gray', 'blue', 'purple', 'orange', 'green', 'red', 'yellow', 'pink'];

export const entityUrl = (slug: string): string => `${SCHEMA_BASE}/entities/${slug}`;

type Json = Record<string, unknown>;

/** The workspace's objects: the seeded ones plus those created through `/schemas`. */
export class SchemaRegistry {
  readonly objects = new Map<string, ObjectDef>();

  constructor() {
    for (const object of standardObjects()) this.objects.set(object.slug, object);
  }

  /** An object whose records are reachable under `/objects/{slug}`. */
  recordObject(slug: string): ObjectDef {
    const object = this.objects.get(slug);
    if (!object || object.readOnly) throw notFound(`Object "${slug}" does not exist in this workspace`);
    return object;
  }

  require(slug: string): ObjectDef {
    const object = this.objects.get(slug);
    if (!object) throw notFound(`Object "${slug}" does not exist in this workspace`);
    return object;
  }

  /** Every to-many many-to-many field of any object that points at `slug`. */
  fieldsTargeting(slug: string): Array<{ object: ObjectDef; field: FieldDef }> {
    const out: Array<{ object: ObjectDef; field: FieldDef }> = [];
    for (const object of this.objects.values()) {
      for (const field of object.fields.values()) {
        if (field.relationship?.entity === slug) out.push({ object, field });
      }
    }
    return out;
  }

  renderAll(): Json[] {
    const items: Json[] = [];
    for (const object of this.objects.values()) items.push(this.render(object));
    items.push({
      id: COLLECTION_OF_IDS,
      type: 'schema',
      attributes: {
        $schema: 'https://json-schema.org/draft/2020-12/clarify',
        $id: COLLECTION_OF_IDS,
        title: 'Collection of ids',
        type: 'object',
        properties: { items: { type: 'array', items: { type: 'string' } } },
      },
    });
    return items;
  }

  render(object: ObjectDef): Json {
    const properties: Json = {};
    for (const field of SYSTEM_FIELDS) {
      properties[field.name] =
        field.kind === 'date-time'
          ? { type: 'string', format: 'date-time' }
          : field.kind === 'id'
            ? { type: 'string' }
            : { type: ['string', 'null'] };
    }
    for (const field of object.fields.values()) {
      properties[field.name] = renderField(field, object.required.includes(field.name));
    }
    const attributes: Json = {
      $schema: 'https://json-schema.org/draft/2020-12/clarify',
      $id: entityUrl(object.slug),
      title: object.title,
      type: 'object',
      xClarifyLabel: { singular: object.singular, plural: object.plural },
      required: [...object.required],
      properties,
    };
    if (object.description !== null) attributes.description = object.description;
    return { id: entityUrl(object.slug), type: 'schema', attributes };
  }

  /** `POST /schemas/objects`. */
  createObject(body: unknown): ObjectDef {
    if (!isObject(body)) throw badRequest('The request body must be a JSON object with "name" and "plural"');
    const { name, plural, description, properties } = body;
    if (typeof name !== 'string' || name.trim().length < 1 || name.length > 32) {
      throw invalid('name must be a string of 1 to 32 characters', '/name');
    }
    if (typeof plural !== 'string' || plural.trim().length < 1 || plural.length > 32) {
      throw invalid('plural must be a string of 1 to 32 characters', '/plural');
    }
    if (description !== undefined && description !== null && (typeof description !== 'string' || description.length > 256)) {
      throw invalid('description must be a string of at most 256 characters', '/description');
    }
    if (properties !== undefined && !isObject(properties)) throw invalid('properties must be an object', '/properties');
    const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
    if (base === '') throw invalid('name must contain a letter or digit', '/name');
    const slug = `c_${base}`;
    if (this.objects.has(slug)) throw invalid(`An object with the slug "${slug}" already exists`, '/name');

    const object = defineObject({
      slug,
      singular: name.trim(),
      plural: plural.trim(),
      custom: true,
      description: typeof description === 'string' ? description : null,
      fields: [],
    });
    const fields = parseProperties(properties ?? {}, '/properties', this, object);
    if (!fields.some((field) => field.primary)) {
      const existing = fields.find((field) => field.name === 'name' && field.kind === 'text');
      if (existing) existing.primary = true;
      else fields.unshift({ name: 'name', title: 'Name', kind: 'text', primary: true, rank: 0 });
    }
    fields.forEach((field, rank) => object.fields.set(field.name, { ...field, rank }));
    this.objects.set(slug, object);
    this.addInverseFields(object, fields);
    return object;
  }

  /** `POST /schemas/{entity}/properties`: adds missing fields, leaves existing ones as they are. */
  addProperties(slug: string, body: unknown): void {
    const object = this.objects.get(slug);
    if (!object || object.readOnly) throw notFound(`Entity "${slug}" does not exist`);
    if (!isObject(body) || !isObject(body.data)) {
      throw badRequest('The request body must be {"data": {"type": "schema-properties", "attributes": {...}}}', {
        pointer: '/data',
      });
    }
    if (body.data.type !== undefined && body.data.type !== 'schema-properties') {
      throw invalid('data.type must be "schema-properties"', '/data/type');
    }
    if (!isObject(body.data.attributes)) {
      throw badRequest('data.attributes must be an object of property schemas', { pointer: '/data/attributes' });
    }
    const fresh: Json = {};
    for (const [name, schema] of Object.entries(body.data.attributes)) {
      if (!object.fields.has(name)) fresh[name] = schema;
    }
    const fields = parseProperties(fresh, '/data/attributes', this, object);
    let rank = object.fields.size;
    for (const field of fields) object.fields.set(field.name, { ...field, rank: rank++ });
    this.addInverseFields(object, fields);
  }

  /** A new relationship that names an inverse field the other side lacks gets that field. */
  private addInverseFields(object: ObjectDef, fields: FieldDef[]): void {
    for (const field of fields) {
      const relation = field.relationship;
      if (!relation?.field || relation.entity === 'user') continue;
      const other = this.objects.get(relation.entity);
      if (!other || other.fields.has(relation.field)) continue;
      const inverse: RelationshipDef =
        relation.kind === 'many-to-many'
          ? { kind: 'many-to-many', entity: object.slug, field: field.name }
          : relation.kind === 'many-to-one'
            ? { kind: 'one-to-many', entity: object.slug, field: field.name }
            : { kind: 'many-to-one', entity: object.slug, field: field.name };
      other.fields.set(relation.field, {
        name: relation.field,
        title: relation.field,
        kind: inverse.kind === 'many-to-one' ? 'fk' : 'to-many',
        relationship: inverse,
        rank: other.fields.size,
      });
    }
  }
}

function renderField(field: FieldDef, required: boolean): Json {
  const nullable = (type: string): string | string[] => (required ? type : [type, 'null']);
  let schema: Json;
  switch (field.kind) {
    case 'text':
    case 'id':
    case 'actor':
      schema = { type: nullable('string') };
      break;
    case 'number':
      schema = { type: nullable('number') };
      break;
    case 'boolean':
      schema = { type: nullable('boolean') };
      break;
    case 'date':
      schema = { type: nullable('string'), format: 'date' };
      break;
    case 'date-time':
      schema = { type: nullable('string'), format: 'date-time' };
      break;
    case 'select': {
      const options = field.options ?? [];
      schema = {
        type: nullable('string'),
        enum: required ? [...options] : [...options, null],
        xClarifyEnumMetadata: enumMetadata(field),
      };
      break;
    }
    case 'multi-select':
      schema = {
        type: nullable('object'),
        properties: { items: { type: 'array', items: { type: 'string', enum: [...(field.options ?? [])] } } },
        xClarifyEnumMetadata: enumMetadata(field),
      };
      break;
    case 'collection':
      schema = {
        type: nullable('object'),
        properties: { items: { type: 'array', items: field.email ? { type: 'string', format: 'email' } : { type: 'string' } } },
      };
      break;
    case 'object-collection':
      schema = {
        type: nullable('object'),
        properties: {
          items: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                email: { type: 'string' },
                name: { type: ['string', 'null'] },
                status: { type: ['string', 'null'] },
                organizer: { type: 'boolean' },
                phone_number: { type: ['string', 'null'] },
              },
            },
          },
        },
      };
      break;
    case 'name':
      schema = {
        type: nullable('object'),
        properties: {
          first_name: { type: ['string', 'null'] },
          last_name: { type: ['string', 'null'] },
          full_name: { type: ['string', 'null'] },
        },
      };
      break;
    case 'rich-text':
      schema = { type: nullable('object'), properties: { text: { type: 'array', items: { type: 'object' } } } };
      break;
    case 'fk':
    case 'user-ref':
      schema = { type: nullable('string'), xClarifyRelationship: { ...field.relationship } };
      break;
    case 'to-many':
      schema = { oneOf: [{ $ref: COLLECTION_OF_IDS }, { type: 'null' }], xClarifyRelationship: { ...field.relationship } };
      break;
  }
  schema.title = field.title;
  if (field.primary) schema.xClarifyPrimary = true;
  if (field.unique) schema.xClarifyUnique = true;
  schema.xClarifyPresentation = { rank: field.rank, hiddenInDetails: false };
  return schema;
}

function enumMetadata(field: FieldDef): Json {
  const metadata: Json = {};
  (field.options ?? []).forEach((option, rank) => {
    metadata[option] = { id: `${field.name}_${rank + 1}`, rank, color: COLORS[rank % COLORS.length] };
  });
  return metadata;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseProperties(properties: Json, pointerBase: string, registry: SchemaRegistry, owner: ObjectDef): FieldDef[] {
  const fields: FieldDef[] = [];
  for (const [name, schema] of Object.entries(properties)) {
    const pointer = `${pointerBase}/${name}`;
    if (name.startsWith('_')) throw invalid(`Property "${name}": names starting with "_" are reserved`, pointer);
    if (!/^[a-z][a-z0-9_]*$/.test(name)) {
      throw invalid(`Property "${name}": names are lowercase letters, digits and underscores`, pointer);
    }
    if (!isObject(schema)) throw invalid(`Property "${name}" must be a JSON Schema object`, pointer);
    fields.push(parseProperty(name, schema, pointer, registry, owner));
  }
  return fields;
}

function typeList(schema: Json): string[] {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((item): item is string => typeof item === 'string');
  return [];
}

function parseProperty(name: string, schema: Json, pointer: string, registry: SchemaRegistry, owner: ObjectDef): FieldDef {
  const title = typeof schema.title === 'string' ? schema.title : name;
  const base: FieldDef = { name, title, kind: 'text', rank: 0 };
  if (schema.xClarifyPrimary === true) base.primary = true;
  if (schema.xClarifyUnique === true) base.unique = true;

  const relation = schema.xClarifyRelationship;
  if (relation !== undefined) {
    if (!isObject(relation) || typeof relation.entity !== 'string' || typeof relation.kind !== 'string') {
      throw invalid(`Property "${name}": xClarifyRelationship needs "kind" and "entity"`, pointer);
    }
    const kind = relation.kind;
    if (kind !== 'many-to-one' && kind !== 'one-to-many' && kind !== 'many-to-many') {
      throw invalid(`Property "${name}": unknown relationship kind "${kind}"`, pointer);
    }
    const entity = relation.entity;
    if (entity !== 'user' && entity !== owner.slug && !registry.objects.get(entity)) {
      throw invalid(`Property "${name}": unknown entity "${entity}"`, pointer);
    }
    const definition: RelationshipDef = { kind, entity };
    if (typeof relation.field === 'string') definition.field = relation.field;
    if (kind === 'many-to-one') {
      return { ...base, kind: entity === 'user' ? 'user-ref' : 'fk', relationship: definition };
    }
    if (entity === 'user') throw invalid(`Property "${name}": users can only be referenced many-to-one`, pointer);
    if (kind === 'one-to-many') {
      const target = entity === owner.slug ? owner : registry.objects.get(entity);
      const inverse = definition.field ? target?.fields.get(definition.field) : undefined;
      if (!inverse || inverse.kind !== 'fk' || inverse.relationship?.entity !== owner.slug) {
        throw invalid(`Property "${name}": a one-to-many relationship needs "field" naming an FK on ${entity}`, pointer);
      }
    }
    return { ...base, kind: 'to-many', relationship: definition };
  }

  const types = typeList(schema);
  const format = schema.format;
  if (types.includes('date')) return { ...base, kind: 'date' };
  if (types.includes('string')) {
    if (Array.isArray(schema.enum)) {
      const options = schema.enum.filter((value): value is string => typeof value === 'string');
      if (options.length === 0) throw invalid(`Property "${name}": enum needs at least one string`, pointer);
      return { ...base, kind: 'select', options };
    }
    if (format === 'date') return { ...base, kind: 'date' };
    if (format === 'date-time') return { ...base, kind: 'date-time' };
    return { ...base, kind: 'text' };
  }
  if (types.includes('number') || types.includes('integer')) return { ...base, kind: 'number' };
  if (types.includes('boolean')) return { ...base, kind: 'boolean' };
  if (types.includes('object') && isObject(schema.properties)) {
    const props = schema.properties;
    const items = isObject(props.items) ? props.items : undefined;
    if (items && typeList(items).includes('array') && isObject(items.items)) {
      const element = items.items;
      if (Array.isArray(element.enum)) {
        const options = element.enum.filter((value): value is string => typeof value === 'string');
        return { ...base, kind: 'multi-select', options };
      }
      if (typeList(element).includes('object')) return { ...base, kind: 'object-collection' };
      return { ...base, kind: 'collection', ...(element.format === 'email' ? { email: true } : {}) };
    }
    if ('text' in props) return { ...base, kind: 'rich-text' };
    if ('first_name' in props || 'full_name' in props) return { ...base, kind: 'name' };
  }
  throw new ApiError(422, `Property "${name}": unsupported schema`, { pointer });
}
