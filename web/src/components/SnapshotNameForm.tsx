import { useEffect, useId, useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext.js';
import type { Snapshot } from '../api/types.js';

/**
 * "Name this snapshot": names the snapshot being scored ("S&OP Dec"), so the picker shows it by
 * name and it can be found again to score later. Naming labels the snapshot kept: none is taken.
 * An empty name sent clears it. The API trims and checks (1 to 120 characters, counted as the
 * databases count them, no control character, not digits alone, not a name another snapshot of the
 * dataset holds, letter case aside: a 409 naming it): its refusal is shown, tied to the input. The form
 * stays mounted for one snapshot across a save, so focus stays where it was and "Saved" is said.
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
  const [saved, setSaved] = useState<{ name: string | null } | null>(null);
  const errorId = useId();
  // The name read again after a save (or from another tab) is what the input shows.
  useEffect(() => setName(snapshot.name ?? ''), [snapshot.name]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    setSaved(null);
    try {
      const trimmed = name.trim();
      const out = await api.nameSnapshot(datasetId, snapshot.id, trimmed === '' ? null : trimmed);
      onSaved(out.snapshot);
      setSaved({ name: out.snapshot.name });
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
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setSaved(null);
          }}
        />
      </label>
      <button type="submit" className="btn" disabled={saving || name.trim() === (snapshot.name ?? '')}>
        Save name
      </button>
      {error ? (
        <span className="warn" role="alert" id={errorId}>
          {error}
        </span>
      ) : null}
      <span className="visually-hidden" role="status">
        {saved ? `Saved: snapshot #${snapshot.id} is ${saved.name ? `named “${saved.name}”` : 'unnamed'}` : ''}
      </span>
    </form>
  );
}
