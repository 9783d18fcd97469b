import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { IncrementalFormatConverter, type IncrementalPayload } from '../../../src/server/plugins/incremental-format.js';

// The 2022 → current (incrementalSpec=v0.2) rewriting on its own, over a schema with an interface,
// fed payloads in the shape the executor sends them.

const schema = buildSchema(`
  directive @defer(if: Boolean, label: String) on FRAGMENT_SPREAD | INLINE_FRAGMENT
  directive @stream(if: Boolean, label: String, initialCount: Int) on FIELD
  interface Item { id: ID! }
  type Deal implements Item { id: ID! name: String amount: Float }
  type Person implements Item { id: ID! name: String title: String }
  type Query { items: [Item!]! }
`);

function converter(query: string, variables: Record<string, unknown> = {}) {
  return new IncrementalFormatConverter(schema, parse(query), undefined, variables);
}

describe('the incremental format converter', () => {
  it('announces a deferred type condition only where __typename says it applies, and closes the rest at the end', () => {
    const convert = converter(`{ items { __typename id ... on Deal @defer(label: "deal") { amount } ... on Person @defer(label: "person") { title } } }`);
    const first = convert.convert({
      data: { items: [{ __typename: 'Deal', id: 'd1' }, { __typename: 'Person', id: 'p1' }] },
      hasNext: true,
    });
    expect(first.pending).toEqual([
      { id: '0', path: ['items', 0], label: 'deal' },
      { id: '1', path: ['items', 1], label: 'person' },
    ]);
    const later = convert.convert({
      incremental: [{ data: { amount: 5 }, path: ['items', 0], label: 'deal' }],
      hasNext: false,
    } as IncrementalPayload);
    expect(later).toEqual({ incremental: [{ id: '0', data: { amount: 5 } }], completed: [{ id: '0' }, { id: '1' }], hasNext: false });
  });

  it('gives a streamed list one id for all its items, and announces what a streamed item defers', () => {
    const convert = converter(`{ items @stream(initialCount: 1, label: "items") { id ... on Deal @defer(label: "more") { name } } }`);
    const first = convert.convert({ data: { items: [{ id: 'd1' }] }, hasNext: true });
    // Without __typename an item's type is unknown: the condition is announced as it may apply.
    expect(first.pending).toEqual([
      { id: '0', path: ['items'], label: 'items' },
      { id: '1', path: ['items', 0], label: 'more' },
    ]);
    const second = convert.convert({
      incremental: [
        { items: [{ id: 'd2' }], path: ['items', 1], label: 'items' },
        { data: { name: 'One' }, path: ['items', 0], label: 'more' },
      ],
      hasNext: true,
    } as IncrementalPayload);
    expect(second).toEqual({
      pending: [{ id: '2', path: ['items', 1], label: 'more' }],
      incremental: [
        { id: '0', items: [{ id: 'd2' }] },
        { id: '1', data: { name: 'One' } },
      ],
      completed: [{ id: '1' }],
      hasNext: true,
    });
    const last = convert.convert({ incremental: [{ data: { name: 'Two' }, path: ['items', 1], label: 'more' }], hasNext: false } as IncrementalPayload);
    expect(last).toEqual({ incremental: [{ id: '2', data: { name: 'Two' } }], completed: [{ id: '2' }, { id: '0' }], hasNext: false });
  });

  it('reports a deferred fragment that failed as completed with its errors, without data', () => {
    const convert = converter(`{ items { id ... @defer(label: "x") { id } } }`);
    convert.convert({ data: { items: [{ id: 'a' }] }, hasNext: true });
    const errors = [{ message: 'boom' }] as unknown as IncrementalPayload['errors'];
    const last = convert.convert({ incremental: [{ data: null, errors, path: ['items', 0], label: 'x' }], hasNext: false } as IncrementalPayload);
    expect(last).toEqual({ completed: [{ id: '0', errors }], hasNext: false });
  });
});
