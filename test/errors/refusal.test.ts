import { describe, expect, it } from 'vitest';
import { refusalBody, refusalResponse } from '../../src/errors/refusal.js';

describe('refusalResponse', () => {
  it("answers one coded error with the table's status, as JSON, and no body extensions unless given", async () => {
    const response = refusalResponse('NOT_FOUND', 'No stream has this token.');
    expect(response.status).toBe(404);
    expect([...response.headers]).toEqual([['content-type', 'application/json; charset=utf-8']]);
    expect(await response.text()).toBe('{"errors":[{"message":"No stream has this token.","extensions":{"code":"NOT_FOUND"}}]}');
  });

  it("puts the error's extensions after its code, the body's after the errors, and takes a protocol's status and headers", async () => {
    const response = refusalResponse('FORBIDDEN', 'Needs a write token.', {
      errorExtensions: { requiredScope: 'write' },
      extensions: { cost: { actualCalls: 0 } },
      status: 405,
      headers: { allow: 'POST', 'cache-control': 'no-store' },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe(
      '{"errors":[{"message":"Needs a write token.","extensions":{"code":"FORBIDDEN","requiredScope":"write"}}],"extensions":{"cost":{"actualCalls":0}}}',
    );
  });

  it('leaves a body extensions value of undefined out, as an absent one', () => {
    expect(refusalBody('INTERNAL_SERVER_ERROR', 'Unexpected error.', { extensions: undefined })).toEqual({
      errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect('extensions' in refusalBody('INTERNAL_SERVER_ERROR', 'Unexpected error.', { extensions: undefined })).toBe(false);
  });
});
