import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { queryKeys } from '../api/query-keys.js';
import { accuracyMetrics, type Dataset, type DatasetSettings } from '../api/types.js';
import { DeleteDataset } from './DeleteDataset.js';
import { ExportLinks } from './ExportLinks.js';
import { holdoutZeroWarning } from './holdout-warning.js';
import { ErrorDetails } from './ErrorDetails.js';
import { LoadError, type FailedRead } from './LoadError.js';
import { inPlannerWords } from './planner-words.js';

export interface SettingsPanelProps {
  dataset: Dataset | null;
  datasetsLoading?: boolean;
  /** Why the dataset list could not be read (null: it was), and its Retry (the list is ForecastPage's query). */
  datasetsError?: FailedRead | null;
  onJobsSubmitted: () => void;
  /** The dataset was deleted (DeleteDataset); absent: no delete section. */
  onDeleted?: (dataset: Pick<Dataset, 'id' | 'name'>) => void;
}

/** A dataset's forecasting settings; saving queues the work they need that no result or open job covers (reason settings_change). */
export function SettingsPanel({ dataset, datasetsLoading = false, datasetsError = null, onJobsSubmitted, onDeleted }: SettingsPanelProps) {
  const api = useApi();
  const queryClient = useQueryClient();
  const models = useQuery({ queryKey: queryKeys.models, queryFn: () => api.models(), staleTime: Infinity });
  // The draft, and the dataset's settings it was last brought up to date with (`base`).
  const [form, setForm] = useState<{ datasetId: string; base: DatasetSettings; draft: DatasetSettings } | null>(null);
  const setDraft = (draft: DatasetSettings) => setForm((f) => (f ? { ...f, draft } : f));

  // The dataset rides in the variables: the user may pick another one while a save is in flight,
  // and a pending mutation runs with the latest options, so `dataset` would name that one by then.
  const save = useMutation({
    mutationFn: ({ datasetId, settings }: { datasetId: string; settings: DatasetSettings }) =>
      api.patchSettings(datasetId, {
        horizon: settings.horizon,
        holdout: settings.holdout,
        models: settings.models,
        method: settings.method,
        metric: settings.metric,
      }),
    onSuccess: (_answer, { datasetId }) => {
      onJobsSubmitted();
      void queryClient.invalidateQueries({ queryKey: queryKeys.datasets });
      void queryClient.invalidateQueries({ queryKey: queryKeys.dataset(datasetId) });
      // The change's jobs now cover what it calls for: an "out of date" notice would be stale.
      void queryClient.invalidateQueries({ queryKey: queryKeys.unmetWork(datasetId) });
    },
  });

  // Another dataset starts from its settings. New settings of the same one (the refetch after a
  // save, or another tab's) replace the draft only while it holds no edit of the planner's: the
  // settings it was brought up to date with, or the ones just sent. An edit made while a save was
  // in flight stays, and the form says it is not saved (it used to be overwritten by the answer).
  if (!dataset) {
    if (form !== null) setForm(null);
  } else if (form === null || form.datasetId !== dataset.id) {
    setForm({ datasetId: dataset.id, base: dataset.settings, draft: dataset.settings });
  } else if (form.base !== dataset.settings) {
    const sent = save.variables?.datasetId === dataset.id ? save.variables.settings : null;
    const edited = !sameSettings(form.draft, form.base) && !(sent && sameSettings(form.draft, sent));
    setForm({ datasetId: dataset.id, base: dataset.settings, draft: edited ? form.draft : dataset.settings });
  }
  const draft = form !== null && dataset !== null && form.datasetId === dataset.id ? form.draft : null;

  if (!dataset && datasetsLoading) return <p className="empty-state">Loading datasets…</p>;
  if (!dataset && datasetsError) return <LoadError what="datasets" error={datasetsError} onRetry={datasetsError.retry} retrying={datasetsError.retrying} />;
  // Not shown in practice: the draft is set above, and React renders again before committing.
  if (dataset && !draft) return <p className="empty-state">Loading settings…</p>;
  if (!dataset || !draft) return <p className="empty-state">Upload a dataset (or load the sample) to set its forecasting options.</p>;
  // A save's answer belongs to the dataset it was sent for: not said on another one's form.
  const saved = save.variables?.datasetId === dataset.id ? save : null;
  // The API's warnings are about the settings as saved: shown only while the form still holds
  // them (an edit, even one made while the save was in flight, hides them; undoing it brings them
  // back). The holdout-0 one is the note above, which names the model as the app does: not twice.
  const savedWarnings =
    saved?.isSuccess && sameSettings(draft, saved.data.settings)
      ? saved.data.warnings.filter((w) => w !== holdoutZeroWarning(saved.data.settings.models))
      : [];
  // What the form holds is not what the dataset has: said beside the buttons, and in the save's status
  // when the form was edited while that save was in flight.
  const unsaved = !sameSettings(draft, dataset.settings);
  const editedSinceSave = saved?.isSuccess === true && !sameSettings(draft, saved.data.settings);
  const set = <K extends keyof DatasetSettings>(key: K, value: DatasetSettings[K]) => setDraft({ ...draft, [key]: value });
  const toggleModel = (id: string) =>
    set('models', draft.models.includes(id) ? draft.models.filter((m) => m !== id) : [...draft.models, id]);

  return (
    <section className="settings" aria-labelledby="settings-title">
      <div className="page-head">
        <h1 id="settings-title">Settings · {dataset.name}</h1>
        <ExportLinks datasetId={dataset.id} />
      </div>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ datasetId: dataset.id, settings: draft });
        }}
      >
        <div className="form-row">
          <label>
            Horizon (periods)
            <input className="input" type="number" min={1} max={520} value={draft.horizon} onChange={(e) => set('horizon', Number(e.target.value))} />
          </label>
          <label>
            Holdout (periods)
            <input className="input" type="number" min={0} max={520} value={draft.holdout} onChange={(e) => set('holdout', Number(e.target.value))} />
          </label>
          <label title="Each SKU's models are ranked by their cross-validation error in this metric: the 3 lowest join the ensemble (kept at 60%) in the default forecast, and the error the SKU list shows is in it. Without cross-validation the metric picks the single model with the lowest holdout error (on 1 or 2 points held out it picks none: the mean of the models is shown; with a holdout of 0 none is scored: the first enabled model is shown).">
            Metric that ranks the models
            <select className="input" value={draft.metric} onChange={(e) => set('metric', e.target.value as DatasetSettings['metric'])}>
              {accuracyMetrics.map((m) => (
                <option key={m} value={m}>
                  {m.toUpperCase()}
                </option>
              ))}
            </select>
          </label>
          <label>
            Method
            <select className="input" value={draft.method} onChange={(e) => set('method', e.target.value)}>
              {(models.data?.methods ?? [{ id: draft.method, name: draft.method, description: '' }]).map((m) => (
                <option key={m.id} value={m.id} title={m.description}>
                  {m.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        {draft.holdout === 0 ? (
          <p className="warn" role="note" data-testid="holdout-zero">
            {holdoutZeroWarning(draft.models, (id) => models.data?.models.find((m) => m.id === id)?.name ?? id)}
          </p>
        ) : null}
        <fieldset className="model-choices">
          <legend>Enabled models</legend>
          {models.isPending ? <p className="muted">Loading models…</p> : null}
          {models.isError ? <LoadError what="the models" error={models.error} onRetry={() => void models.refetch()} retrying={models.isFetching} /> : null}
          {models.data?.models.map((m) => (
            <label key={m.id} className="model-choice">
              <input type="checkbox" checked={draft.models.includes(m.id)} onChange={() => toggleModel(m.id)} />
              <span>
                <strong>{m.name}</strong> <small className="muted">({m.id})</small>
                <br />
                <small className="muted">{m.description}</small>
              </span>
            </label>
          ))}
        </fieldset>
        {saved?.isError ? <ErrorDetails error={saved.error} /> : null}
        {/* One status for the save and its warnings: two polite regions inserted at once are read by some screen readers, dropped by others. */}
        {saved?.isSuccess ? (
          <div role="status">
            <p className="ok">
              Saved. {saved.data.jobsCreated} job{saved.data.jobsCreated === 1 ? '' : 's'} queued, {saved.data.jobsCancelled} superseded.
              {saved.data.skusSkipped > 0
                ? ` ${saved.data.skusSkipped} SKU${saved.data.skusSkipped === 1 ? ' is' : 's are'} too short for these settings: ${saved.data.skusSkipped === 1 ? 'it keeps its' : 'they keep their'} previous forecast, if any.`
                : null}
              {editedSinceSave ? ' The changes made since are not saved yet.' : null}
            </p>
            {savedWarnings.length > 0 ? (
              <div className="warn" data-testid="saved-warnings">
                {savedWarnings.map((w) => (
                  <p key={w}>{inPlannerWords(w)}</p>
                ))}
              </div>
            ) : null}
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={save.isPending || draft.models.length === 0}>
            {save.isPending ? 'Saving…' : 'Save and re-optimize'}
          </button>
          <button type="button" className="btn" onClick={() => setDraft(dataset.settings)}>
            Revert
          </button>
          {unsaved ? (
            <span className="warn" data-testid="unsaved-changes">
              Unsaved changes: save them, or Revert to the dataset's settings.
            </span>
          ) : null}
        </div>
      </form>
      {onDeleted ? <DeleteDataset dataset={dataset} onDeleted={onDeleted} /> : null}
    </section>
  );
}

/** The settings the form edits and sends, compared: the models in order (the first is the one shown without cross-validation). */
function sameSettings(a: DatasetSettings, b: DatasetSettings): boolean {
  return (
    a.horizon === b.horizon &&
    a.holdout === b.holdout &&
    a.method === b.method &&
    a.metric === b.metric &&
    a.models.length === b.models.length &&
    a.models.every((m, i) => m === b.models[i])
  );
}
