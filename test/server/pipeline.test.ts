import type { Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { PIPELINE, assemblePipeline, type Stage, type StagePlugins } from '../../src/server/pipeline.js';

const names = new Map<Plugin, string>();
/** A distinct plugin, known by its name. */
function plugin(name: string): Plugin {
  const made: Plugin = {};
  names.set(made, name);
  return made;
}
const namesOf = (plugins: readonly Plugin[]) => plugins.map((made) => names.get(made));

/** One plugin per stage, named after it. */
function stagePlugins(off: readonly Stage[] = []): StagePlugins<object> {
  const entries = PIPELINE.map(({ stage }) => [stage, off.includes(stage) ? false : plugin(stage)]);
  return Object.fromEntries(entries) as StagePlugins<object>;
}

describe('the plugin pipeline', () => {
  it('names each stage once and gives every stage a reason', () => {
    const stages = PIPELINE.map(({ stage }) => stage);
    expect(new Set(stages).size).toBe(stages.length);
    for (const { why } of PIPELINE) expect(why.length).toBeGreaterThan(20);
  });

  it('puts the plugins in the order of the list, whatever order they were given in', () => {
    const given = stagePlugins();
    const reversed = Object.fromEntries(Object.entries(given).reverse()) as StagePlugins<object>;
    expect(namesOf(assemblePipeline(reversed))).toEqual(PIPELINE.map(({ stage }) => stage));
  });

  it('leaves out the stages that are off and spreads a stage of several plugins in place', () => {
    const stages = { ...stagePlugins(['graphiql', 'compression']), trustedDocuments: [plugin('resolver'), plugin('registrar')] };
    const order = namesOf(assemblePipeline(stages));
    expect(order).not.toContain('graphiql');
    expect(order).not.toContain('compression');
    expect(order.slice(order.indexOf('incrementalDelivery'), order.indexOf('operationPlan') + 1)).toEqual([
      'incrementalDelivery',
      'resolver',
      'registrar',
      'operationPlan',
    ]);
  });

  it('keeps the orderings the gateway relies on', () => {
    const at = (stage: Stage) => PIPELINE.findIndex((entry) => entry.stage === stage);
    // Trusted documents refuse before authentication; everything else may rely on the caller.
    expect(at('trustedDocumentsGuard')).toBe(0);
    expect(at('requestState')).toBe(1);
    // The plan decides streaming and cache tags; execution and the cache read it.
    expect(at('operationPlan')).toBeLessThan(at('compiledExecution'));
    expect(at('operationPlan')).toBeLessThan(at('responseCache'));
    // Validation codes are given after the rules that report errors.
    expect(at('armor')).toBeLessThan(at('validationErrorCode'));
    expect(at('disableIntrospection')).toBeLessThan(at('validationErrorCode'));
    expect(at('unservedStreams')).toBe(PIPELINE.length - 1);
  });
});
