/**
 * The module map of the gateway, checked by `npm run deps` (part of `npm test`). Every folder of
 * src/ is named here, and dependencies point one way:
 *
 *   cli/ (entry points, ports, forced exit) → server/ (composition, options, auth, transports;
 *   server/plugins/: one Yoga plugin per file) → bulk/ (`/export`, `/import`) → schema/ (Pothos types and resolvers, by feature)
 *   → shared-state/ (every Redis adapter and the one connection owner) → observability/ (metrics,
 *   logs, tracing, readiness) → live/ (subscription feeds and pollers) → loaders/ (record store,
 *   request context) → plan/ (selection walk, planner, filters, paging) → client/ (HTTP) and
 *   workspace/ (model) → errors/ (the code table, coded errors and the pre-GraphQL refusal builder)
 *
 * config/ is read by the entry points, the composition and observability (its defaults) alone. The
 * sandbox is the other side of the wire: it shares no code with the gateway, which only starts it
 * (`npm start` without a key, and printing a schema).
 */
const layers = ['errors', 'workspace', 'client', 'plan', 'loaders', 'live', 'observability', 'shared-state', 'schema', 'bulk', 'server', 'cli'];
const folders = [...layers, 'config', 'sandbox'];
/** The folders that may read config/. */
const readsConfig = ['observability', 'server', 'cli'];

/** Each layer may not import the layers above it. */
const upward = layers.slice(0, -1).map((layer, index) => ({
  name: `no-upward-from-${layer}`,
  severity: 'error',
  comment: `${layer}/ sits below ${layers.slice(index + 1).join(', ')}; a value it needs from above is passed in as a parameter.`,
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${[...layers.slice(index + 1), ...(readsConfig.includes(layer) ? [] : ['config'])].join('|')})/` },
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
      name: 'every-folder-named',
      severity: 'error',
      comment: 'A folder missing from the map has no rule; name it in `layers` (or `folders`) with its place.',
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: [`^src/(${folders.join('|')})/`, '^src/index\\.ts$'] },
    },
    {
      name: 'plugins-know-no-composition',
      severity: 'error',
      comment: 'A plugin takes what it needs as options; the composition (gateway, options, pipeline) puts it in its place.',
      from: { path: '^src/server/plugins/' },
      to: { path: '^src/server/(gateway|options|pipeline)\\.ts$' },
    },
    {
      name: 'schema-features-apart',
      severity: 'error',
      comment:
        'Inside schema/, a feature folder imports core/ and itself, core/ imports only itself; build-schema.ts ' +
        'composes them. What a feature needs of another comes through the registry or as a parameter.',
      from: { path: '^src/schema/([^/]+)/' },
      to: { path: '^src/schema/', pathNot: '^src/schema/(core|$1)/' },
    },
    {
      name: 'config-read-by-the-composition-alone',
      severity: 'error',
      from: { path: '^src/', pathNot: [`^src/(${[...readsConfig, 'config'].join('|')})/`, '^src/index\\.ts$'] },
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
      from: { path: '^src/', pathNot: '^src/sandbox/|^src/cli/(main|print-schema-command)\\.ts$' },
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
