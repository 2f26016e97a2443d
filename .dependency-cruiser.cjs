/** Dependencies flow one way (see README "Architecture"). `npm run lint:deps` checks it in CI. */
module.exports = {
  forbidden: [
    {
      name: 'forecasting-is-pure',
      comment: 'src/forecasting imports nothing from the rest of Skucast and does no I/O',
      severity: 'error',
      from: { path: '^src/forecasting/' },
      to: { pathNot: '^src/forecasting/' },
    },
    {
      name: 'forecasting-no-io',
      severity: 'error',
      from: { path: '^src/forecasting/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(fs|node:fs|net|node:net|http|node:http|child_process|node:child_process|worker_threads|node:worker_threads)$' },
    },
    {
      name: 'queue-knows-only-the-store-interface',
      severity: 'error',
      from: { path: '^src/queue/', pathNot: '(\\.test\\.ts$|^src/queue/testing/)' },
      to: { path: '^src/(stores|api|worker|cli|datasets|forecasting)/' },
    },
    {
      name: 'no-sql-in-api',
      comment: 'routes talk to the Store interface, never to an adapter',
      severity: 'error',
      from: { path: '^src/api/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/stores/(sqlite|postgres)/' },
    },
    {
      name: 'web-knows-only-http',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^src/' },
    },
    {
      name: 'nothing-imports-the-cli',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(node_modules|dist)' },
  },
};
