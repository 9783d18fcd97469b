import { describe, expect, it } from 'vitest';
import { ClarifyError } from '../../src/client/errors.js';
import { SchemaRegistry } from '../../src/schema/core/registry.js';
import { createBuilder } from '../../src/schema/core/builder.js';
import { inputPath, parsePointer, userErrorsFrom } from '../../src/schema/core/user-errors.js';
import type { WorkspaceModel } from '../../src/workspace/model.js';

const model: WorkspaceModel = {
  warnings: [],
  objects: [
    {
      slug: 'person',
      title: 'Person',
      singular: 'Person',
      plural: 'People',
      custom: false,
      readOnly: false,
      uniqueField: 'email_addresses',
      fields: [
        { name: 'email_addresses', title: 'Email addresses', kind: 'stringCollection', nullable: true, readOnly: false, required: false, primary: false, unique: true },
        { name: 'name', title: 'Name', kind: 'personName', nullable: true, readOnly: false, required: false, primary: true, unique: false },
        { name: 'company_id', title: 'Company', kind: 'reference', nullable: true, readOnly: false, required: false, primary: false, unique: false, relationship: { kind: 'many-to-one', target: 'company' } },
      ],
    },
  ],
};

describe('source.pointer to GraphQL input path', () => {
  const parts = new SchemaRegistry(createBuilder(), model).parts('person')!;
  const path = (pointer: string, root: string[]) => {
    const target = parsePointer(pointer)!;
    return inputPath(parts, root, target.inside, ['id']);
  };

  it('maps attribute pointers of single and bulk bodies', () => {
    expect(path('/data/attributes/email_addresses/items/0', ['input'])).toEqual(['input', 'emailAddresses', '0']);
    expect(path('/data/attributes/name/first_name', ['input'])).toEqual(['input', 'name', 'firstName']);
    expect(path('/data/attributes/company_id', ['input'])).toEqual(['input', 'companyId']);
    expect(parsePointer('/data/3/attributes/name')).toEqual({ item: 3, inside: ['attributes', 'name'] });
    expect(path('/data/3/attributes/name', ['inputs', '28'])).toEqual(['inputs', '28', 'name']);
    expect(path('/data/id', ['input'])).toEqual(['id']);
    expect(parsePointer('/match_on')).toBeUndefined();
  });

  it('makes one user error per upstream issue, with the code', () => {
    const error = new ClarifyError('rejected', {
      code: 'VALIDATION',
      route: 'POST /objects/:object/records',
      status: 422,
      issues: [{ detail: 'bad email', pointer: '/data/attributes/email_addresses/items/1' }, { detail: 'no pointer' }],
    });
    const locate = (pointer: string | undefined) => (pointer ? path(pointer, ['input']) : null);
    expect(userErrorsFrom(error, locate)).toEqual([
      { field: ['input', 'emailAddresses', '1'], message: 'bad email', code: 'VALIDATION' },
      { field: null, message: 'no pointer', code: 'VALIDATION' },
    ]);
  });
});
