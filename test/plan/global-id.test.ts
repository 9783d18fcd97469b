import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { clarifyIdOf, decodeGlobalId, encodeGlobalId, nodeTarget } from '../../src/plan/global-id.js';

const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('global ids', () => {
  it('round-trip a record, a custom object record and a saved list', () => {
    expect(decodeGlobalId(encodeGlobalId('deal', UUID))).toEqual({ kind: 'deal', id: UUID });
    expect(decodeGlobalId(encodeGlobalId('c_sales_order', UUID))).toEqual({ kind: 'c_sales_order', id: UUID });
    expect(decodeGlobalId(encodeGlobalId('list', UUID, 'person'))).toEqual({ kind: 'list', object: 'person', id: UUID });
    expect(encodeGlobalId('deal', UUID)).toBe(Buffer.from(`deal:${UUID}`).toString('base64url'));
  });

  it('take a plain Clarify id for what it is', () => {
    expect(decodeGlobalId(UUID)).toBeUndefined();
    expect(clarifyIdOf(UUID)).toBe(UUID);
    expect(clarifyIdOf(encodeGlobalId('person', UUID))).toBe(UUID);
  });

  it('refuse encodings this gateway never makes: non-canonical base64, a bad kind, an id no record can have', () => {
    const canonical = encodeGlobalId('deal', UUID);
    expect(decodeGlobalId(`${canonical}=`)).toBeUndefined();
    expect(decodeGlobalId(Buffer.from(`Deal:${UUID}`).toString('base64url'))).toBeUndefined();
    expect(decodeGlobalId(Buffer.from(`:${UUID}`).toString('base64url'))).toBeUndefined();
    expect(decodeGlobalId(Buffer.from('deal:').toString('base64url'))).toBeUndefined();
    expect(decodeGlobalId(Buffer.from('deal:..').toString('base64url'))).toBeUndefined();
    expect(decodeGlobalId(Buffer.from('deal:.').toString('base64url'))).toBeUndefined();
    expect(decodeGlobalId(Buffer.from('deal:  ').toString('base64url'))).toBeUndefined();
    expect(decodeGlobalId(Buffer.from(`list:${UUID}`).toString('base64url'))).toBeUndefined();
    expect(decodeGlobalId(Buffer.from(`list:Person:${UUID}`).toString('base64url'))).toBeUndefined();
  });

  it('name a node of a known type, and give BAD_USER_INPUT for anything else', () => {
    const types = { deal: 'Deal', 'list:person': 'PersonList' };
    expect(nodeTarget(encodeGlobalId('deal', UUID), types)).toEqual({ id: { kind: 'deal', id: UUID }, kind: 'deal', typeName: 'Deal' });
    expect(nodeTarget(encodeGlobalId('list', UUID, 'person'), types)).toMatchObject({ kind: 'list:person', typeName: 'PersonList' });
    for (const value of [UUID, encodeGlobalId('task', UUID), encodeGlobalId('list', UUID, 'deal'), 42]) {
      const error = nodeTarget(value, types);
      expect(error).toBeInstanceOf(GraphQLError);
      expect((error as GraphQLError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'id' });
    }
  });
});
