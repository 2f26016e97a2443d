/**
 * The API docs page (/api/docs, Swagger UI) in Debian's chromium, under the API's own CSP: the page
 * must render the operations generated from the zod schemas, with no console error (a CSP
 * violation is one). A screenshot goes to test-output/api-docs/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiTestApp, type ApiTestApp } from '../support/api-test-app.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(chromiumPath);
if (!available) console.warn(`[api docs e2e] SKIPPED: no chromium at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
if (!available && process.env.CI === 'true') throw new Error(`chromium is required under CI (looked at ${chromiumPath})`);

describe.skipIf(!available)('/api/docs in a browser', () => {
  let t: ApiTestApp;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    t = await openApiTestApp({ apiToken: 'docs-test-token-1234' });
    baseUrl = (await t.app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renders the operations under the API\'s CSP, without the token, with no console error', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    const response = await page.goto(`${baseUrl}/api/docs`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('.opblock-summary-path', { timeout: 30_000 });
    const paths = await page.locator('.opblock-summary-path').allTextContents();
    expect(paths.map((p) => p.replace(/\u200b/g, ''))).toEqual(expect.arrayContaining(['/api/jobs', '/api/jobs/status', '/api/datasets/{id}/skus']));
    await expect(page.locator('.info .title').textContent()).resolves.toContain('Skucast API');
    const shots = path.join(root, 'test-output', 'api-docs');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'api-docs.png'), fullPage: false });
    console.log('[api docs e2e] screenshot: test-output/api-docs/api-docs.png');
    expect(errors).toEqual([]);
  }, 60_000);
});
