// The API of `npm run dev`: `node --watch server.js api`, restarted whenever a compiled file it
// loaded changes. Marked (SKUCAST_SUPERVISED=1), as its worker is (dev-worker.mjs): one Ctrl-C
// reaches the API 1 to 3 times (from the terminal, which signals the whole process group, forwarded
// by node --watch, and dev.mjs's own forward through the watcher; copies can merge), and a repeat
// within a second of the first is the same stop, not a second Ctrl-C cutting it short (api-server.ts).
export function devApiSpawn(env, extraArgs = []) {
  return {
    args: ['--watch', 'server.js', 'api', ...extraArgs],
    env: { ...env, SKUCAST_SUPERVISED: '1' },
  };
}
