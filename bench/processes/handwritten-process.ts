/**
 * The hand-written floor: `node:http` plus `undici.request` on its own Pool. For the two
 * benchmark operations it makes the same REST call the gateway makes and writes the same JSON,
 * knowing the shape in advance: no GraphQL parsing, validation or execution.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'undici';
import { fail, listen, receiveInit, send, withBenchRoutes } from './child-runtime.js';

interface Init {
  origin: string;
  apiUrl: string;
  workspace: string;
  apiKey: string;
}

interface Resource {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  relationships?: Record<string, { data: unknown }>;
}

interface ListDocument {
  data: Resource[];
  included?: Resource[];
}

interface SingleDocument {
  data: Resource;
  included?: Resource[];
}

interface GraphQLBody {
  operationName?: string;
  variables?: { first?: number; after?: string | null; id?: string };
}

const INCLUDE = 'include=company_id%2Cpeople';

function index(included: Resource[] | undefined): Map<string, Resource> {
  const map = new Map<string, Resource>();
  for (const resource of included ?? []) map.set(`${resource.type}:${resource.id}`, resource);
  return map;
}

function toOne(resource: Resource, field: string, records: Map<string, Resource>): Resource | undefined {
  const data = resource.relationships?.[field]?.data as { type: string; id: string } | null | undefined;
  return data ? records.get(`${data.type}:${data.id}`) : undefined;
}

function toMany(resource: Resource, field: string, records: Map<string, Resource>): Resource[] {
  const data = resource.relationships?.[field]?.data;
  if (!Array.isArray(data)) return [];
  const found: Resource[] = [];
  for (const item of data as Array<{ type: string; id: string }>) {
    const record = records.get(`${item.type}:${item.id}`);
    if (record) found.push(record);
  }
  return found;
}

function items(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  const list = (value as { items?: unknown } | null)?.items;
  return Array.isArray(list) ? list : [];
}

function fullName(value: unknown): { fullName: string | null } | null {
  if (!value || typeof value !== 'object') return null;
  const name = value as { first_name?: string | null; last_name?: string | null; full_name?: string | null };
  return { fullName: name.full_name ?? ([name.first_name, name.last_name].filter(Boolean).join(' ') || null) };
}

function pageNode(deal: Resource, records: Map<string, Resource>): object {
  const company = toOne(deal, 'company_id', records);
  return {
    id: deal.id,
    name: deal.attributes.name ?? null,
    amount: deal.attributes.amount ?? null,
    company: company ? { name: company.attributes.name ?? null } : null,
    people: { nodes: toMany(deal, 'people', records).map((person) => ({ name: fullName(person.attributes.name) })) },
  };
}

function singleNode(deal: Resource, records: Map<string, Resource>): object {
  const company = toOne(deal, 'company_id', records);
  return {
    id: deal.id,
    name: deal.attributes.name ?? null,
    amount: deal.attributes.amount ?? null,
    closeDate: deal.attributes.close_date ?? null,
    company: company
      ? { name: company.attributes.name ?? null, domains: items(company.attributes.domains), employeeCount: company.attributes.employee_count ?? null }
      : null,
    people: {
      nodes: toMany(deal, 'people', records).map((person) => ({
        name: fullName(person.attributes.name),
        emailAddresses: items(person.attributes.email_addresses),
        jobTitle: person.attributes.job_title ?? null,
      })),
    },
  };
}

function offsetOf(after: string | null | undefined): number {
  if (!after) return 0;
  const text = Buffer.from(after, 'base64url').toString('utf8');
  return Number(text.slice('offset:'.length)) + 1;
}

async function readJson(req: IncomingMessage): Promise<GraphQLBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphQLBody;
}

function write(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

try {
  const init = await receiveInit<Init>();
  const pool = new Pool(init.origin, { connections: 16, pipelining: 1 });
  const base = `${new URL(init.apiUrl).pathname}/workspaces/${init.workspace}/objects/deal/resources`;
  const headers = { authorization: `api-key ${init.apiKey}`, accept: 'application/json' };

  const answer = async (body: GraphQLBody): Promise<{ status: number; json: unknown }> => {
    const variables = body.variables ?? {};
    if (body.operationName === 'DealsPage') {
      const path = `${base}?${INCLUDE}&page%5Blimit%5D=${variables.first ?? 20}&page%5Boffset%5D=${offsetOf(variables.after)}`;
      const response = await pool.request({ method: 'GET', path, headers });
      if (response.statusCode !== 200) {
        await response.body.dump();
        return { status: 502, json: { errors: [{ message: `upstream ${response.statusCode}` }] } };
      }
      const document = (await response.body.json()) as ListDocument;
      const records = index(document.included);
      return { status: 200, json: { data: { deals: { nodes: document.data.map((deal) => pageNode(deal, records)) } } } };
    }
    if (body.operationName === 'DealById') {
      const path = `${base}/${encodeURIComponent(variables.id ?? '')}?${INCLUDE}`;
      const response = await pool.request({ method: 'GET', path, headers });
      if (response.statusCode === 404) {
        await response.body.dump();
        return { status: 200, json: { data: { deal: null } } };
      }
      if (response.statusCode !== 200) {
        await response.body.dump();
        return { status: 502, json: { errors: [{ message: `upstream ${response.statusCode}` }] } };
      }
      const document = (await response.body.json()) as SingleDocument;
      return { status: 200, json: { data: { deal: singleNode(document.data, index(document.included)) } } };
    }
    return { status: 400, json: { errors: [{ message: 'unknown operation' }] } };
  };

  const origin = await listen(
    withBenchRoutes((req, res) => {
      readJson(req)
        .then(answer)
        .then(
          ({ status, json }) => write(res, status, json),
          (error: unknown) => write(res, 500, { errors: [{ message: String(error) }] }),
        );
    }),
  );
  send({ type: 'ready', origin });
} catch (error) {
  fail(error);
}
