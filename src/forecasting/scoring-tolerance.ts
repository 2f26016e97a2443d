/**
 * How closely the optimizers converge in a fit that only scores (SeriesContext.scoring): a
 * cross-validation origin, a grid window, the backtest. Such a fit's forecast is compared with
 * actuals to choose parameters, forms and the per-SKU combination and to calibrate intervals; the
 * fit on the whole history, whose forecast the planner is shown, keeps each model's own tolerance
 * (ETS a relative 1e-6 of its likelihood, R's ets about 1.5e-8 with 2,000 iterations; CES and the
 * dynamic Theta a relative 1e-8 of their sum of squares).
 *
 * ETS: Nelder-Mead also stops once the simplex's likelihoods (-2 log L, AICc's units) are within
 * `etsLikelihood` of each other. Absolute, because the likelihood shifts by a constant when the data
 * change units (a relative 1e-3, tried first, changed the AICc choice of 51 of 400 histories when
 * the same data were given in thousands; the absolute 0.2 alone, 1 of 400: a one-form scoring fit
 * does not depend on units). Automatic ETS screens its forms that way, then fits the
 * forms within `etsScreenWithin` AICc of the screened best at its own tolerance: a looser fit's AICc
 * is too high by more the more values it searches (median 1.2-2.0 for 4-6 values against 0.09 for
 * 2 at a relative 1e-3), so screened fits alone would lean towards the simpler forms. With the
 * screen (forms within 2 / 4 / 8 AICc refitted: 25 / 15 / 4 differ), its choice differs from the
 * 1e-6 fits' on 4 of 400 M3 validation histories (97 at a relative 1e-3, 72 with the absolute
 * tolerance alone); after the refits it depends on units as the shown fits do (8 of 400 choices
 * change when the data are given in thousands, at 1e-6 or screened).
 * CES and the dynamic Theta minimise a sum of squares, which a relative tolerance measures
 * whatever the units.
 *
 * Decided on bench:planner --validate (the last horizon of each M3 training series; no test value
 * loaded; 2,184 short series) against callgrind's instructions for bench:sku-cost --months 48
 * --skus 60 (docs/forecasting.md, "Fits that only score"): choice sMAPE 12.45 with the models' own
 * tolerances (35.9 G instructions), 12.46 with these (25.1 G; 0.5 gave 12.45 and 24.3 G, a
 * difference within noise: 0.2 is nearer the shown estimator). Not free: with the grid method the
 * form ETS's windows pick changes on about 4 in 10 monthly histories (ETS forms often tie on a
 * window's error: tightening the windows' fits from 1e-6 to 1e-8 changes it on 1 in 7), and so does
 * that model's shown forecast; ETS alone scores 14.33 on validation against 14.29.
 */
export const SCORING_TOLERANCE = {
  /** Absolute, in -2 log L: ETS fits that score, and the screening of automatic ETS's forms. */
  etsLikelihood: 0.2,
  /** AICc within which screened forms are fitted again at the model's own tolerance. */
  etsScreenWithin: 8,
  /** Relative, as the models' own 1e-8. */
  ces: 1e-5,
  dynamicTheta: 1e-5,
} as const;

/** Automatic ETS's screen for a fit that scores; none for a fit that is shown. */
export function scoringScreen(ctx: { scoring?: boolean }): { absoluteTolerance: number; within: number } | undefined {
  return ctx.scoring ? { absoluteTolerance: SCORING_TOLERANCE.etsLikelihood, within: SCORING_TOLERANCE.etsScreenWithin } : undefined;
}
