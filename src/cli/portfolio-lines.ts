import type { PortfolioSummary } from '../datasets/dataset-results.js';

/**
 * The portfolio lines `skucast import --watch` ends with. WAPE and bias say over how many SKUs
 * they are when not every forecast has a backtest: they cover only those (a seasonal SKU of two
 * years holds out no point), and "portfolio WAPE 9.1 %" over 25 of 49 read as all 49. The models
 * are what each SKU's shown forecast is, "chosen": the default is a weighted mean, never "best".
 */
export function portfolioLines({ portfolio, bestModels }: PortfolioSummary, holdout?: number): string[] {
  const pct = (v: number | null) => (v === null ? '--' : `${v.toFixed(1)} %`);
  const { skusWithBacktest: scored, skusWithForecast } = portfolio;
  let scope = '';
  if (scored !== null && scored < skusWithForecast) {
    scope = scored === 0
      ? `   (no forecast has a backtest: ${holdout === 0 ? 'the holdout is 0' : holdout === undefined ? 'the holdout is 0, or the histories are too short to hold out a point' : 'the histories are too short to hold out a point'})`
      : `   (over ${scored} of ${skusWithForecast} SKUs with a backtest; the others' histories are too short to hold out a point)`;
  }
  const lines = [
    `  SKUs                ${portfolio.skus} (${skusWithForecast} with a forecast)`,
    `  portfolio WAPE      ${pct(portfolio.wape)}   bias ${pct(portfolio.bias)}${scope}`,
    '  chosen forecast     SKUs',
  ];
  for (const [model, n] of Object.entries(bestModels).sort((a, b) => b[1] - a[1])) lines.push(`    ${model.padEnd(30)} ${n}`);
  return lines;
}
