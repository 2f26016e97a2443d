import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Job, JobStatus, JobStatusQuery, JobStatusResponse, JobSummary } from '../api/types.js';
import type { ShownSummary } from '../hooks/run-progress.js';
import { jobStatuses } from '../api/types.js';
import { formatCount } from '../format.js';
import { useFocusTrap } from '../hooks/useFocusTrap.js';
import { isFiltered, useJobPages, type JobFilter } from '../hooks/useJobPages.js';
import { JobList } from './JobList.js';
import { LoadError } from './LoadError.js';
import { QueueProgress } from './QueueProgress.js';
import { QueueUnknown } from './QueueUnknown.js';
import { claimedJobIds, runningSplit } from './running-split.js';
import { StartWorkerHint, workerNotice } from './no-live-worker.js';

export interface QueueActions {
  onCancel: (id: number) => void | Promise<unknown>;
  onRetry: (id: number) => void | Promise<unknown>;
  onRetryAllFailed: () => void | Promise<unknown>;
  onClearCompleted: () => void | Promise<unknown>;
  /** POST /api/jobs/reset: deletes every job of every dataset, and so every forecast. */
  onReset: () => void | Promise<unknown>;
  /** Cancels the pending and running jobs of every dataset: stops the work, keeps the forecasts. */
  onCancelActive: () => void | Promise<unknown>;
  /** Polls the status now: the Retry of a first poll that failed (`loadError`). */
  onReload: () => void;
  /** Pages of GET /api/jobs/status for a filter or a cursor (ForecastPage passes it down). */
  loadPage: (query: JobStatusQuery) => Promise<JobStatusResponse>;
}

export interface OptimizationQueuePopupProps extends QueueActions {
  jobs: Job[];
  /** With its progress over the current run (run-progress.ts). */
  summary: ShownSummary;
  total: number;
  nextCursor: string | null;
  /** The polled snapshot has answered once (false: its empty `jobs` are not yet known to be empty). */
  loaded?: boolean;
  /** Why the last status poll failed (null: it answered): with `loaded` false, the list is not known. */
  loadError?: string | null;
  /** A poll is in flight after the last one failed: the Retry of `loadError` says "Retrying…". */
  loadRetrying?: boolean;
  /** How many datasets a reset would strip of their forecasts (unknown while the list loads). */
  datasetCount?: number;
  onClose: () => void;
  listHeight?: number;
  /**
   * The dataset the dialog can be scoped to (the selected one). `all` false: `jobs`, `summary` and
   * `total` are that dataset's (ForecastPage polls GET /api/jobs/status?datasetId=), and so are the
   * pages `loadPage` is asked for; the heading names it and a toggle shows every dataset.
   */
  scope?: { datasetId: string; name: string; all: boolean; onChange: (all: boolean) => void };
  /** Dataset names by id, for the Dataset column shown when the rows hold more than one dataset. */
  datasetNames?: ReadonlyMap<string, string>;
  /**
   * The whole queue's snapshot (its `waitingForThread` is null in a dataset's scope): which running
   * jobs are claimed and not fitting yet is read from it (running-split.ts). Default: `jobs`, `summary`.
   */
  wholeQueue?: { jobs: Job[]; summary: JobSummary };
}

/**
 * The queue in detail. It receives the polled snapshot (`jobs`, `summary`) as props and never
 * polls status itself; filtered views and further pages go through `loadPage`.
 */
