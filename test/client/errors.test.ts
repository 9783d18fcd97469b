import { describe, expect, it } from 'vitest';
import { codeForStatus, errorFromResponse, makeScrubber, parseErrorIssues } from '../../src/client/errors.js';

const route = 'POST /objects/:object/records';
const noScrub = (text: string): string => text;

describe('error mapping', () => {
  it('maps statuses to codes', () => {
    expect(
      [400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 504, 302].map((status) => [status, codeForStatus(status)]),
    ).toEqual([
      [400, 'BAD_REQUEST'],
      [401, 'UNAUTHENTICATED'],
      [403, 'FORBIDDEN'],
      [404, 'NOT_FOUND'],
      [409, 'CONFLICT'],
      [413, 'BAD_REQUEST'],
      [422, 'VALIDATION'],
      [429, 'RATE_LIMITED'],
      [500, 'UPSTREAM_UNAVAILABLE'],
      [502, 'UPSTREAM_UNAVAILABLE'],
      [503, 'UPSTREAM_UNAVAILABLE'],
      [504, 'UPSTREAM_TIMEOUT'],
      [302, 'UPSTREAM_BAD_RESPONSE'],
    ]);
  });

  it('reads JSON:API errors with string status, pointer and parameter', () => {
    const error = errorFromResponse(
      422,
      {
        errors: [
          { status: '422', title: 'Invalid input', detail: 'stage: "won" is not allowed', source: { pointer: '/data/attributes/stage' } },
          { status: 422, title: 'Validation Error', source: { parameter: 'filter[amount][Greater then]' } },
        ],
      },
      route,
      noScrub,
    );
    expect(error.code).toBe('VALIDATION');
    expect(error.status).toBe(422);
    expect(error.route).toBe(route);
    expect(error.issues).toEqual([
      { detail: 'stage: "won" is not allowed', pointer: '/data/attributes/stage' },
      { detail: 'Validation Error', parameter: 'filter[amount][Greater then]' },
    ]);
    expect(error.message).toContain('stage: "won" is not allowed');
  });

  it('reads NestJS-style bodies', () => {
    expect(parseErrorIssues({ statusCode: 400, message: ['name must be a string', 'amount too large'], error: 'Bad Request' })).toEqual([
      { detail: 'name must be a string' },
      { detail: 'amount too large' },
    ]);
    expect(parseErrorIssues({ statusCode: 404, message: 'Record not found', error: 'Not Found' })).toEqual([{ detail: 'Record not found' }]);
    expect(parseErrorIssues({ statusCode: 500, error: 'Internal Server Error' })).toEqual([{ detail: 'Internal Server Error' }]);
  });

  it('decides by the HTTP status, not the body', () => {
    const error = errorFromResponse(404, { errors: [{ status: '422', detail: 'nope' }] }, route, noScrub);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.status).toBe(404);
  });

  it('gives a default issue for an empty or unreadable body', () => {
    const error = errorFromResponse(503, undefined, route, noScrub);
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.issues).toEqual([{ detail: 'The upstream failed' }]);
  });

  it('scrubs the credential from upstream text', () => {
    const scrub = makeScrubber('api-key sk_live_SECRET');
    const error = errorFromResponse(401, { errors: [{ detail: 'Unknown key sk_live_SECRET (api-key sk_live_SECRET)', source: { parameter: 'sk_live_SECRET' } }] }, route, scrub);
    expect(JSON.stringify(error)).not.toContain('SECRET');
    expect(error.message).not.toContain('SECRET');
    expect(error.issues[0]?.detail).toBe('Unknown key [redacted] ([redacted])');
  });
});
