import type { JobSummary } from '../api/types.js';
import { formatCounted, formatEta, formatPercent } from '../format.js';
import type { ShownSummary } from '../hooks/run-progress.js';
import { workerNotice } from './no-live-worker.js';
import { QueueUnknown } from './QueueUnknown.js';

/**
 * The overall progress bar with its ETA: props only, it fetches nothing. `loaded` false: the first
 * status poll has not answered, so the bar has no value and the label is a placeholder, not "Idle"
 * ("unavailable" once that poll `failed`).
 */
export function QueueProgress({ summary, compact = false, loaded = true, failed = null }: { summary: ShownSummary; compact?: boolean; loaded?: boolean; failed?: string | null }) {
  if (!loaded) {
    return (
      <div className={`queue-progress${compact ? ' compact' : ''}`}>
        {/* No aria-valuenow: an indeterminate progressbar. */}
        <div className="progress-track" role="progressbar" aria-label="Overall optimization progress" aria-valuemin={0} aria-valuemax={100}>
          <div className="progress-fill" style={{ width: 0 }} />
        </div>
        <QueueUnknown className="progress-label" testId="queue-progress-label" failed={failed} />
      </div>
    );
  }
  // Whole percents floored: 99.9 written to 0 digits rounds to the 100% a run that is not done must not read.
  const progress = Math.max(0, Math.min(100, summary.progress));
  const percent = Math.floor(progress);
  // Pending and none running is also every queue's first poll after an edit or an upload, before
  // a worker claims the jobs: the summary cannot tell that from no worker at all, so it says neither.
  const waiting = summary.running === 0 && summary.pending > 0;
  // The API says no worker takes jobs (none alive, or only stopping ones): no pace and no
  // "waiting to start" (nothing will start them).
  const notice = workerNotice(summary);
  const eta = notice !== null
    ? notice.text
    : waiting ? (compact ? 'waiting to start' : 'waiting for a worker to start them') : formatEta(summary.etaSeconds) || 'estimating…';
  // The percentage says what it counts: the current run's jobs (run-progress.ts), not the whole queue.
  const of = summary.runJobs === undefined ? '' : ` of ${formatCounted(summary.runJobs, 'job')}`;
  const label = summary.isOptimizing ? `${formatPercent(percent, 0)}${of} · ${eta}` : total(summary) > 0 ? 'Idle · all done' : 'Idle';
  return (
    <div className={`queue-progress${compact ? ' compact' : ''}`}>
      <div
        className={`progress-track${summary.isOptimizing ? ' active' : ''}`}
        role="progressbar"
        aria-label="Overall optimization progress"
        aria-valuenow={percent}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div className="progress-fill" style={{ width: `${progress}%` }} />
      </div>
      <span className="progress-label" data-testid="queue-progress-label">
        {label}
      </span>
    </div>
  );
}

export function total(summary: JobSummary): number {
  return summary.pending + summary.running + summary.completed + summary.failed + summary.cancelled;
}
