import { createContext, useContext, useId, useState } from 'react';

/**
 * True while MainLayout shows its "The API is not reachable" banner (its `apiDown`). The banner is
 * the one alert of an outage: a LoadError below it keeps its text and its Retry but is not an
 * alert meanwhile, or a screen reader heard the same outage once per view. MainLayout provides it
 * around the header and the page; the queue dialog is outside it (a modal hides the banner).
 */
export const ApiDownBannerShown = createContext(false);

/**
 * A read that failed, said in place of what it would have shown: "Could not load totals: <the
 * API's message>" and a Retry that asks again. Without it a failed query left its view on
 * "Loading…" for ever, or on an empty state that read as "there is nothing". `error` is any
 * `{ message }`: a query's Error, or a poll's reason already kept as a string.
 *
 * Only the message is the alert (assertive and atomic): with the button inside it, "Retry" →
 * "Retrying…" → "Retry" read the whole alert twice per attempt. The alert is remounted when a
 * Retry pressed here ends still failing, so that failure is announced once even with the same
 * message; a refetch nobody asked for here (a poll, a window focus) says nothing new unless the
 * message changes. While retrying the button is aria-disabled, not disabled: a disabled button
 * drops the focus the user just put on it (to the body).
 *
 * While the API-down banner shows (ApiDownBannerShown) the message is plain text, not an alert.
 * When the banner goes away and this read still fails, the alert is mounted then and said once;
 * if a retry is in flight at that moment (the page asks failed reads again when the API is back),
 * it waits for that retry's end, so a read that recovers says nothing.
 *
 * `quiet`: never an alert, for a failure the page says itself where it matters (the header's
 * dataset picker: a page that needs the list says "Could not load datasets" in place of its
 * content; two alerts said it twice). The Retry is described by the message, so a "Retry" reached
 * with Tab says what it asks again.
 */
export function LoadError({ what, error, onRetry, retrying = false, quiet: alwaysQuiet = false }: { what: string; error: { message: string }; onRetry: () => void; retrying?: boolean; quiet?: boolean }) {
  const messageId = useId();
  const muted = useContext(ApiDownBannerShown) || alwaysQuiet;
  const [quiet, setQuiet] = useState(muted);
  const beQuiet = muted || (quiet && retrying);
  if (quiet !== beQuiet) setQuiet(beQuiet);
  const [failures, setFailures] = useState(0);
  const [asked, setAsked] = useState(false);
  const [wasRetrying, setWasRetrying] = useState(retrying);
  // Adjusted while rendering (not in an effect) so the new key and the new message mount together: one announcement.
  if (retrying !== wasRetrying) {
    setWasRetrying(retrying);
    if (!retrying && asked) {
      setAsked(false);
      setFailures((n) => n + 1);
    }
  }
  return (
    <div className="form-error" data-testid="load-error">
      {/* A new key when the banner goes away: the alert is mounted with its message, and so said. */}
      <span role={beQuiet ? undefined : 'alert'} key={beQuiet ? `${failures}-quiet` : failures} data-testid="load-error-message" id={messageId}>
        Could not load {what}: {error.message}
      </span>{' '}
      <button
        type="button"
        className="btn btn-small"
        aria-disabled={retrying || undefined}
        aria-busy={retrying || undefined}
        aria-describedby={messageId}
        onClick={() => {
          if (retrying) return;
          setAsked(true);
          onRetry();
        }}
      >
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
