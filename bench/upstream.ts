/** The parent's view of the sandbox: its call counter, fault script and a few lookups. */
export interface SandboxInfo {
  origin: string;
  apiUrl: string;
  workspace: string;
  apiKey: string;
}

export async function sandboxCalls(sandbox: SandboxInfo): Promise<number> {
  const response = await fetch(`${sandbox.origin}/__sandbox/stats`);
  const stats = (await response.json()) as { total: number };
  return stats.total;
}

export async function sandboxByRoute(sandbox: SandboxInfo): Promise<Record<string, number>> {
  const response = await fetch(`${sandbox.origin}/__sandbox/stats`);
  return ((await response.json()) as { byRoute: Record<string, number> }).byRoute;
}

export async function scriptFault(sandbox: SandboxInfo, fault: object): Promise<void> {
  const response = await fetch(`${sandbox.origin}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (!response.ok) throw new Error(`sandbox refused the fault ${JSON.stringify(fault)}: ${response.status} ${await response.text()}`);
}

/** Every id of an object and its total, read straight from the REST API (a handful of calls). */
export async function recordIds(sandbox: SandboxInfo, object: string, max = 5_000): Promise<{ ids: string[]; total: number }> {
  const ids: string[] = [];
  let total = Infinity;
  while (ids.length < Math.min(total, max)) {
    const url = `${sandbox.apiUrl}/workspaces/${sandbox.workspace}/objects/${object}/resources?page%5Blimit%5D=500&page%5Boffset%5D=${ids.length}`;
    const response = await fetch(url, { headers: { authorization: `api-key ${sandbox.apiKey}` } });
    if (!response.ok) throw new Error(`listing ${object}: ${response.status}`);
    const page = (await response.json()) as { data: Array<{ id: string }>; meta: { total_records: number } };
    total = page.meta.total_records;
    if (page.data.length === 0) break;
    ids.push(...page.data.map((record) => record.id));
  }
  return { ids, total: Number.isFinite(total) ? total : ids.length };
}
