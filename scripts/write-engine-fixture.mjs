// Regenerates the runForecast outputs result-equivalence.test.ts pins, from the built engine:
//   npm run build:server && node scripts/write-engine-fixture.mjs <previous fixture> "<what changed>"
// Same series and model/method pairs as the previous fixture; written as
// src/forecasting/fixtures/engine-outputs-<ENGINE_VERSION>.json. Run it only for a change meant to
// move forecasts, with ENGINE_VERSION bumped (results are reused by input hashes that name it).
import { readFileSync, writeFileSync } from 'node:fs';
import { runForecast, ENGINE_VERSION } from '../dist/src/forecasting/index.js';

const [from, note] = process.argv.slice(2);
if (!from || !note) {
  console.error('usage: node scripts/write-engine-fixture.mjs <previous fixture.json> "<what changed>"');
  process.exit(2);
}
const previous = JSON.parse(readFileSync(from, 'utf8'));
const results = previous.results.map(({ series, modelId, method }) => {
  const s = previous.series.find((x) => x.id === series);
  const r = runForecast({
    sku: s.id, values: s.values, frequency: s.frequency, modelId, method,
    settings: { horizon: 8, holdout: 6, metric: 'mae', intervalLevels: [95] },
  });
  return {
    series, modelId, method, mean: r.forecast.mean, lower95: r.forecast.intervals[0].lower, upper95: r.forecast.intervals[0].upper,
    holdout: r.holdout.forecast, cvSmape: r.cv?.metrics?.smape ?? null, sigma: r.fit.sigma, parameters: r.parameters,
  };
});
const out = new URL(`../src/forecasting/fixtures/engine-outputs-${ENGINE_VERSION}.json`, import.meta.url);
writeFileSync(out, `${JSON.stringify({ source: `runForecast outputs (horizon 8, holdout 6, metric mae, 95% interval) at engine ${ENGINE_VERSION}: ${note}`, series: previous.series, results }, null, 2)}\n`);
console.log(`wrote ${out.pathname}: ${results.length} results`);
