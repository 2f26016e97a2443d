import { useRef, useState } from 'react';

/** Where a sales history file is dropped or chosen; `onFile` gets it (the input is emptied for the next). */
export function FileDropzone({ onFile }: { onFile: (file: File) => void }) {
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <div
      className={`dropzone${dragging ? ' dropzone-active' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const file = e.dataTransfer.files[0];
        if (file) onFile(file);
      }}
    >
      <p>
        <strong>Drop a CSV here</strong> or{' '}
        <button type="button" className="btn btn-primary" onClick={() => inputRef.current?.click()}>
          choose a file
        </button>
      </p>
      <p className="hint">
        CSV (UTF-8 or UTF-16; Windows-1252, German or French Excel's "CSV", under Encoding) or Excel .xlsx. Long format (sku, date, quantity per row, order lines with timestamps too) or wide (one
        column per date).
      </p>
      <input
        ref={inputRef}
        type="file"
        accept=".csv,.tsv,.txt,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        className="visually-hidden"
        aria-label="CSV file"
        // the button that opens it is the one tab stop: focus on a hidden input shows nowhere
        tabIndex={-1}
        data-testid="file-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) onFile(file);
          e.target.value = '';
        }}
      />
    </div>
  );
}
