/**
 * A read that failed, said in place of what it would have shown: "Could not load totals: <the
 * API's message>" and a Retry that asks again. Without it a failed query left its view on
 * "Loading…" for ever, or on an empty state that read as "there is nothing". `error` is any
 * `{ message }`: a query's Error, or a poll's reason already kept as a string.
 */
export function LoadError({ what, error, onRetry, retrying = false }: { what: string; error: { message: string }; onRetry: () => void; retrying?: boolean }) {
  return (
    <div className="form-error" role="alert" data-testid="load-error">
      Could not load {what}: {error.message}{' '}
      <button type="button" className="btn btn-small" onClick={onRetry} disabled={retrying}>
        {retrying ? 'Retrying…' : 'Retry'}
      </button>
    </div>
  );
}

/** A read that failed, handed to a view that does not own its query: what LoadError says and does. */
export interface FailedRead {
  message: string;
  retry: () => void;
  retrying: boolean;
}
