import { GraphQLError } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { ClarifyError, codeForStatus } from '../../src/client/errors.js';
import { codedError } from '../../src/errors/coded-error.js';
import { ERROR_CODES, httpStatusFor, isUpstreamErrorCode } from '../../src/errors/codes.js';
import { isUserFacing } from '../../src/schema/core/user-errors.js';
import { maskError } from '../../src/server/mask-error.js';

const upstreamCodes = Object.entries(ERROR_CODES).filter(([, info]) => info.upstream).map(([code]) => code);

describe('the error code table', () => {
  it('covers every code an upstream status maps to', () => {
    for (let status = 100; status < 600; status += 1) expect(isUpstreamErrorCode(codeForStatus(status))).toBe(true);
  });

  it('gives every upstream failure the table message and code when masked', () => {
    for (const code of upstreamCodes) {
      const error = new ClarifyError('secret upstream text https://api.example/v1?key=abc', { code: code as never, route: 'GET /x' });
      const masked = maskError(error, 'Unexpected error.') as GraphQLError;
      expect(masked.message).toBe(ERROR_CODES[code as keyof typeof ERROR_CODES].message);
      expect(masked.extensions.code).toBe(code);
    }
  });

  it('returns as userErrors exactly the upstream codes the table marks as user errors', () => {
    const userFacing = upstreamCodes.filter((code) => isUserFacing(new ClarifyError('x', { code: code as never, route: 'GET /x' })));
    expect(userFacing.sort()).toEqual(['BAD_REQUEST', 'NOT_FOUND', 'VALIDATION']);
  });

  it('gives each code a 4xx or 5xx status, and unknown codes 500', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(info.status, code).toBeGreaterThanOrEqual(400);
      expect(info.status, code).toBeLessThan(600);
      expect(info.userError ? info.status < 500 : true, code).toBe(true);
    }
    expect(httpStatusFor('SOMETHING_ELSE')).toBe(500);
  });

  it('builds a coded error with the status of its code, and the extensions after the code', () => {
    const error = codedError('Too many.', 'SUBSCRIPTION_LIMIT_EXCEEDED', { extensions: { limit: 3 }, http: { headers: { 'retry-after': '1' } } });
    expect(error.message).toBe('Too many.');
    expect(Object.keys(error.extensions)).toEqual(['code', 'limit', 'http']);
    expect(error.extensions).toEqual({ code: 'SUBSCRIPTION_LIMIT_EXCEEDED', limit: 3, http: { status: 429, headers: { 'retry-after': '1' } } });
    expect(codedError('Sent again.', 'PERSISTED_QUERY_NOT_FOUND', { http: { status: 200 } }).extensions.http).toEqual({ status: 200 });
  });

  it('recognises a ClarifyError made by another copy of the client module by its brand, not its name', async () => {
    vi.resetModules();
    const copy = await import('../../src/client/errors.js');
    const foreign = new copy.ClarifyError('x', { code: 'RATE_LIMITED', route: 'GET /x' });
    expect(foreign instanceof ClarifyError).toBe(false);
    expect(ClarifyError.is(foreign)).toBe(true);
    expect((maskError(foreign, 'Unexpected error.') as GraphQLError).extensions.code).toBe('RATE_LIMITED');
    expect(ClarifyError.is(Object.assign(new Error('x'), { name: 'ClarifyError', code: 'RATE_LIMITED' }))).toBe(false);
  });

  it('marks a lost write answer as maybe written, with the failure that hid it', () => {
    const error = new ClarifyError('lost', { code: 'OUTCOME_UNKNOWN', failure: 'UPSTREAM_TIMEOUT', route: 'POST /objects/:object/records' });
    const masked = maskError(error, 'Unexpected error.') as GraphQLError;
    expect(masked.extensions).toEqual({ code: 'OUTCOME_UNKNOWN', mayHaveBeenWritten: true, failure: 'UPSTREAM_TIMEOUT' });
  });
});

describe('the operations page (docs/operations.md)', () => {
  it('documents every code of the table in its Error codes section', async () => {
    const { readFile } = await import('node:fs/promises');
    const page = await readFile(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    const start = page.indexOf('\n## Error codes\n');
    expect(start, 'a "## Error codes" section').toBeGreaterThanOrEqual(0);
    const next = page.indexOf('\n## ', start + 1);
    const section = page.slice(start, next === -1 ? undefined : next);
    for (const code of Object.keys(ERROR_CODES)) expect(section, code).toContain(`\`${code}\``);
  });
});
