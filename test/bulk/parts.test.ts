import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BudgetShare } from '../../src/bulk/budget-share.js';
import { PAGE_CURSOR_VARIABLE, PAGE_SIZE_VARIABLE, planExportDocument } from '../../src/bulk/export-document.js';
import { pageSizeAfter } from '../../src/bulk/export-stream.js';
import { readLines, type InputLine } from '../../src/bulk/ndjson.js';
import { encodeCursor, encodeKeyCursor } from '../../src/plan/paging.js';

/** A body delivered in the given chunks. */
function body(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function lines(chunks: string[], max = 100): Promise<InputLine[]> {
  const read: InputLine[] = [];
  for await (const line of readLines(body(chunks), max)) read.push(line);
  return read;
}

describe('readLines', () => {
  it('splits on \\n and \\r\\n across chunk boundaries, numbering from 1, a last line without a newline included', async () => {
    expect(await lines(['{"a":', '1}\r', '\n\n{"b":2}\n{"c"', ':3}'])).toEqual([
      { number: 1, text: '{"a":1}' },
      { number: 2, text: '' },
      { number: 3, text: '{"b":2}' },
      { number: 4, text: '{"c":3}' },
    ]);
  });

  it('reports a line over the limit as too long without keeping it, and goes on with the next', async () => {
    expect(await lines(['12345', '678901\nok\n', 'x'.repeat(11)], 10)).toEqual([
      { number: 1, tooLong: true },
      { number: 2, text: 'ok' },
      { number: 3, tooLong: true },
    ]);
    expect(await lines(['1234567890\r\n'], 10)).toEqual([{ number: 1, text: '1234567890' }]);
  });

  it('keeps a character split between chunks whole', async () => {
    const bytes = new TextEncoder().encode('{"name":"Zoë"}\n');
    const split = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 12));
        controller.enqueue(bytes.slice(12));
        controller.close();
      },
    });
    const read: InputLine[] = [];
    for await (const line of readLines(split, 100)) read.push(line);
    expect(read).toEqual([{ number: 1, text: '{"name":"Zoë"}' }]);
  });
});

describe('planExportDocument', () => {
  it('takes first and after from the caller, drops the variables only they used, and pages with its own', () => {
    const plan = planExportDocument({
      query: 'query Export($n: Int, $after: String, $stage: [DealStage!]) { all: deals(first: $n, after: $after, filter: { stage: { in: $stage } }) { edges { cursor node { ...D } } } } fragment D on Deal { id } fragment Unused on Deal { name }',
      variables: { n: 10, after: 'abc', stage: ['WON'] },
      operationName: undefined,
    }, 1_000);
    expect(plan).toMatchObject({ rootKey: 'all', itemsKey: 'edges', cap: 10, after: 'abc', operationName: 'Export', variables: { stage: ['WON'] } });
    const document = parse(plan.query);
    const operation = document.definitions[0]!;
    expect(operation.kind === 'OperationDefinition' && operation.variableDefinitions?.map((definition) => definition.variable.name.value)).toEqual([
      'stage',
      PAGE_SIZE_VARIABLE,
      PAGE_CURSOR_VARIABLE,
    ]);
    expect(document.definitions.map((definition) => (definition.kind === 'FragmentDefinition' ? definition.name.value : 'operation'))).toEqual(['operation', 'D']);
    expect(plan.query).toContain('bulkExportPage: pageInfo');
  });

  it('refuses a negative first', () => {
    expect(() => planExportDocument({ query: '{ deals(first: -1) { nodes { id } } }', variables: {}, operationName: undefined }, 1_000)).toThrow(/whole number/);
  });

  it('holds a document to the token limit /graphql has (MAX_TOKENS)', () => {
    const request = { query: '{ deals { nodes { id name amount } } }', variables: {}, operationName: undefined };
    expect(planExportDocument(request, 11).rootKey).toBe('deals');
    expect(() => planExportDocument(request, 10)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'GRAPHQL_PARSE_FAILED' }) }));
  });
});

describe('pageSizeAfter', () => {
  it('asks for 500 records less those the key cursor has seen at its value, so each page is one upstream read', () => {
    expect(pageSizeAfter(undefined)).toBe(500);
    expect(pageSizeAfter(encodeCursor(41))).toBe(500);
    expect(pageSizeAfter(encodeKeyCursor({ column: '_created_at', dir: 'ASC', value: '2026-01-01T00:00:00.000Z', ids: ['a', 'b', 'c'], nulls: 0, offset: 9 }))).toBe(497);
    expect(pageSizeAfter(encodeKeyCursor({ column: 'amount', dir: 'ASC', value: null, nulls: 4, offset: 9 }))).toBe(500);
  });
});

describe('BudgetShare', () => {
  it('lets bulk work take its share of a minute at once, then spreads it at that share of the rate', async () => {
    const share = new BudgetShare(120, 25);
    const spent = new AbortController();
    spent.abort();
    const waits: number[] = [];
    for (let i = 0; i < 31; i++) waits.push(await share.take('api-key k', 1, spent.signal));
    expect(waits.slice(0, 30).every((wait) => wait === 0)).toBe(true);
    // 30 a minute: the 31st call is due about two seconds later.
    expect(waits[30]).toBeGreaterThan(1_900);
    expect(waits[30]).toBeLessThanOrEqual(2_000);
    // Another credential has a share of its own.
    expect(await share.take('api-key other', 1, spent.signal)).toBe(0);
  });
});
