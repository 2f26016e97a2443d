/**
 * The "Header on line" field of the upload forms: the line of the column names, from 1, sent as the
 * API's `headerRow`; left empty, the server finds it (a report title above it is skipped). Kept as
 * typed: a 0 or a line past the file is the server's to refuse, naming `headerRow`.
 */
export function HeaderRowInput({ value, onChange, onBlur, placeholder, title, testId }: {
  value: string;
  onChange: (next: string) => void;
  onBlur?: (value: string) => void;
  placeholder: string;
  title: string;
  testId: string;
}) {
  return (
    <label>
      Header on line
      <input
        className="input input-narrow"
        type="number"
        min={1}
        inputMode="numeric"
        value={value}
        placeholder={placeholder}
        data-testid={testId}
        title={title}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur && ((e) => onBlur(e.target.value))}
      />
    </label>
  );
}
