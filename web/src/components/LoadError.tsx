/**
 * A read that failed, said in place of what it would have shown: "Could not load totals: <the
 * API's message>" and a Retry that asks again. Without it a failed query left its view on
 * "Loading…" for ever, or on an empty state that read as "there is nothing".
 */
export function LoadError({ what, error, onRetry, retrying = false }: { what: string; error: Error; onRetry: () => void; retrying?: boolean }) {
  return (
    <div className="form-error" role="alert" data-testid="load-error">
      Could not load {what}: {error.message}{' '}
      <button type="button" className="btn btn-small" onClick={onRetry} disabled={retrying}>
        {retrying ? 'Retrying…' : 'Retry'}
      </button>
    </div>
  );
}
