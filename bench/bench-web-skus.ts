/// <reference lib="dom" />
/**
 * `npm run bench:web [-- --skus 50000] [-- --months 36] [-- --json]`: the web app's SKU list at
 * scale, in Debian's chromium against a real `node server.js api`. Generates the sample catalogue
 * at --skus SKUs, imports it (no jobs: the list, not the queue, is measured), opens
 * /datasets/<id> and prints: the API's first page, the first SKU row on screen after navigation,
 * the DOM row count while the list is scrolled through every page to its end (it must stay
 * bounded), the time per page loaded on scroll, frame times of a smooth scroll, and the JS heap.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { cliArgs } from '../tests/support/cli-args.js';
import { chromium, type Browser, type Page } from 'playwright-core';
import { importCsv } from '../src/datasets/import-dataset.js';
import { sampleCsvChunks } from '../src/datasets/sample-dataset.js';
import { openSqliteStore } from '../src/stores/sqlite/sqlite-store.js';
import { freePort } from '../tests/support/free-port.js';
import { startSkucast, stopAll } from '../tests/support/skucast-process.js';

const { values: args } = cliArgs('bench:web', {
  skus: { type: 'string', default: '50000' },
  months: { type: 'string', default: '36' },
  json: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const ms = (x: number) => `${x.toFixed(0)} ms`;

/** A new page at `url`, and the moment its first SKU row was in the DOM, seen from inside the page (ms after navigation start). */
async function openAtFirstSkuRow(browser: Browser, url: string): Promise<{ page: Page; firstSkuAt: number }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(() => {
    const w = window as unknown as { firstSkuAt?: number };
    new MutationObserver((_m, observer) => {
      if (document.querySelector('[data-testid="sku-item"]')) {
        w.firstSkuAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(url);
  await page.getByTestId('sku-item').first().waitFor({ timeout: 60_000 });
  return { page, firstSkuAt: await page.evaluate(() => (window as unknown as { firstSkuAt: number }).firstSkuAt) };
}

async function main(): Promise<void> {
  if (!existsSync(path.join(root, 'web/dist/index.html'))) throw new Error('web/dist is not built: run `npm run build` first');
  if (!existsSync(args.chromium)) throw new Error(`no chromium at ${args.chromium}`);
  const skus = Number(args.skus);
  const dir = mkdtempSync(path.join(tmpdir(), 'skucast-bench-web-'));
  const dbPath = path.join(dir, 'web.db');
  try {
    const csv = path.join(dir, 'sales.csv');
    const out = createWriteStream(csv);
    for (const chunk of sampleCsvChunks({ skus, months: Number(args.months) })) if (!out.write(chunk)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    const store = await openSqliteStore(dbPath);
    await store.migrate();
    const t0 = performance.now();
    const outcome = await importCsv(store, createReadStream(csv, { highWaterMark: 256 * 1024 }), { name: `bench-${skus}`, createJobs: false });
    await store.close();
    const datasetId = outcome.datasetId!;
    console.log(`imported ${outcome.report.skus} SKUs x ${args.months} months in ${((performance.now() - t0) / 1000).toFixed(1)} s (no jobs)`);

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    startSkucast('api', ['api'], { DATABASE_PATH: dbPath, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, { keepLines: false });
    for (let i = 0; ; i += 1) {
      if (await fetch(`${baseUrl}/api/health`).then((r) => r.ok, () => false)) break;
      if (i > 300) throw new Error('the API did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // The API alone: the list's first page (the web app's default sort), median of 5.
    const apiTimes: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const t = performance.now();
      const res = await fetch(`${baseUrl}/api/datasets/${datasetId}/skus?sort=volume&order=desc&limit=200&offset=0`);
      await res.json();
      apiTimes.push(performance.now() - t);
    }

    const datasetsTimes: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const t = performance.now();
      await (await fetch(`${baseUrl}/api/datasets`)).json();
      datasetsTimes.push(performance.now() - t);
    }

    const browser = await chromium.launch({ executablePath: args.chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const { page, firstSkuAt: firstSku } = await openAtFirstSkuRow(browser, `${baseUrl}/datasets/${datasetId}`);
    // Where the time went: the page's scripts, then the first page of SKUs over the network.
    const timeline = await page.evaluate(() => {
      // Browser types (PerformanceNavigationTiming) are not in this Node project's lib.
      const perf = performance as unknown as { getEntriesByType(type: string): Array<{ name: string; startTime: number; responseEnd: number; domContentLoadedEventEnd: number }> };
      const nav = perf.getEntriesByType('navigation')[0];
      const skus = perf.getEntriesByType('resource').find((r) => r.name.includes('/skus?'));
      return { domReady: nav.domContentLoadedEventEnd, skusRequested: skus?.startTime ?? NaN, skusAnswered: skus?.responseEnd ?? NaN };
    });
    const rowsAtStart = await page.getByTestId('sku-item').count();
    // The bare address (no dataset in it) waits for the dataset list before it knows which SKUs to ask for.
    const { page: bare, firstSkuAt: firstSkuBare } = await openAtFirstSkuRow(browser, `${baseUrl}/`);
    const bareDocument = await bare.evaluate(
      () => (performance as unknown as { getEntriesByType(type: string): Array<{ responseEnd: number }> }).getEntriesByType('navigation')[0].responseEnd,
    );
    if (args.verbose) {
      const entries = await bare.evaluate(() =>
        (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => `${Math.round(r.startTime)}-${Math.round(r.responseEnd)} ms ${r.name}`));
      console.log(`requests of the bare address:\n  ${entries.join('\n  ')}`);
    }
    await bare.close();

    // Scroll to the end of what is loaded, wait for the next page, again, until every SKU is loaded.
    const scroll = await page.evaluate(async (total) => {
      const list = document.querySelector<HTMLElement>('[data-testid="sku-items"]')!;
      const loaded = () => Number((document.querySelector('[data-testid="sku-count"]')?.textContent ?? '0').split(' of ')[0].replace(/\D/g, ''));
      const pageTimes: number[] = [];
      let maxRows = 0;
      const start = performance.now();
      while (loaded() < total) {
        const before = loaded();
        const t = performance.now();
        list.scrollTop = list.scrollHeight;
        while (loaded() === before) {
          await new Promise((resolve) => requestAnimationFrame(resolve));
          maxRows = Math.max(maxRows, document.querySelectorAll('[data-testid="sku-item"]').length);
          if (performance.now() - t > 30_000) throw new Error(`no page after ${before} SKUs`);
        }
        pageTimes.push(performance.now() - t);
      }
      const seconds = (performance.now() - start) / 1000;
      // Then a smooth scroll upwards, 40 px a frame for 400 frames: frame intervals.
      const frames: number[] = [];
      let last = performance.now();
      for (let i = 0; i < 400; i += 1) {
        list.scrollTop -= 40;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        frames.push(now - last);
        last = now;
        maxRows = Math.max(maxRows, document.querySelectorAll('[data-testid="sku-item"]').length);
      }
      const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
      return { pageTimes, seconds, maxRows, frames, heapMb: memory ? memory.usedJSHeapSize / 1048576 : null, loaded: loaded(), lastSku: document.querySelectorAll('[data-testid="sku-item"]').length };
    }, outcome.report.skus);
    await browser.close();

    const result = {
      skus: outcome.report.skus,
      api_first_page_ms: Math.round(median(apiTimes)),
      api_datasets_ms: Math.round(median(datasetsTimes)),
      first_sku_row_bare_address_ms: Math.round(firstSkuBare),
      bare_address_document_ms: Math.round(bareDocument),
      first_sku_row_ms: Math.round(firstSku),
      dom_ready_ms: Math.round(timeline.domReady),
      first_page_requested_ms: Math.round(timeline.skusRequested),
      first_page_answered_ms: Math.round(timeline.skusAnswered),
      dom_rows_at_start: rowsAtStart,
      dom_rows_max_while_scrolling: scroll.maxRows,
      pages_loaded: scroll.pageTimes.length + 1,
      page_on_scroll_median_ms: Math.round(median(scroll.pageTimes)),
      page_on_scroll_p95_ms: Math.round(pct(scroll.pageTimes, 95)),
      scroll_to_end_seconds: Math.round(scroll.seconds * 10) / 10,
      smooth_scroll_frame_median_ms: Math.round(median(scroll.frames) * 10) / 10,
      smooth_scroll_frame_p95_ms: Math.round(pct(scroll.frames, 95) * 10) / 10,
      js_heap_mb: scroll.heapMb === null ? null : Math.round(scroll.heapMb),
    };
    if (args.json) console.log(JSON.stringify(result));
    else {
      console.log(`API first page (200 SKUs, sort by volume): ${ms(result.api_first_page_ms)} (median of 5); GET /api/datasets ${ms(result.api_datasets_ms)} (median of 3)`);
      console.log(`first SKU row on screen: ${ms(result.first_sku_row_ms)} after navigation (scripts ready ${ms(result.dom_ready_ms)}, ` +
        `first page asked ${ms(result.first_page_requested_ms)}, answered ${ms(result.first_page_answered_ms)}); ${result.dom_rows_at_start} rows in the DOM`);
      console.log(`the same from the bare address / (the dataset list first): ${ms(result.first_sku_row_bare_address_ms)} (index.html answered at ${ms(result.bare_address_document_ms)})`);
      console.log(`scrolled through ${result.pages_loaded} pages to all ${scroll.loaded} SKUs in ${result.scroll_to_end_seconds} s: ` +
        `a page ${ms(result.page_on_scroll_median_ms)} median, ${ms(result.page_on_scroll_p95_ms)} p95; at most ${result.dom_rows_max_while_scrolling} rows in the DOM`);
      console.log(`smooth scroll: frame ${result.smooth_scroll_frame_median_ms} ms median, ${result.smooth_scroll_frame_p95_ms} ms p95; JS heap ${result.js_heap_mb ?? '?'} MB`);
    }
  } finally {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
