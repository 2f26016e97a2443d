// Where `npm run dev`'s Vite server proxies /api: the API dev.mjs starts, on the PORT and HOST of
// the validated settings (src/config/env.ts), unless SKUCAST_API_URL names another. A wildcard
// listen address is reached on loopback; an IPv6 one goes in brackets.
export function devApiUrl(settings, explicit) {
  if (explicit) return explicit;
  const host = settings.host === '0.0.0.0' ? '127.0.0.1' : settings.host === '::' ? '::1' : settings.host;
  return `http://${host.includes(':') ? `[${host.replace(/^\[|\]$/g, '')}]` : host}:${settings.port}`;
}
