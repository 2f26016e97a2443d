import type { SkuForecast } from '../api/types.js';
import { inPlannerWords } from './planner-words.js';

export interface ForecastNote {
  /** The models that left this note, in the order the forecast lists them. */
  models: string[];
  text: string;
}

/**
 * The notes of the models the shown forecast is made from (`selection.members`, their runs'
 * `warnings`): a season shrunk toward none, a shorter holdout. Each text once, with every member
 * that left it (the intermittent-demand hint comes from each member alike), and none the sentence
 * on how the forecast was chosen already says: the whole note (a stopped SKU's, which is in both),
 * or its first clause (a borrowed season's "seasonal profile borrowed from 141 SKUs of this
 * dataset", which the sentence names and each member's note then details with its own errors;
 * the model table keeps those details).
 */
export function forecastNotes(item: Pick<SkuForecast, 'selection' | 'models'>): ForecastNote[] {
  if (!item.selection) return [];
  const how = item.selection.how;
  const notes = new Map<string, string[]>();
  for (const member of item.selection.members) {
    for (const text of item.models.find((m) => m.modelId === member)?.warnings ?? []) {
      if (how.includes(text) || saysFirstClause(how, text)) continue;
      const models = notes.get(text) ?? [];
      if (!models.includes(member)) models.push(member);
      notes.set(text, models);
    }
  }
  return [...notes].map(([text, models]) => ({ models, text }));
}

/** Whether `sentence` holds the note's first clause (up to its first '(', ':' or ';'), when that clause says something on its own. */
function saysFirstClause(sentence: string, note: string): boolean {
  const clause = note.split(/[(:;]/)[0].trim();
  return clause.length >= 24 && sentence.includes(clause);
}

/**
 * Under the SKU's title, beside how its forecast was chosen: what the models it is made from
 * noted about this history, each after the models' names as the app gives them (`nameOf`, the
 * names Settings lists), so a planner reads why a forecast looks flatter than the season they see.
 */
export function ForecastNotes({ item, nameOf }: { item: Pick<SkuForecast, 'selection' | 'models'>; nameOf: (modelId: string) => string }) {
  const notes = forecastNotes(item);
  if (notes.length === 0) return null;
  return (
    <ul className="forecast-notes" aria-label="Notes on the models of the shown forecast" data-testid="forecast-notes">
      {notes.map((note) => (
        <li key={note.text}>
          <span className="model-notes-mark" aria-hidden="true">⚠</span> <strong>{note.models.map(nameOf).join(', ')}</strong>: {inPlannerWords(note.text)}
        </li>
      ))}
    </ul>
  );
}
