/**
 * What the queue's counts show before its first status poll answers (the summary's zeros are not
 * counts): "loading" (a "…" on screen) while it is asked, "unavailable" once it failed, with the
 * reason in the title, beside the dialog's "Could not load jobs" (it read "loading" for ever after
 * a 500 or a 401). Used by the badge, the dialog's chips and count, and the progress label.
 */
export function QueueUnknown({ failed = null, className, testId }: { failed?: string | null; className?: string; testId?: string }) {
  if (failed !== null) {
    return (
      <span className={className} data-testid={testId} title={`The queue could not be read: ${failed}`}>
        unavailable
      </span>
    );
  }
  return (
    <span className={className} data-testid={testId} title="Waiting for the queue's first answer">
      <span aria-hidden="true">…</span>
      <span className="visually-hidden">loading</span>
    </span>
  );
}
