import { createExtras } from './extras.js';
import type { WorkspaceState } from './handler.js';
import { SchemaRegistry } from './schema-registry.js';
import { sortedTable } from './list.js';
import { seedWorkspace, type SeedCounts } from './seed.js';
import { seedLists } from './saved-lists.js';
import { Store } from './store.js';

export function createWorkspace(seed: number, records: number, objectCounts?: Partial<SeedCounts>): WorkspaceState {
  const registry = new SchemaRegistry();
  const store = new Store(registry);
  const { actorId, counts } = seedWorkspace(store, seed, records, objectCounts);
  // Build the default order once now rather than in the first list call.
  for (const object of registry.objects.values()) sortedTable(store, object, { field: undefined, descending: false });
  const extras = createExtras();
  seedLists(extras, store, seed);
  return { registry, store, actorId, counts, extras };
}
