/**
 * What a holdout of 0 changes, shown in Settings while the draft has it: it is accepted, but it
 * changes the forecast, not only its scoring (no cross-validation, so no mix: the first enabled
 * model alone; no interval calibration; no error or backtest anywhere). The API's import report
 * says the same (src/datasets/holdout-warning.ts); `name` is how the app names that model.
 */
export function holdoutZeroWarning(models: readonly string[], name: (id: string) => string = (id) => id): string {
  const first = models[0];
  const shown = first === undefined || first === 'ensemble' ? 'the ensemble' : `${name(first)} (the first enabled model)`;
  return `Holdout 0 turns off cross-validation: the forecast shown is ${shown} alone (not the mix), its intervals are not calibrated, and nothing is scored.`;
}
