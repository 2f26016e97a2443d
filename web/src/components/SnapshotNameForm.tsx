import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext.js';
import type { Snapshot } from '../api/types.js';

/**
 * "Name this snapshot": names the snapshot being scored ("S&OP Dec"), so the picker shows it by
 * name and it can be found again to score later. Naming labels the snapshot kept: none is taken.
 * An empty name sent clears it. The API trims and checks (1 to 120 characters): its refusal is shown.
 */
interface SnapshotNameFormProps {
  datasetId: string;
  snapshot: Pick<Snapshot, 'id' | 'name'>;
  onSaved: (snapshot: Snapshot) => void;
}

export function SnapshotNameForm({ datasetId, snapshot, onSaved }: SnapshotNameFormProps) {
  const api = useApi();
  const [name, setName] = useState(snapshot.name ?? '');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const trimmed = name.trim();
      const out = await api.nameSnapshot(datasetId, snapshot.id, trimmed === '' ? null : trimmed);
      onSaved(out.snapshot);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="snapshot-name" onSubmit={(e) => void save(e)} data-testid="snapshot-name-form">
      <label>
        <span className="visually-hidden">Name this snapshot</span>
        <input
          className="input"
          aria-label="Name this snapshot"
          placeholder={`Name snapshot #${snapshot.id}`}
          maxLength={120}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <button type="submit" className="btn" disabled={saving || name.trim() === (snapshot.name ?? '')}>
        Save
      </button>
      {error ? (
        <span className="warn" role="alert">
          {error}
        </span>
      ) : null}
    </form>
  );
}
