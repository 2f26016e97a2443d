import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { freePort } from './free-port.js';
import { pollUntil, startSkucast, stopAll, type SkucastProcess } from './skucast-process.js';

/**
 * A browser e2e suite's world: a real `node server.js api` and `node server.js worker` on a
 * temporary SQLite file, and Debian's chromium (playwright-core) on one page in the given locale.
 * Console errors on the page are collected for the suite to assert on (404s aside: a missing
 * resource the page handles itself); screenshots go to test-output/<label>/.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface WebE2eSession {
  baseUrl: string;
  page: Page;
  consoleErrors: string[];
  shot(name: string): Promise<void>;
  getJson(url: string): Promise<any>;
  /** Until nothing is pending or running. */
  drained(): Promise<void>;
  close(): Promise<void>;
}

/** Whether chromium is here; without it the suite is skipped loudly, and under CI=true it fails. */
export function chromiumAvailable(label: string): boolean {
  const available = existsSync(chromiumPath);
  if (!available) console.warn(`[${label} web e2e] SKIPPED: no chromium at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  if (!available && process.env.CI === 'true') throw new Error(`chromium is required under CI (looked at ${chromiumPath})`);
  return available;
}

export async function openWebE2eSession(label: string, locale: string): Promise<WebE2eSession> {
  if (!existsSync(path.join(root, 'dist/src/cli/main.js'))) throw new Error('dist/ is not built: the vitest globalSetup runs `npm run build:server`');
  if (!existsSync(path.join(root, 'web/dist/index.html'))) throw new Error('web/dist is not built: the vitest globalSetup runs `npm run build:web`');
  const shots = path.join(root, 'test-output', label);
  mkdirSync(shots, { recursive: true });
  const dir = mkdtempSync(path.join(tmpdir(), `skucast-${label}-`));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = { DATABASE_PATH: path.join(dir, 'web.db'), DATABASE_URL: '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  const api: SkucastProcess = startSkucast('api', ['api'], env);
  await pollUntil('the API', () => fetch(`${baseUrl}/api/health`).then((r) => r.ok || undefined).catch(() => undefined), 30_000, 100);
  const worker: SkucastProcess = startSkucast('worker', ['worker', '--concurrency', '2'], env);
  const browser: Browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale });
  const consoleErrors: string[] = [];
  const screenshots: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 404/.test(m.text())) consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));

  const getJson = async (url: string) => {
    const res = await fetch(`${baseUrl}${url}`);
    expect(res.status, url).toBe(200);
    return res.json();
  };
  return {
    baseUrl,
    page,
    consoleErrors,
    getJson,
    async shot(name) {
      const file = path.join(shots, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      screenshots.push(path.relative(root, file));
    },
    async drained() {
      await pollUntil('the queue to drain', async () => {
        const body = await getJson('/api/jobs/status?limit=1');
        return body.summary.pending + body.summary.running === 0 ? true : undefined;
      }, 180_000, 250);
    },
    async close() {
      await browser.close();
      for (const p of [worker, api]) {
        if (p.running) {
          p.child.kill('SIGTERM');
          await p.exited;
        }
      }
      const leaked = await stopAll();
      rmSync(dir, { recursive: true, force: true });
      console.log(`[${label} web e2e] screenshots:\n  ${screenshots.join('\n  ')}`);
      expect(leaked).toEqual([]);
    },
  };
}

/**
 * The session of the describe this is called in: opened before its tests, closed after them. The
 * object answers for the open session, so its methods can be taken apart at once and its fields
 * read inside a test.
 */
export function webE2eSessionForSuite(label: string, locale: string): WebE2eSession {
  let session: WebE2eSession | undefined;
  beforeAll(async () => {
    session = await openWebE2eSession(label, locale);
  }, 180_000);
  afterAll(async () => {
    await session?.close();
  }, 60_000);
  const open = () => {
    if (!session) throw new Error(`the ${label} web e2e session is not open (read outside a test?)`);
    return session;
  };
  return {
    get baseUrl() { return open().baseUrl; },
    get page() { return open().page; },
    get consoleErrors() { return open().consoleErrors; },
    shot: (name) => open().shot(name),
    getJson: (url) => open().getJson(url),
    drained: () => open().drained(),
    close: () => open().close(),
  };
}
