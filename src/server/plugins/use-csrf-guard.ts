import type { Plugin } from 'graphql-yoga';
import { refusalResponse } from '../../errors/refusal.js';
import { refusalExtensions } from './use-operation-plan.js';

/**
 * Refuses POST bodies a browser can send cross-site without a CORS preflight (HTML forms), so a
 * page the user visits cannot run mutations through a gateway on their machine. GraphQL clients
 * send `application/json`; uploads are not supported.
 */
export function useCsrfGuard(costLimit: number): Plugin {
  return {
    onRequest({ request, endResponse }) {
      if (request.method !== 'POST') return;
      const type = (request.headers.get('content-type') ?? '').toLowerCase();
      if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
        endResponse(refusalResponse('UNSUPPORTED_MEDIA_TYPE', 'Send GraphQL requests as application/json.', { extensions: refusalExtensions(costLimit) }));
      }
    },
  };
}
