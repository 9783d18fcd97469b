import { printSchema } from 'graphql';
import { ClarifyClient } from '../client/clarify-client.js';
import { DEFAULTS } from '../config/defaults.js';
import { buildGatewaySchema } from '../schema/build-schema.js';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parseWorkspaceModel } from '../workspace/parse-schemas.js';
import { serverCredential } from '../server/auth.js';

/** Where `printWorkspaceSchema` reads the workspace schema. */
export interface PrintWorkspaceSchemaOptions {
  /** Clarify API base URL. Default `https://api.clarify.ai/v1`. */
  apiUrl?: string;
  /** Workspace slug. */
  workspace: string;
  /** Clarify key: a bare key or a full `api-key …`/`Bearer …` value. */
  apiKey: string;
  /** Time budget of the `/schemas` read, in milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Print the Federation v2 subgraph SDL (`@link`, `@key`), as `_service { sdl }` answers it. Default false. */
  federation?: boolean;
}

/**
 * The SDL a client of this gateway sees for a workspace: types, enums by their GraphQL names
 * (`PROPOSAL`, not Clarify's `"Proposal"`), and scalars. It reads `GET /schemas` once and starts
 * no server. Use it as the `schema` of GraphQL Code Generator or any other client tooling.
 */
export async function printWorkspaceSchema(options: PrintWorkspaceSchemaOptions): Promise<string> {
  const client = new ClarifyClient({ apiUrl: options.apiUrl ?? DEFAULTS.apiUrl, workspace: options.workspace });
  try {
    const items = await client.listSchemas({
      credential: serverCredential(options.apiKey),
      deadline: Date.now() + (options.timeoutMs ?? DEFAULTS.requestTimeoutMs),
    });
    const schema = buildGatewaySchema(parseWorkspaceModel(items), { federation: options.federation });
    return `${options.federation ? printSubgraphSchema(schema) : printSchema(schema)}\n`;
  } finally {
    await client.close();
  }
}