export function OptimizationQueuePopup(props: OptimizationQueuePopupProps) {
  const { jobs, summary, total, nextCursor, onClose } = props;
  const [filter, setFilter] = useState<JobFilter>({ status: 'all', sku: '' });
  const [skuInput, setSkuInput] = useState('');
  const [confirmReset, setConfirmReset] = useState(false);
  const dialogRef = useRef<HTMLDivElement>(null);

  // The SKU filter waits for typing to pause before it asks the server.
  useEffect(() => {
    const handle = setTimeout(() => setFilter((f) => (f.sku === skuInput ? f : { ...f, sku: skuInput })), 300);
    return () => clearTimeout(handle);
  }, [skuInput]);

  const resetButtonRef = useRef<HTMLButtonElement>(null);
  // The confirmation's buttons leave the page with it: focus goes back to the button that opened it.
  const closeConfirm = () => {
    setConfirmReset(false);
    resetButtonRef.current?.focus();
  };

  // A real modal: focus moves in, Tab stays inside, Escape closes the confirmation or the
  // dialog, and focus returns to the badge when it closes.
  useFocusTrap(dialogRef, { onEscape: () => (confirmReset ? closeConfirm() : onClose()) });

  const refreshKey = `${summary.pending}/${summary.running}/${summary.completed}/${summary.failed}/${summary.cancelled}/${summary.progress}`;
  const scopeId = props.scope && !props.scope.all ? props.scope.datasetId : undefined;
  const pages = useJobPages({ filter: { ...filter, datasetId: scopeId }, live: { jobs, total, nextCursor }, loadPage: props.loadPage, refreshKey });
  // Only the unfiltered view shows the polled snapshot: a filtered one loads its own pages and
  // says its own "No jobs match.". Before the first answer the list is loading, unless the poll
  // failed: then it says why rather than loading for ever.
  const beforeFirstPoll = !isFiltered(filter) && props.loaded === false;
  const pollFailed = beforeFirstPoll && props.loadError ? props.loadError : null;
  // The summary's zeros before the first answer are not counts: "All (0)" and "Idle" would say
  // the queue is empty (the badge shows its placeholder meanwhile too).
  const known = props.loaded !== false;
  // Not "loading" for ever beside "Could not load jobs": the counts are unavailable.
  const unknownWhy = known ? null : (props.loadError ?? null);
  const count = (n: number) => (known ? formatCount(n) : <QueueUnknown testId="queue-unknown" failed={unknownWhy} />);

  const counts: Record<JobStatus, number> = summary;
  // Claimed jobs are told from the whole queue's count; in a dataset's view (no count of its own)
  // the split counts its running rows found claimed there, so the line and the rows agree.
  const whole = props.wholeQueue ?? { jobs, summary };
  const claimed = claimedJobIds(whole.jobs, whole.summary);
  const scopedWaiting = scopeId === undefined || summary.waitingForThread != null
    ? summary.waitingForThread
    : whole.summary.waitingForThread == null ? null : jobs.filter((j) => j.status === 'running' && claimed.has(j.id)).length;
  const { onThread, waiting } = runningSplit({ ...summary, waitingForThread: scopedWaiting });
  // The Dataset column: in every dataset's view when there are several (the first page may hold
  // one dataset's jobs only), and whenever the rows hold jobs of more than one.
  const showDataset = (scopeId === undefined && (props.datasetNames?.size ?? 0) > 1) || new Set(pages.rows.map((j) => j.datasetId)).size > 1;
  const notice = workerNotice(summary);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="modal queue-popup"
        role="dialog"
        aria-modal="true"
        aria-labelledby="queue-popup-title"
        tabIndex={-1}
        ref={dialogRef}
      >
        <header className="modal-header">
          <h2 id="queue-popup-title">{props.scope ? `Queue · ${props.scope.all ? 'all datasets' : props.scope.name}` : 'Optimization queue'}</h2>
          {props.scope ? (
            <label className="queue-scope">
              <input type="checkbox" checked={props.scope.all} onChange={(e) => props.scope?.onChange(e.target.checked)} />
              All datasets
            </label>
          ) : null}
          <button type="button" className="btn btn-ghost" onClick={onClose} aria-label="Close the queue">
            ✕
          </button>
        </header>
        <QueueProgress summary={summary} loaded={known} failed={unknownWhy} />
        {notice !== null ? (
          <p className="banner banner-warning" role="status" data-testid="queue-no-worker">
            {notice.text}. <StartWorkerHint />{' '}
            {notice.stranded
              ? 'The running jobs of a worker that died go back to pending once a live worker finds their lease expired.'
              : 'The running jobs finish on the stopping workers (or are released to pending when their shutdown time is up); the pending ones wait for a worker that takes jobs.'}
          </p>
        ) : null}
        {waiting > 0 ? (
          // The "running" filter lists both: they are running in the store, held under a lease.
          <p className="queue-running-split" data-testid="queue-running-split">
            Running {formatCount(onThread + waiting)}: {formatCount(onThread)} fitting, {formatCount(waiting)} claimed (not fitting yet)
          </p>
        ) : null}
        <div className="queue-toolbar">
          <div className="filter-chips" role="group" aria-label="Filter by status">
            <FilterChip label={<>All ({count(total)})</>} active={filter.status === 'all'} onClick={() => setFilter((f) => ({ ...f, status: 'all' }))} />
            {jobStatuses.map((status) => (
              <FilterChip
                key={status}
                label={<>{status} ({count(counts[status])})</>}
                active={filter.status === status}
                onClick={() => setFilter((f) => ({ ...f, status }))}
              />
            ))}
          </div>
          <input
            type="search"
            className="input"
            // The API matches the whole name (GET /api/jobs/status?sku=): a prefix finds nothing.
            placeholder="Exact SKU name"
            aria-label="Filter by SKU"
            value={skuInput}
            onChange={(e) => setSkuInput(e.target.value)}
          />
        </div>
        <div className="queue-actions">
          <button type="button" className="btn" onClick={() => void props.onRetryAllFailed()} disabled={summary.failed === 0}>
            Retry all failed
          </button>
          <button type="button" className="btn" onClick={() => void props.onClearCompleted()} disabled={summary.completed === 0}>
            Clear completed
          </button>
          <button type="button" className="btn btn-danger" ref={resetButtonRef} onClick={() => setConfirmReset(true)}>
            Reset queue…
          </button>
          <span className="queue-count" aria-live="polite">
            {beforeFirstPoll ? <QueueUnknown testId="queue-unknown" failed={unknownWhy} /> : `${formatCount(pages.rows.length)} of ${formatCount(pages.total)} shown`}
          </span>
        </div>
        {confirmReset ? (
          <ResetConfirm
            total={known ? total : null}
            active={summary.pending + summary.running}
            unknownWhy={unknownWhy}
            datasetCount={props.datasetCount}
            onReset={() => {
              closeConfirm();
              void props.onReset();
            }}
            onCancelActive={() => {
              closeConfirm();
              void props.onCancelActive();
            }}
            onKeep={closeConfirm}
          />
        ) : null}
        {pages.error ? (
          <LoadError what="jobs" error={{ message: pages.error }} onRetry={pages.retry} retrying={pages.loading} />
        ) : pollFailed ? (
          <LoadError what="jobs" error={{ message: pollFailed }} onRetry={props.onReload} retrying={props.loadRetrying} />
        ) : null}
        <JobList
          rows={pages.rows}
          hasMore={pages.hasMore}
          loading={pages.loading || (beforeFirstPoll && !pollFailed)}
          onLoadMore={pages.loadMore}
          onCancel={(id) => void props.onCancel(id)}
          onRetry={(id) => void props.onRetry(id)}
          initialHeight={props.listHeight}
          resetKey={`${filter.status}|${filter.sku}|${scopeId ?? ''}`}
          datasetNames={showDataset ? (props.datasetNames ?? new Map()) : undefined}
          claimed={claimed}
          emptyText={pollFailed ? 'The queue has not answered yet.' : filter.sku.trim() ? `No job of the SKU “${filter.sku.trim()}”: the filter takes the whole name, exactly.` : undefined}
        />
      </div>
    </div>
  );
}

