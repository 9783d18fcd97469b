/** Measurement 3: predicted and actual upstream calls for the query shapes. */
import type { Target } from './load.js';
import { sandboxByRoute, sandboxCalls, type SandboxInfo } from './upstream.js';

export interface CallShape {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

export interface CallResult {
  name: string;
  predicted: number | null;
  actual: number | null;
  sandbox: number;
  routes: string;
  error?: string;
}

export function callShapes(ids: { company: string; deal: string }): CallShape[] {
  return [
    {
      name: 'list with to-one and to-many',
      query: `{ deals(first: 20) { nodes { name amount company { name } people { nodes { name { fullName } } } } } }`,
    },
    {
      name: 'three levels deep',
      query: `{ companies(first: 10) { nodes { name deals { nodes { name people { nodes { name { fullName } company { name } } } } } } } }`,
    },
    {
      name: 'aliases and fragments, same records',
      query: `query Cards {
  deals(first: 10) { nodes { ...DealCard buyer: company { ...CompanyCard } account: company { name domains }
    people { nodes { name { fullName } employer: company { ...CompanyCard } } } } }
}
fragment DealCard on Deal { name amount }
fragment CompanyCard on Company { name industry }`,
    },
    {
      name: 'single record with everything',
      query: `query Company($id: ID!) { company(id: $id) { name domains industry employeeCount description
  people { totalCount nodes { name { fullName } emailAddresses jobTitle company { name } } }
  deals { totalCount nodes { name amount stage closeDate people { nodes { name { fullName } } } } } } }`,
      variables: { id: ids.company },
    },
    {
      name: 'custom object joined to company and deal',
      query: `{ salesOrders(first: 20) { nodes { name amount status orderedOn company { name domains } deal { name amount company { name } } } } }`,
    },
  ];
}

interface CostReply {
  data?: unknown;
  errors?: Array<{ message: string }>;
  extensions?: { cost?: { predictedCalls?: number; actualCalls?: number } };
}

function routeSummary(before: Record<string, number>, after: Record<string, number>): string {
  return Object.entries(after)
    .map(([route, count]) => [route, count - (before[route] ?? 0)] as const)
    .filter(([, count]) => count > 0)
    .map(([route, count]) => `${count}× ${route}`)
    .join(', ');
}

/** Runs each shape once on an otherwise idle gateway and sandbox. */
export async function measureCalls(gateway: Target, sandbox: SandboxInfo, shapes: CallShape[]): Promise<CallResult[]> {
  const results: CallResult[] = [];
  for (const shape of shapes) {
    const before = await sandboxCalls(sandbox);
    const routesBefore = await sandboxByRoute(sandbox);
    const reply = await gateway.post({ query: shape.query, variables: shape.variables ?? {} });
    const after = await sandboxCalls(sandbox);
    const routesAfter = await sandboxByRoute(sandbox);
    const body = JSON.parse(reply.body) as CostReply;
    results.push({
      name: shape.name,
      predicted: body.extensions?.cost?.predictedCalls ?? null,
      actual: body.extensions?.cost?.actualCalls ?? null,
      sandbox: after - before,
      routes: routeSummary(routesBefore, routesAfter),
      error: body.errors?.[0]?.message ?? (reply.status === 200 ? undefined : `HTTP ${reply.status}`),
    });
  }
  return results;
}
