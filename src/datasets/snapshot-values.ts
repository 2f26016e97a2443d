/**
 * A snapshot item's numbers as bytes: float64 little-endian, five runs of the horizon's length
 * (mean, lower80, upper80, lower95, upper95); a band the forecast did not have is all NaN.
 * Float64 keeps what the app showed exactly (accuracy computed later equals accuracy computed
 * then); at 13 weekly periods that is 520 bytes a SKU (see docs/planning-cycle.md for the budget).
 */
export interface SnapshotValues {
  mean: number[];
  lower80: number[] | null;
  upper80: number[] | null;
  lower95: number[] | null;
  upper95: number[] | null;
}

const runs = ['mean', 'lower80', 'upper80', 'lower95', 'upper95'] as const;

export function encodeSnapshotValues(values: SnapshotValues): Uint8Array {
  const h = values.mean.length;
  const out = new Float64Array(h * runs.length);
  runs.forEach((name, r) => {
    const run = values[name];
    for (let i = 0; i < h; i++) out[r * h + i] = run && Number.isFinite(run[i]) ? run[i] : NaN;
  });
  // Float64Array is platform-endian; every platform Node runs on here is little-endian, checked once.
  if (!littleEndian) throw new Error('snapshot values assume a little-endian platform');
  return new Uint8Array(out.buffer);
}

export function decodeSnapshotValues(bytes: Uint8Array): SnapshotValues {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  const all = new Float64Array(copy.buffer);
  const h = all.length / runs.length;
  if (!Number.isInteger(h)) throw new Error(`snapshot values: ${bytes.byteLength} bytes is not five runs of float64`);
  const run = (r: number): number[] | null => {
    const slice = Array.from(all.subarray(r * h, (r + 1) * h));
    return slice.length > 0 && slice.every((v) => Number.isNaN(v)) ? null : slice;
  };
  return { mean: run(0) ?? [], lower80: run(1), upper80: run(2), lower95: run(3), upper95: run(4) };
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
