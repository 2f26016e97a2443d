import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiTypesFile, apiTypesSource } from './api-types.js';

describe('the generated API types', () => {
  it(`${apiTypesFile} is what the routes' schemas generate today (else run \`npm run gen:api\` and commit it)`, async () => {
    const committed = readFileSync(new URL(`../../${apiTypesFile}`, import.meta.url), 'utf8');
    const current = await apiTypesSource();
    expect(current).toContain('"/api/jobs/status"');
    if (committed !== current) {
      throw new Error(`${apiTypesFile} is out of date: the API's OpenAPI document changed. Run \`npm run gen:api\` and commit the file.`);
    }
  }, 60_000);
});
