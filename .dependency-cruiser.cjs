/**
 * The module map of the gateway, checked by `npm run deps` (part of `npm test`). Dependencies
 * point one way:
 *
 *   server/ (composition, plugins) → bulk/ (`/export`, `/import`) → schema/ (Pothos types, resolvers) → shared-state/ (every
 *   Redis adapter and the one connection owner) → live/ (subscription feeds and pollers) →
 *   loaders/ (record store, request context) → plan/ (selection walk, planner, filters, paging)
 *   → client/ (HTTP) and workspace/ (model) → errors/ (the code table)
 *
 * config/ is read by server/ alone. The sandbox is the other side of the wire: it shares no code
 * with the gateway, which only starts it (`npm start` without a key, and printing a schema).
 */
const layers = ['errors', 'workspace', 'client', 'plan', 'loaders', 'live', 'shared-state', 'schema', 'bulk', 'server'];

/** Each layer may not import the layers above it. */
const upward = layers.slice(0, -1).map((layer, index) => ({
  name: `no-upward-from-${layer}`,
  severity: 'error',
  comment: `${layer}/ sits below ${layers.slice(index + 1).join(', ')}; a value it needs from above is passed in as a parameter.`,
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${[...layers.slice(index + 1), 'config'].join('|')})/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A cycle makes the module map unreadable and the load order fragile. Type-only imports count: ' +
        'a cycle through a type is still two modules that cannot be read apart.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...upward,
    {
      name: 'workspace-and-client-apart',
      severity: 'error',
      comment: 'The model and the HTTP client are both at the bottom and know nothing of each other.',
      from: { path: '^src/(workspace|client)/' },
      to: { path: '^src/(workspace|client)/', pathNot: '^src/$1/' },
    },
    {
      name: 'config-read-by-server-alone',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(server|config)/|^src/index\\.ts$' },
      to: { path: '^src/config/' },
    },
    {
      name: 'config-imports-nothing-above',
      severity: 'error',
      comment: 'Besides itself, config reads only the subscription defaults, a module that imports nothing.',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: ['^src/config/', '^src/live/defaults\\.ts$'] },
    },
    {
      name: 'sandbox-shares-no-code',
      severity: 'error',
      comment: 'The sandbox is the other side of the wire.',
      from: { path: '^src/sandbox/' },
      to: { path: '^src/', pathNot: '^src/sandbox/' },
    },
    {
      name: 'gateway-only-starts-the-sandbox',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/sandbox/|^src/server/(main|print-schema-command)\\.ts$|^src/schema/demo-schema\\.ts$' },
      to: { path: '^src/sandbox/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are dependencies too: `no-circular` and the layer rules count them.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(test|bench)/' },
  },
};
