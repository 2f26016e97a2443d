import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import pino from 'pino';
import { openStore } from '../stores/open-store.js';
import { defaultBodyLimitBytes } from './api-config.js';
import { buildApp } from './app.js';

/** Where the web app's generated API types live (`npm run gen:api` writes it, a test checks it). */
export const apiTypesFile = 'web/src/api/schema.d.ts';

/**
 * The OpenAPI document of this API, built in-process from the routes' zod schemas (the app is
 * made ready over an in-memory SQLite store, never listening). The same document /api/openapi.json
 * serves, without a token's security scheme.
 */
export async function openapiDocument(): Promise<Record<string, unknown>> {
  const store = await openStore({ databasePath: ':memory:' });
  try {
    const app = await buildApp({
      store,
      logger: pino({ level: 'silent' }),
      config: { host: '127.0.0.1', port: 0, corsOrigins: [], bodyLimitBytes: defaultBodyLimitBytes },
    });
    await app.ready();
    const document = app.swagger() as unknown as Record<string, unknown>;
    await app.close();
    return document;
  } finally {
    await store.close();
  }
}

/** The TypeScript of `paths` (openapi-typescript) for the web app and integrators' openapi-fetch clients. */
export async function apiTypesSource(): Promise<string> {
  const ast = await openapiTS((await openapiDocument()) as unknown as Parameters<typeof openapiTS>[0]);
  return `${COMMENT_HEADER.replace(' */', ' * Generated from the API\'s OpenAPI document by `npm run gen:api` (src/api/api-types.ts);\n * `npm test` fails when it is out of date.\n */')}${astToString(ast)}`;
}
