/**
 * Saves a fetched file (a CSV export sent with the API token, which a plain link could not carry)
 * under `name`. The anchor is attached for the click (Firefox ignores a detached one) and the
 * object URL kept a moment after it, as the download may start after click() returns.
 */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
