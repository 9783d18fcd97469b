import { SchemaRegistry } from './schema-registry.js';
import { seedWorkspace, type SeedCounts } from './seed.js';
import { Store } from './store.js';

/** The mutable workspace: schema, records and who the sandbox key acts as. */
export interface WorkspaceState {
  registry: SchemaRegistry;
  store: Store;
  actorId: string;
  counts: SeedCounts;
}

export function createWorkspace(seed: number, records: number): WorkspaceState {
  const registry = new SchemaRegistry();
  const store = new Store(registry);
  const { actorId, counts } = seedWorkspace(store, seed, records);
  return { registry, store, actorId, counts };
}
