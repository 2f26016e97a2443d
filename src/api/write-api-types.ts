import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { apiTypesFile, apiTypesSource } from './api-types.js';

/** `npm run gen:api`: writes the web app's API types (web/src/api/schema.d.ts) from the OpenAPI document. */
const out = resolve(apiTypesFile);
writeFileSync(out, await apiTypesSource());
console.log(`wrote ${out}`);
