import { getNullableType, isListType, type GraphQLInputType, type GraphQLSchema } from 'graphql';
import { mutationScope, writeInfoOf, type AccessScope } from '../plan/field-info.js';

/** What `/import/{object}` writes with: the object's bulk create mutation and its input type. */
export interface ImportTarget {
  object: string;
  /** The mutation field, e.g. `createPeople`. */
  field: string;
  /** One input line's type, e.g. `CreatePersonInput!`. */
  inputType: GraphQLInputType;
  /** The scope a caller needs to run it. */
  scope: AccessScope;
  /** The document each batch runs. */
  query: string;
}

/**
 * The bulk create mutation of `object` (a Clarify slug such as `person` or `c_sales_order`) in
 * the caller's schema: the mutation field that declares it creates that object's records and
 * takes a list of `inputs`. Undefined when the object has none (unknown, or `user`).
 */
export function importTarget(schema: GraphQLSchema, object: string): ImportTarget | undefined {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const creates = writeInfoOf(field)?.effects.some((effect) => effect.change === 'created' && effect.object === object);
    const inputs = field.args.find((arg) => arg.name === 'inputs');
    const list = inputs ? getNullableType(inputs.type) : undefined;
    if (!creates || !inputs || !list || !isListType(list) || !field.args.some((arg) => arg.name === 'atomic')) continue;
    const inputType = list.ofType as GraphQLInputType;
    return {
      object,
      field: field.name,
      inputType,
      scope: mutationScope(field),
      query:
        `mutation BulkImport($inputs: ${inputs.type.toString()}) ` +
        `{ ${field.name}(inputs: $inputs) { results { matched record { id } userErrors { field message code } } userErrors { field message code } } }`,
    };
  }
  return undefined;
}
