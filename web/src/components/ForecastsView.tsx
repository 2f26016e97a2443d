import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/ApiContext.js';
import { queryKeys } from '../api/query-keys.js';
import type { Job, Portfolio } from '../api/types.js';
import { formatCount, formatCounted, formatPercent } from '../format.js';
import type { DataHandlers } from '../hooks/useDataHandlers.js';
import { ExportLinks } from './ExportLinks.js';
import { SkuDetail } from './SkuDetail.js';
import { SkuList } from './SkuList.js';
import { UnmetWorkNotice } from './UnmetWorkNotice.js';

interface ForecastsViewProps {
  datasetId: string | null;
  /** The SKU in the URL (null: the list chooses its first). */
  sku: string | null;
  onSelectSku: (sku: string, options?: { replace?: boolean }) => void;
  /** Bumped while the queue runs: the SKU list refreshes the rows in view. */
  skuRefresh?: number;
  datasetsLoading: boolean;
  jobs: Job[];
  handlers: DataHandlers;
  onUpload: () => void;
  /** After the out-of-date notice queued jobs: the badge shows them without waiting a poll. */
  onJobsSubmitted?: () => void;
}

/** The planner's main view: the SKU list on the left, the selected SKU's forecast on the right. */
export function ForecastsView({ datasetId, sku, onSelectSku, skuRefresh, datasetsLoading, jobs, handlers, onUpload, onJobsSubmitted }: ForecastsViewProps) {
  const api = useApi();

  const portfolio = useQuery({
    queryKey: [...queryKeys.forecasts(datasetId ?? ''), 'portfolio'],
    queryFn: () => api.forecasts(datasetId!, { limit: 1 }),
    enabled: datasetId !== null,
  });
  // The holdout says why WAPE and bias may be "–": with 0, no forecast is scored.
  const dataset = useQuery({ queryKey: queryKeys.dataset(datasetId ?? ''), queryFn: () => api.dataset(datasetId!), enabled: datasetId !== null });

  if (datasetsLoading) return <p className="empty-state">Loading datasets…</p>;
  if (!datasetId) {
    return (
      <div className="empty-state empty-hero">
        <h1>No data yet</h1>
        <p>Upload a CSV of sales history, or try Skucast on the built-in sample dataset.</p>
        <div className="form-actions">
          <button type="button" className="btn btn-primary" onClick={() => void handlers.handleLoadSample()} disabled={handlers.busy}>
            Load sample dataset
          </button>
          <button type="button" className="btn" onClick={onUpload}>
            Upload a CSV
          </button>
        </div>
      </div>
    );
  }

  const p = portfolio.data?.portfolio;
  const rerunning = jobs.some((j) => j.datasetId === datasetId && (j.status === 'pending' || j.status === 'running'));
  const scope = p ? portfolioScope(p, dataset.data?.settings.holdout, rerunning) : null;
  return (
    <div className="forecasts">
      <UnmetWorkNotice datasetId={datasetId} skuCount={p?.skus} onJobsSubmitted={onJobsSubmitted ?? (() => undefined)} />
      <div className="portfolio-bar">
        <dl className="stats stats-inline">
          <div>
            <dt>SKUs with a forecast</dt>
            <dd data-testid="skus-with-forecast">{p ? `${formatCount(p.skusWithForecast)} / ${formatCount(p.skus)}` : '–'}</dd>
          </div>
          {/* A backtest, not the forecast against what sold: "How did we do" scores that, as "WAPE against actuals" (the two read as one figure). */}
          <div title={backtestTitle} data-testid="portfolio-wape">
            <dt>Backtest WAPE</dt>
            <dd>{p?.wape === null || p?.wape === undefined ? '–' : formatPercent(p.wape, 1)}</dd>
          </div>
          {/* The API states the portfolio's bias as a percentage of volume, as WAPE (http-api.md). */}
          <div title="Forecast minus actual over the holdout, as a percentage of actual volume: positive over-forecasts">
            <dt>Backtest bias</dt>
            <dd data-testid="portfolio-bias">{p?.bias === null || p?.bias === undefined ? '–' : formatPercent(p.bias, 1)}</dd>
          </div>
          {scope ? (
            <div title={scope.why}>
              <dt className="visually-hidden">Scored on</dt>
              <dd className="muted" data-testid="portfolio-scope">
                <small>{scope.text}</small>
              </dd>
            </div>
          ) : null}
        </dl>
        <ExportLinks datasetId={datasetId} />
      </div>
      <div className="split">
        <SkuList datasetId={datasetId} selected={sku} onSelect={onSelectSku} refreshKey={skuRefresh} />
        {sku ? (
          <SkuDetail key={`${datasetId}/${sku}`} datasetId={datasetId} sku={sku} jobs={jobs} handlers={handlers} />
        ) : (
          <div className="empty-state panel">Choose a SKU on the left to see its history, forecast and models.</div>
        )}
      </div>
    </div>
  );
}

const backtestTitle =
  "Holdout backtest: each SKU's model refitted without its last periods (the holdout in Settings) and scored on them. Not the forecast against actuals that came later: \"How did we do\" scores that, as WAPE against actuals.";

const noBacktestWhy =
  'WAPE and bias are over the holdouts of the SKUs with a backtest. A forecast has none when the holdout is 0, or when its history is too short for its model to hold out any point (a seasonal SKU with two years of monthly history, say).';
const rerunWhy = ' The forecasts are being rerun: until they are done, some shown were made with the settings before.';

/**
 * What the portfolio's WAPE and bias cover, when not every forecast: "over 25 of 49 SKUs with a
 * backtest", or why they are "–". Null when they cover every SKU with a forecast, or the API
 * did not say (a snapshot keeps no count). "The holdout is 0" only when no forecast has a
 * backtest: right after holdout 0 is saved the forecasts of the holdout before are still shown,
 * with their WAPE, and the tile read "9.1%" beside "no backtest: the holdout is 0". A backtest is
 * the API's skusWithBacktest, the test the SKU list's rows tell one by too (its `backtested`).
 * `rerunning`: the dataset has jobs pending or running (the queue the app polls).
 */
export function portfolioScope(p: Portfolio, holdout: number | undefined, rerunning = false): { text: string; why: string } | null {
  const scored = p.skusWithBacktest;
  if (p.skusWithForecast === 0 || scored === null || scored === undefined) return null;
  const over = `${formatCount(scored)} of ${formatCounted(p.skusWithForecast, 'SKU')}`;
  if (holdout === 0 && scored > 0) {
    return { text: `over ${over}: forecasts from before the holdout of 0`, why: 'With a holdout of 0 no point is held out: these figures are over forecasts made with the holdout before, still shown until their rerun replaces them. Then no forecast has a backtest, and WAPE and bias read "–".' };
  }
  if (scored >= p.skusWithForecast) return null;
  if (scored === 0) {
    if (holdout === 0) return { text: 'no backtest: the holdout is 0', why: 'With a holdout of 0 no points are held out, so no forecast is scored: set a holdout in Settings for WAPE and bias.' };
    if (rerunning) return { text: 'no backtest yet: the forecasts are being rerun', why: noBacktestWhy + rerunWhy };
    return { text: 'no SKU with a backtest', why: noBacktestWhy };
  }
  return { text: `over ${over} with a backtest`, why: noBacktestWhy + (rerunning ? rerunWhy : '') };
}
