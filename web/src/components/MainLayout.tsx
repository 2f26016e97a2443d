import { useEffect, useRef, type ReactNode } from 'react';
import type { Dataset, Job, JobSummary } from '../api/types.js';
import { formatCounted } from '../format.js';
import { ApiDownBannerShown, LoadError, type FailedRead } from './LoadError.js';
import { QueueBadge } from './QueueBadge.js';
import { StartWorkerHint, workerNotice } from './no-live-worker.js';

export type View = 'forecasts' | 'upload' | 'settings' | 'accuracy' | 'totals';

const views: Array<{ id: View; label: string }> = [
  { id: 'forecasts', label: 'Forecasts' },
  { id: 'upload', label: 'Upload data' },
  { id: 'settings', label: 'Settings' },
  { id: 'accuracy', label: 'How did we do' },
  { id: 'totals', label: 'Totals' },
];

/** The pages' names, which are also their paths (`/datasets/:id/settings`; see web/src/routing). */
export const viewIds: readonly string[] = views.map((v) => v.id);

export interface MainLayoutProps {
  jobs: Job[];
  summary: JobSummary;
  apiDown: boolean;
  statusError: string | null;
  /** The first status poll has answered (false: `summary`'s zeros are not counts yet). */
  statusLoaded?: boolean;
  view: View;
  onNavigate: (view: View) => void;
  /** Each page's address: the navigation is links (open in a new tab, copy), followed in place by onNavigate. */
  hrefOf?: (view: View) => string;
  datasets: Dataset[];
  /** The datasets are still being asked for: the picker says so, never "No dataset yet". */
  datasetsLoading?: boolean;
  /** Why the datasets could not be read (null: they were), and its Retry: the picker says so, not "No dataset yet". */
  datasetsError?: FailedRead | null;
  datasetId: string | null;
  onSelectDataset: (id: string) => void;
  onOpenQueue: () => void;
  children: ReactNode;
}

/**
 * The frame of every page: navigation, the dataset picker, the queue badge and progress, and the
 * "API down" banner. Job status arrives as props from ForecastPage; this component fetches nothing.
 */
export function MainLayout(props: MainLayoutProps) {
  const { jobs, summary, apiDown, statusError, statusLoaded = true, view, onNavigate, hrefOf, datasets, datasetsLoading = false, datasetsError = null, datasetId, onSelectDataset, onOpenQueue } = props;
  // A running job with no live worker is a dead worker's, waiting for its lease to be rescued:
  // "Optimizing … (0%)" would say it is being worked on. A stopping worker's running job is.
  const notice = workerNotice(summary);
  const current = !notice?.stranded ? jobs.find((j) => j.status === 'running') : undefined;
  const pickerFailed = datasets.length === 0 && !datasetsLoading && datasetsError !== null;
  // A Retry pressed in the picker that brings the list: its button leaves with the error, and the
  // focus goes to the picker that replaces it (else to the page, if the list is empty), not <body>.
  const pickerRef = useRef<HTMLSelectElement>(null);
  const retriedInPicker = useRef(false);
  useEffect(() => {
    if (pickerFailed || !retriedInPicker.current) return;
    retriedInPicker.current = false;
    if (document.activeElement !== null && document.activeElement !== document.body) return;
    if (pickerRef.current && !pickerRef.current.disabled) pickerRef.current.focus();
    else document.getElementById('main')?.focus();
  }, [pickerFailed]);
  // The banner is the outage's one alert: the views' "Could not load …" below it are not, meanwhile.
  return (
    <ApiDownBannerShown.Provider value={apiDown}>
      <div className="app">
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="topbar">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">
              ◆
            </span>
            Skucast
          </div>
          <nav className="tabs" aria-label="Pages">
            {views.map((v) => (
              <a
                key={v.id}
                href={hrefOf?.(v.id) ?? '#'}
                className={`tab${view === v.id ? ' tab-active' : ''}`}
                aria-current={view === v.id ? 'page' : undefined}
                onClick={(e) => {
                  // A middle click, or Ctrl/Cmd/Shift-click, is the browser's: a new tab or window.
                  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
                  e.preventDefault();
                  onNavigate(v.id);
                }}
              >
                {v.label}
              </a>
            ))}
          </nav>
          {/* A list that failed is an error with its Retry, not an option of a disabled select nobody can reach. */}
          {pickerFailed ? (
            <div className="dataset-picker dataset-picker-error" data-testid="dataset-picker-error">
              <LoadError
                what="datasets"
                error={datasetsError}
                onRetry={() => {
                  retriedInPicker.current = true;
                  datasetsError.retry();
                }}
                retrying={datasetsError.retrying}
                quiet
              />
            </div>
          ) : (
            <label className="dataset-picker">
              <span className="visually-hidden">Dataset</span>
              <select
                className="input"
                ref={pickerRef}
                value={datasetId ?? ''}
                onChange={(e) => onSelectDataset(e.target.value)}
                disabled={datasets.length === 0}
                aria-label="Dataset"
              >
                {/* A deep link names its dataset before the list is known: the option holds its value meanwhile. */}
                {datasets.length === 0 && datasetsLoading ? <option value={datasetId ?? ''}>Loading datasets…</option> : null}
                {datasets.length === 0 && !datasetsLoading ? <option value="">No dataset yet</option> : null}
                {datasets.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name} · {formatCounted(d.skuCount, 'SKU')}
                  </option>
                ))}
              </select>
            </label>
          )}
          <QueueBadge summary={summary} onOpen={onOpenQueue} loaded={statusLoaded} statusError={statusError} />
        </header>
        {apiDown ? (
          <div className="banner banner-error" role="alert" data-testid="api-down-banner">
            The API is not reachable. Retrying automatically; what you see may be out of date.
            {statusError && !/cannot be reached/.test(statusError) ? <small> ({statusError})</small> : null}
          </div>
        ) : null}
        {notice !== null ? (
          <div className="banner banner-warning" role="status" data-testid="no-worker-banner">
            {notice.text}. <StartWorkerHint />
          </div>
        ) : null}
        {current ? (
          <div className="now-running" aria-live="off">
            Optimizing <strong>{current.sku}</strong> · {current.modelId} ({Math.round(current.progress)}%)
            {summary.running > 1 ? ` and ${summary.running - 1} more` : ''}
          </div>
        ) : null}
        {/* Shown under 1024 px wide only (styles.css): the layout is made for 1024 px and up. */}
        <p className="narrow-note" data-testid="narrow-note">
          Skucast is made for screens 1024 px wide or more; some pages scroll sideways here.
        </p>
        <main id="main" className="content" tabIndex={-1}>
          {props.children}
        </main>
      </div>
    </ApiDownBannerShown.Provider>
  );
}
