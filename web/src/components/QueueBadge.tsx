import type { ShownSummary } from '../hooks/run-progress.js';
import { formatCount } from '../format.js';
import { QueueProgress } from './QueueProgress.js';
import { QueueUnknown } from './QueueUnknown.js';
import { runningSplit } from './running-split.js';
import { startWorkerHint, workerNotice } from './no-live-worker.js';

/**
 * The queue's counts and progress, on every page; opens the OptimizationQueuePopup. Props only.
 * `loaded` false: the first status poll has not answered, and the summary's zeros are not counts,
 * so the badge shows a placeholder, not "0 running 0 pending 0 done · Idle"; "unavailable" once
 * that poll failed (`statusError`).
 */
export function QueueBadge({ summary, onOpen, loaded = true, statusError = null }: { summary: ShownSummary; onOpen: () => void; loaded?: boolean; statusError?: string | null }) {
  if (!loaded) {
    return (
      <div className="queue-badge">
        <button type="button" className="queue-badge-button" onClick={onOpen} aria-haspopup="dialog" data-testid="queue-badge">
          <span className="queue-badge-title">Queue</span>
          <QueueUnknown className="count" testId="queue-badge-unknown" failed={statusError} />
        </button>
      </div>
    );
  }
  const { onThread, waiting } = runningSplit(summary);
  const notice = workerNotice(summary);
  return (
    <div className={`queue-badge${notice !== null ? ' no-worker' : ''}`}>
      <button
        type="button"
        className="queue-badge-button"
        onClick={onOpen}
        aria-haspopup="dialog"
        data-testid="queue-badge"
        title={notice !== null ? `${notice.text}. ${startWorkerHint}` : undefined}
      >
        <span className="queue-badge-title">Queue</span>
        <span className="count count-running" title="Fitting on a worker's thread">
          {formatCount(onThread)} running
        </span>
        {waiting > 0 ? (
          <span className="count count-claimed" title="Claimed by a worker, not fitting yet (reading its input or waiting for a thread)">
            {formatCount(waiting)} claimed
          </span>
        ) : null}
        <span className="count count-pending" title="Pending">
          {formatCount(summary.pending)} pending
        </span>
        {summary.failed > 0 ? (
          <span className="count count-failed" title="Failed">
            {formatCount(summary.failed)} failed
          </span>
        ) : null}
        <span className="count count-completed" title="Completed">
          {formatCount(summary.completed)} done
        </span>
      </button>
      <QueueProgress summary={summary} compact />
    </div>
  );
}
