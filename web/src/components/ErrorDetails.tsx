import { ApiError } from '../api/client.js';
import { notUtf8Message } from './EncodingSelect.js';
import { controlOf, detailInPlannerWords, inPlannerWords } from './planner-words.js';

/**
 * An API refusal as the planner reads it: the message, and the fields it names, in the web app's
 * words (planner-words.ts): a field the page has a control for by its label ("Header on line",
 * not `headerRow`), the others by their API name.
 * `encodingChoice`: the page offers the Encoding select, so a not-UTF-8 refusal points to it.
 */
export function ErrorDetails({ error, encodingChoice = false }: { error: Error; encodingChoice?: boolean }) {
  const details = error instanceof ApiError ? (error.body?.details ?? []) : [];
  return (
    <div className="form-error" role="alert">
      <strong>{(encodingChoice ? notUtf8Message(error) : null) ?? inPlannerWords(error.message)}</strong>
      {details.length > 0 ? (
        <ul>
          {details.slice(0, 8).map((d, i) => (
            <li key={i}>
              {controlOf(d.path) !== null ? `“${controlOf(d.path)}”` : <code>{d.path}</code>}: {detailInPlannerWords(d.path, d.message)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
