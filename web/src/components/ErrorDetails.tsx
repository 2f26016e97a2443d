import { ApiError } from '../api/client.js';
import { notUtf8Message } from './EncodingSelect.js';

/**
 * An API refusal as the planner reads it: the message, and the fields it names.
 * `encodingChoice`: the page offers the Encoding select, so a not-UTF-8 refusal points to it.
 */
export function ErrorDetails({ error, encodingChoice = false }: { error: Error; encodingChoice?: boolean }) {
  const details = error instanceof ApiError ? (error.body?.details ?? []) : [];
  return (
    <div className="form-error" role="alert">
      <strong>{(encodingChoice ? notUtf8Message(error) : null) ?? error.message}</strong>
      {details.length > 0 ? (
        <ul>
          {details.slice(0, 8).map((d, i) => (
            <li key={i}>
              <code>{d.path}</code>: {d.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
