import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { postBody } from '../helpers/gateway.js';
import { startStack } from '../helpers/stack.js';

// The README's first query and the cost it says that query answers with, read from the README
// itself so the two cannot drift apart.
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## A first query'), readme.indexOf('\n## ', readme.indexOf('## A first query') + 1));
const body = /-d '(\{.*\})'/.exec(section)?.[1];
const cost = /this one answers\s*`(\{[^`]*\})`/.exec(section)?.[1];

let gateway: Gateway;
beforeAll(async () => {
  const stack = await startStack();
  ({ gateway } = stack);
  return stack.close;
});

describe("the README's first query", () => {
  it('answers over the demo workspace with the cost the README gives', async () => {
    expect(body, 'the curl body in "A first query"').toBeDefined();
    expect(cost, 'the cost object in "A first query"').toBeDefined();
    const response = await postBody(gateway, JSON.parse(body ?? '{}') as Record<string, unknown>);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.extensions?.['cost']).toEqual(JSON.parse(cost ?? '{}'));
  });
});
