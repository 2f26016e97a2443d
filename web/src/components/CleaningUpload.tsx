import { useRef, useState } from 'react';
import { formatCounted } from '../format.js';
import type { DataHandlers } from '../hooks/useDataHandlers.js';

/** A cleaning CSV (sku, date, value) for the current dataset: each SKU it touches is re-queued at priority 1. */
export function CleaningUpload({ handlers, datasetName }: { handlers: DataHandlers; datasetName: string }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [result, setResult] = useState<string | null>(null);
  return (
    <div className="card cleaning-upload">
      <h2>Cleaning file for {datasetName}</h2>
      <p className="hint">A CSV with the columns sku, date, value replaces those points in the history; the SKUs it touches are re-optimized first.</p>
      <button type="button" className="btn" onClick={() => inputRef.current?.click()} disabled={handlers.busy}>
        Upload a cleaning CSV
      </button>
      <input
        ref={inputRef}
        type="file"
        accept=".csv,text/csv,text/plain"
        className="visually-hidden"
        aria-label="Cleaning CSV file"
        // the button that opens it is the one tab stop: focus on a hidden input shows nowhere
        tabIndex={-1}
        onChange={async (e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (!file) return;
          setResult(null);
          const answer = (await handlers.handleCleaningUpload(await file.text())) as { skusTouched?: number; jobsCreated?: number } | null;
          if (answer) setResult(`${formatCounted(answer.skusTouched ?? 0, 'SKU')} cleaned, ${formatCounted(answer.jobsCreated ?? 0, 'job')} queued at priority 1.`);
        }}
      />
      {result ? (
        <p className="ok" role="status">
          {result}
        </p>
      ) : null}
    </div>
  );
}
