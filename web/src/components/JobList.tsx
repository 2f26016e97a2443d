import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type CSSProperties } from 'react';
import { reasonLabel } from '../format.js';
import type { Job } from '../api/types.js';

export const JOB_ROW_HEIGHT = 44;

interface JobListProps {
  rows: Job[];
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
  onCancel: (id: number) => void;
  onRetry: (id: number) => void;
  /** The viewport size before layout is measured (jsdom in tests has no layout). */
  initialHeight?: number;
  /** A new value (a new filter) scrolls back to the top. */
  resetKey?: string;
  /** What an empty list says (default "No jobs match."). */
  emptyText?: string;
  /** Dataset names by id: with it, a Dataset column names each job's dataset (an unknown id: the id, "deleted"). */
  datasetNames?: ReadonlyMap<string, string>;
  /** Running jobs claimed by a worker and not fitting yet: shown "claimed", not "running" at 0% (running-split.ts). */
  claimed?: ReadonlySet<number>;
}

/** A virtualized job table: only the rows in view are in the DOM, so 70,000 jobs scroll smoothly. */
export function JobList({ rows, hasMore, loading, onLoadMore, onCancel, onRetry, initialHeight = 420, resetKey, emptyText = 'No jobs match.', datasetNames, claimed }: JobListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = rows.length + (hasMore ? 1 : 0);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => JOB_ROW_HEIGHT,
    overscan: 8,
    initialRect: { width: 900, height: initialHeight },
    // Before layout (or without one, as in jsdom) the list still renders a viewport's worth of rows.
    observeElementRect: (instance, cb) =>
      observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : { width: rect.width || 900, height: initialHeight })),
    getItemKey: (index) => rows[index]?.id ?? `more-${index}`,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? items[items.length - 1].index : -1;

  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [resetKey]);

  // The loader row came into view: ask for the next page.
  useEffect(() => {
    if (hasMore && !loading && lastIndex >= rows.length) onLoadMore();
  }, [hasMore, loading, lastIndex, rows.length, onLoadMore]);

  if (rows.length === 0) {
    return <p className="empty-state">{loading ? 'Loading jobs…' : emptyText}</p>;
  }

  return (
    <div className={`job-list${datasetNames ? ' with-dataset' : ''}`} ref={scrollRef} role="table" aria-label="Jobs" aria-rowcount={count}>
      <div className="job-row job-row-head" role="row">
        <span role="columnheader">Status</span>
        {datasetNames ? <span role="columnheader">Dataset</span> : null}
        <span role="columnheader">SKU</span>
        <span role="columnheader">Model</span>
        <span role="columnheader">Reason</span>
        <span role="columnheader">Progress</span>
        <span role="columnheader">Tries</span>
        <span role="columnheader">Actions</span>
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const job = rows[item.index];
          const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, height: item.size, transform: `translateY(${item.start}px)` };
          if (!job) {
            return (
              <div key={item.key} className="job-row job-row-loader" style={style} role="row">
                <span role="cell">Loading more…</span>
              </div>
            );
          }
          return <JobRow key={item.key} job={job} style={style} onCancel={onCancel} onRetry={onRetry} datasetNames={datasetNames} claimed={claimed?.has(job.id) ?? false} />;
        })}
      </div>
    </div>
  );
}

function JobRow({ job, style, onCancel, onRetry, datasetNames, claimed }: { job: Job; style: CSSProperties; onCancel: (id: number) => void; onRetry: (id: number) => void; datasetNames?: ReadonlyMap<string, string>; claimed: boolean }) {
  const canCancel = job.status === 'pending' || job.status === 'running';
  const canRetry = job.status === 'failed' || job.status === 'cancelled';
  return (
    <div className={`job-row job-${job.status}`} style={style} role="row" data-testid="job-row" data-status={job.status} data-claimed={claimed ? 'true' : undefined}>
      <span role="cell">
        {claimed ? (
          <span className="status-chip status-claimed" title="Claimed by a worker, not fitting yet (reading its input or waiting for a thread)">
            claimed
          </span>
        ) : (
          <span className={`status-chip status-${job.status}`}>{job.status}</span>
        )}
      </span>
      {datasetNames ? (
        <span role="cell" className="job-dataset" title={job.datasetId ?? undefined}>
          {datasetName(job.datasetId, datasetNames)}
        </span>
      ) : null}
      <span role="cell" className="job-sku" title={job.sku}>
        {job.sku}
      </span>
      <span role="cell" className="job-model" title={`${job.modelId} (${job.method})`}>
        {job.modelId} <small>{job.method}</small>
      </span>
      <span role="cell" className="job-reason">
        {reasonLabel(job.reason)} <small className="priority" title="Priority (1 runs first)">P{job.priority}</small>
      </span>
      <span role="cell" className="job-progress">
        <span className="mini-bar" role="progressbar" aria-valuenow={Math.round(job.progress)} aria-valuemin={0} aria-valuemax={100} aria-label={`Job ${job.id} progress`}>
          <span style={{ width: `${Math.max(0, Math.min(100, job.progress))}%` }} />
        </span>
        <small>{Math.round(job.progress)}%</small>
        {job.error ? (
          <small className="job-error" title={job.error}>
            {job.error}
          </small>
        ) : null}
      </span>
      <span role="cell">
        {job.attempts}/{job.maxAttempts}
      </span>
      <span role="cell" className="job-actions">
        {canCancel ? (
          <button type="button" className="btn btn-small" onClick={() => onCancel(job.id)} aria-label={`Cancel job ${job.id} (${job.sku} ${job.modelId})`}>
            Cancel
          </button>
        ) : null}
        {canRetry ? (
          <button type="button" className="btn btn-small" onClick={() => onRetry(job.id)} aria-label={`Retry job ${job.id} (${job.sku} ${job.modelId})`}>
            Retry
          </button>
        ) : null}
      </span>
    </div>
  );
}

function datasetName(id: string | null, names: ReadonlyMap<string, string>): string {
  if (id === null) return '—';
  return names.get(id) ?? `${id} (deleted)`;
}
