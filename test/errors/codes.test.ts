import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ClarifyError, codeForStatus } from '../../src/client/errors.js';
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

  it('marks a lost write answer as maybe written, with the failure that hid it', () => {
    const error = new ClarifyError('lost', { code: 'OUTCOME_UNKNOWN', failure: 'UPSTREAM_TIMEOUT', route: 'POST /objects/:object/records' });
    const masked = maskError(error, 'Unexpected error.') as GraphQLError;
    expect(masked.extensions).toEqual({ code: 'OUTCOME_UNKNOWN', mayHaveBeenWritten: true, failure: 'UPSTREAM_TIMEOUT' });
  });
});

describe('the README', () => {
  it('documents every code of the table', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Error codes'), readme.indexOf('## Live schema'));
    for (const code of Object.keys(ERROR_CODES)) expect(section, code).toContain(`\`${code}\``);
  });
});
