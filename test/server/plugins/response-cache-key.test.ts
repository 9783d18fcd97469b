import { describe, expect, it } from 'vitest';
import { stableStringify } from '../../../src/server/plugins/use-response-cache.js';

// The variables part of a response cache key. Replicas of different versions share one store, so
// the text written for a given value must not change from one version to the next.

describe('stableStringify', () => {
  it('writes every object with its keys sorted and its undefined properties dropped, at any depth', () => {
    const variables = { where: { name: { eq: 'Ada' }, and: [{ b: 2, a: 1, c: undefined }] }, first: 10, after: undefined, B: null, é: true };
    expect(stableStringify(variables)).toBe('{"B":null,"first":10,"where":{"and":[{"a":1,"b":2}],"name":{"eq":"Ada"}},"é":true}');
  });

  it('writes equal variables sent in another order the same', () => {
    const sent = { id: 'p1', input: { jobTitle: 'CTO', name: { lastName: 'Lovelace', firstName: 'Ada' } }, tags: ['b', 'a'] };
    const reordered = { tags: ['b', 'a'], input: { name: { firstName: 'Ada', lastName: 'Lovelace' }, jobTitle: 'CTO' }, id: 'p1' };
    expect(stableStringify(reordered)).toBe(stableStringify(sent));
    expect(stableStringify(sent)).toBe('{"id":"p1","input":{"jobTitle":"CTO","name":{"firstName":"Ada","lastName":"Lovelace"}},"tags":["b","a"]}');
  });

  it('writes undefined as null, alone and in an array', () => {
    expect(stableStringify(undefined)).toBe('null');
    expect(stableStringify([undefined, null, 1])).toBe('[null,null,1]');
  });

  it('writes strings, numbers, booleans and null as JSON does', () => {
    for (const value of ['', 'a "quoted"\n\u2028 ü', 0, -0, 1.5, -42, 1e21, true, false, null]) {
      expect(stableStringify(value)).toBe(JSON.stringify(value));
    }
    expect(stableStringify({ '10': 'ten', '9': 'nine', a: [], z: {} })).toBe('{"10":"ten","9":"nine","a":[],"z":{}}');
  });
});
