import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { queryKeys } from '../api/query-keys.js';
import { accuracyMetrics, type Dataset, type DatasetSettings } from '../api/types.js';
import { ExportLinks } from './ExportLinks.js';
import { holdoutZeroWarning } from './holdout-warning.js';
import { ErrorDetails } from './ErrorDetails.js';
import { LoadError, type FailedRead } from './LoadError.js';

export interface SettingsPanelProps {
  dataset: Dataset | null;
  datasetsLoading?: boolean;
  /** Why the dataset list could not be read (null: it was), and its Retry (the list is ForecastPage's query). */
  datasetsError?: FailedRead | null;
  onJobsSubmitted: () => void;
}

/** A dataset's forecasting settings; saving queues the work they need that no result or open job covers (reason settings_change). */
export function SettingsPanel({ dataset, datasetsLoading = false, datasetsError = null, onJobsSubmitted }: SettingsPanelProps) {
  const api = useApi();
  const queryClient = useQueryClient();
  const models = useQuery({ queryKey: queryKeys.models, queryFn: () => api.models(), staleTime: Infinity });
  const [draft, setDraft] = useState<DatasetSettings | null>(dataset?.settings ?? null);
  // What the API says the saved settings turn off (holdout 0): about the settings as saved, so
  // the next edit or save clears them.
  const [savedWarnings, setSavedWarnings] = useState<string[]>([]);
  useEffect(() => setDraft(dataset?.settings ?? null), [dataset?.id, dataset?.settings]);
  // Not on a new settings object: the refetch a save starts brings one, and would hide them at once.
  useEffect(() => setSavedWarnings([]), [dataset?.id]);

  const save = useMutation({
    mutationFn: (settings: DatasetSettings) =>
      api.patchSettings(dataset!.id, {
        horizon: settings.horizon,
        holdout: settings.holdout,
        models: settings.models,
        method: settings.method,
        metric: settings.metric,
      }),
    onSuccess: (answer) => {
      setSavedWarnings(answer.warnings);
      onJobsSubmitted();
      void queryClient.invalidateQueries({ queryKey: queryKeys.datasets });
      void queryClient.invalidateQueries({ queryKey: queryKeys.dataset(dataset!.id) });
      // The change's jobs now cover what it calls for: an "out of date" notice would be stale.
      void queryClient.invalidateQueries({ queryKey: queryKeys.unmetWork(dataset!.id) });
    },
  });

  if (!dataset && datasetsLoading) return <p className="empty-state">Loading datasets…</p>;
  if (!dataset && datasetsError) return <LoadError what="datasets" error={datasetsError} onRetry={datasetsError.retry} retrying={datasetsError.retrying} />;
  // The dataset arrived and its settings are copied into the draft on the next render.
  if (dataset && !draft) return <p className="empty-state">Loading settings…</p>;
  if (!dataset || !draft) return <p className="empty-state">Upload a dataset (or load the sample) to set its forecasting options.</p>;
  const edit = (next: DatasetSettings) => {
    setSavedWarnings([]);
    setDraft(next);
  };
  const set = <K extends keyof DatasetSettings>(key: K, value: DatasetSettings[K]) => edit({ ...draft, [key]: value });
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
          setSavedWarnings([]);
          save.mutate(draft);
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
          <label title="Each SKU's models are ranked by their cross-validation error in this metric: the 3 lowest join the ensemble (kept at 60%) in the default forecast, and the error the SKU list shows is in it. Without cross-validation the metric picks the single model with the lowest holdout error (with a holdout of 0 none is scored: the first enabled model is shown).">
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
        {/* Once saved, the API's warnings below say it of the settings as saved: not twice. */}
        {draft.holdout === 0 && savedWarnings.length === 0 ? (
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
        {save.isError ? <ErrorDetails error={save.error} /> : null}
        {save.isSuccess ? (
          <p className="ok" role="status">
            Saved. {save.data.jobsCreated} job{save.data.jobsCreated === 1 ? '' : 's'} queued, {save.data.jobsCancelled} superseded.
            {save.data.skusSkipped > 0
              ? ` ${save.data.skusSkipped} SKU${save.data.skusSkipped === 1 ? ' is' : 's are'} too short for these settings: ${save.data.skusSkipped === 1 ? 'it keeps its' : 'they keep their'} previous forecast, if any.`
              : null}
          </p>
        ) : null}
        {savedWarnings.length > 0 ? (
          <div className="warn" role="status" data-testid="saved-warnings">
            {savedWarnings.map((w) => (
              <p key={w}>{w}</p>
            ))}
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={save.isPending || draft.models.length === 0}>
            {save.isPending ? 'Saving…' : 'Save and re-optimize'}
          </button>
          <button type="button" className="btn" onClick={() => edit(dataset.settings)}>
            Revert
          </button>
        </div>
      </form>
    </section>
  );
}
