/**
 * What a holdout of 0 changes, said wherever settings answer with warnings (an import's report:
 * the API's, `skucast import`'s). It is accepted, but it changes the forecast, not only its
 * scoring: with no point held out there is no cross-validation, so no mix (the first enabled model
 * is shown alone: chooseForecast's withoutCrossValidation), no interval calibration, and no error
 * or backtest anywhere. The web app's Settings says the same (web/src/components/holdout-warning.ts).
 */
export function holdoutZeroWarning(models: readonly string[]): string {
  const shown = models[0] === undefined || models[0] === 'ensemble' ? 'the ensemble' : `${models[0]} (the first enabled model)`;
  return `Holdout 0 turns off cross-validation: the forecast shown is ${shown} alone (not the mix), its intervals are not calibrated, and nothing is scored.`;
}
