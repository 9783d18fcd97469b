import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('bulk settings', () => {
  it('default to half the rate budget, 64 KiB lines and 100,000 lines an import', () => {
    expect(parseConfig({}).bulk).toEqual({ budgetShare: 50, importMaxLineBytes: 65_536, importMaxLines: 100_000 });
    expect(parseConfig({ BULK_BUDGET_SHARE: '20', IMPORT_MAX_LINE_BYTES: '4096', IMPORT_MAX_LINES: '500' }).bulk).toEqual({
      budgetShare: 20,
      importMaxLineBytes: 4_096,
      importMaxLines: 500,
    });
  });

  it('reports every bad value together', () => {
    expect(problemsOf({ BULK_BUDGET_SHARE: '0', IMPORT_MAX_LINE_BYTES: '10', IMPORT_MAX_LINES: 'many' })).toEqual([
      expect.stringMatching(/^BULK_BUDGET_SHARE/),
      expect.stringMatching(/^IMPORT_MAX_LINE_BYTES/),
      expect.stringMatching(/^IMPORT_MAX_LINES/),
    ]);
  });
});