/**
 * The API's reset has one scope, the whole queue: it deletes every job, and a SKU's forecast is
 * its newest completed job, so every dataset loses every forecast and nothing re-queues them.
 * The confirmation says so in those words and offers the verb that stops the work and keeps the
 * forecasts (cancel); the safe choice has the focus.
 *
 * `total` null: the first status poll has not answered, and the summary's zeros are not counts (it
 * said "All 0 jobs are deleted (0 pending or running cancelled first)"). It says the counts are
 * still loading (or could not be read), and both actions wait for them: a planner confirms a
 * deletion of every forecast knowing how much goes. The count sentence is a polite live region, so
 * the counts are read when they arrive and the buttons come alive.
 */
function ResetConfirm(props: { total: number | null; active: number; unknownWhy?: string | null; datasetCount?: number; onReset: () => void; onCancelActive: () => void; onKeep: () => void }) {
  const datasets = props.datasetCount === undefined ? 'every dataset' : props.datasetCount === 1 ? 'the one dataset' : `all ${formatCount(props.datasetCount)} datasets`;
  const known = props.total !== null;
  return (
    <div className="confirm-box" role="alertdialog" aria-labelledby="reset-title" aria-describedby="reset-detail">
      <div className="confirm-text">
        <p id="reset-title">
          <strong>Reset deletes every forecast of every dataset.</strong>
        </p>
        <p id="reset-detail">
          <span aria-live="polite" data-testid="reset-counts">
            {props.total === null
              ? props.unknownWhy
                ? `Every job is deleted: how many, the queue could not say (${props.unknownWhy}).`
                : 'Every job is deleted: how many is still loading.'
              : `${props.total === 1 ? 'The one job is' : `All ${formatCount(props.total)} jobs are`} deleted (${formatCount(props.active)} pending or running cancelled first).`}
          </span>{' '}
          With them go the forecasts of {datasets}; nothing is re-queued to rebuild them. To stop the work and keep the forecasts, cancel the
          pending and running jobs instead.
        </p>
      </div>
      <div className="confirm-buttons">
        <button type="button" className="btn btn-danger" onClick={props.onReset} disabled={!known}>
          Yes, delete every forecast
        </button>
        <button type="button" className="btn" onClick={props.onCancelActive} disabled={!known || props.active === 0}>
          Only cancel pending and running
        </button>
        <button type="button" className="btn" autoFocus onClick={props.onKeep}>
          Keep the queue
        </button>
      </div>
    </div>
  );
}

/** A status filter; its label's count may be a QueueUnknown before the first poll answers. */
function FilterChip({ label, active, onClick }: { label: ReactNode; active: boolean; onClick: () => void }) {
  return (
    <button type="button" className={`chip${active ? ' chip-active' : ''}`} aria-pressed={active} onClick={onClick}>
      {label}
    </button>
  );
}
