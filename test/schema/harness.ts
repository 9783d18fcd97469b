import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { graphql, parse, print, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { ClarifyClient, type ClarifyClientOptions } from '../../src/client/clarify-client.js';
import type { CallOptions, ClarifyResource, ListPage, ListParams } from '../../src/client/types.js';
import { planDocument } from '../../src/plan/planner.js';
import { createRequestContext } from '../../src/loaders/request-context.js';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/server.js';
import { buildGatewaySchema } from '../../src/schema/build-schema.js';
import type { WorkspaceModel } from '../../src/workspace/model.js';
import { parseWorkspaceModel } from '../../src/workspace/parse-schemas.js';

/** A client that remembers which records it fetched, to catch a duplicate fetch in one request. */
export class RecordingClient extends ClarifyClient {
  readonly fetches: string[] = [];
  /** Lets a test alter what single reads return (e.g. to truncate a relationship block). */
  alterResource: ((resource: ClarifyResource) => void) | undefined;

  override async get(object: string, id: string, params: { include?: string[] }, call: CallOptions) {
    this.fetches.push(`get ${object}/${id}`);
    const document = await super.get(object, id, params, call);
    if (document && this.alterResource) this.alterResource(document.data);
    return document;
  }

  override getUser(id: string, call: CallOptions) {
    this.fetches.push(`get user/${id}`);
    return super.getUser(id, call);
  }

  override list(object: string, params: ListParams, call: CallOptions) {
    this.fetches.push(`list ${object} ${JSON.stringify(params)}`);
    return super.list(object, params, call);
  }

  /** Lets a test alter what relationship pages return (e.g. identifiers only). */
  alterRelationshipPage: ((page: ListPage) => void) | undefined;

  override async listRelationship(object: string, id: string, rel: string, params: ListParams, call: CallOptions) {
    this.fetches.push(`relationship ${object}/${id}/${rel} ${JSON.stringify(params)}`);
    const page = await super.listRelationship(object, id, rel, params, call);
    this.alterRelationshipPage?.(page);
    return page;
  }
}

export interface RunResult<T> {
  data: T;
  errors: ExecutionResult['errors'];
  /** Upstream calls this operation made, as the client counted them. */
  calls: number;
  /** Upstream calls predicted before execution. */
  predicted: number;
  /** Most upstream calls the plan allows for (incomplete relationships blocks). */
  maxCalls: number;
  /** Whether the plan says `predicted` is exact. */
  exact: boolean;
  routes: Record<string, number>;
  fetches: string[];
}

export interface Harness {
  sandbox: RunningSandbox;
  client: RecordingClient;
  model: WorkspaceModel;
  schema: GraphQLSchema;
  credential: string;
  /** Runs an operation; throws with the query, the body and the upstream calls when it has errors. */
  run<T, V extends Record<string, unknown>>(document: TypedDocumentNode<T, V> | string, variables?: V): Promise<RunResult<T>>;
  /** Runs an operation and returns errors instead of throwing. */
  runRaw<T = Record<string, unknown>>(source: string, variables?: Record<string, unknown>): Promise<RunResult<T>>;
  /** A REST GET against the sandbox, for comparing answers. */
  rest(path: string): Promise<unknown>;
  close(): Promise<void>;
}

export interface HarnessOptions extends SandboxOptions {
  /** Client tuning for the test (e.g. short retry delays). */
  client?: Partial<Omit<ClarifyClientOptions, 'apiUrl' | 'workspace'>>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const { client: clientOptions, ...sandboxOptions } = options;
  const sandbox = await startSandbox(sandboxOptions);
  const client = new RecordingClient({ apiUrl: sandbox.apiUrl, workspace: sandbox.workspace, retryBaseMs: 5, ...clientOptions });
  const credential = `api-key ${sandbox.apiKey}`;
  const model = parseWorkspaceModel(await client.listSchemas({ credential }));
  const schema = buildGatewaySchema(model);

  const runRaw = async <T>(source: string, variables?: Record<string, unknown>): Promise<RunResult<T>> => {
    const document = parse(source);
    const plan = planDocument({ schema, document, variables: variables ?? {} })?.plan;
    client.fetches.length = 0;
    const context = createRequestContext({ client, model, credential, plan });
    const result = await graphql({ schema, source, variableValues: variables ?? {}, contextValue: context });
    const cost = plan?.cost ?? { predictedCalls: 0, maxCalls: 0, exact: true };
    return {
      data: JSON.parse(JSON.stringify(result.data ?? null)) as T,
      errors: result.errors,
      calls: context.calls.count,
      predicted: cost.predictedCalls,
      maxCalls: cost.maxCalls,
      exact: cost.exact,
      routes: context.calls.byRoute(),
      fetches: [...client.fetches],
    };
  };

  return {
    sandbox,
    client,
    model,
    schema,
    credential,
    runRaw,
    async run<T, V extends Record<string, unknown>>(document: TypedDocumentNode<T, V> | string, variables?: V) {
      const source = typeof document === 'string' ? document : print(document);
      const result = await runRaw<T>(source, variables);
      if (result.errors?.length) {
        throw new Error(
          `operation failed\n${source}\nvariables: ${JSON.stringify(variables)}\nerrors: ${JSON.stringify(result.errors)}\n` +
            `data: ${JSON.stringify(result.data)}\nupstream: ${result.fetches.join('\n  ')}`,
        );
      }
      return result;
    },
    async rest(path: string) {
      const response = await fetch(`${sandbox.apiUrl}/workspaces/${sandbox.workspace}${path}`, {
        headers: { authorization: credential },
      });
      if (!response.ok) throw new Error(`REST ${path} → ${response.status}: ${await response.text()}`);
      return response.json();
    },
    async close() {
      await client.close();
      await sandbox.close();
    },
  };
}

/** Every fetch key that appears more than once: a duplicate (object, id) fetch in one request. */
export function duplicateFetches(fetches: string[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const fetch of fetches.filter((f) => f.startsWith('get '))) {
    if (seen.has(fetch)) duplicates.add(fetch);
    seen.add(fetch);
  }
  return [...duplicates];
}
