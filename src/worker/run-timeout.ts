import type { Job } from '../queue/job.js';

/**
 * How long one attempt of a forecast job may run before its thread is terminated and the attempt
 * fails ("timed out after N s"). Defaults go by model family, generous enough that a loaded
 * machine never trips them on a real fit, tight enough that a hung one gives its slot back:
 *
 *   naive family (naive, seasonal naive, mean, moving averages, linear trend)     60 s
 *   smoothing family (exponential smoothing, Holt-Winters, Croston/SBA/TSB, theta) 300 s
 *   searched families (ets, dynamic theta)                                         900 s
 *   arima and ensemble (many fits per job)                                        1800 s
 *   a model this table does not know                                               600 s
 *
 * Overrides, strongest first: the dataset's `runTimeoutS` setting (the planner set it for that
 * data), then the worker's `--run-timeout-s` (replaces the family defaults on that worker).
 */
export const familyRunTimeoutS: ReadonlyArray<{ family: string; seconds: number; models: readonly string[] }> = [
  { family: 'naive', seconds: 60, models: ['naive', 'seasonal_naive', 'mean', 'moving_average', 'seasonal_moving_average', 'linear_trend'] },
  { family: 'smoothing', seconds: 300, models: ['simple_exponential_smoothing', 'double_exponential_smoothing', 'damped_trend', 'holt_winters', 'croston', 'sba', 'tsb', 'theta'] },
  { family: 'searched', seconds: 900, models: ['ets', 'dynamic_theta'] },
  { family: 'combined', seconds: 1800, models: ['arima', 'ensemble'] },
];
export const unknownModelRunTimeoutS = 600;
/** The bounds a setting or flag must fall in: one second to one day. */
export const runTimeoutBoundsS = { min: 1, max: 86_400 } as const;

export function defaultRunTimeoutS(modelId: string): number {
  return familyRunTimeoutS.find((f) => f.models.includes(modelId))?.seconds ?? unknownModelRunTimeoutS;
}

export function runTimeoutS(job: Pick<Job, 'modelId'>, overrides: { datasetS?: number | null; workerS?: number | null }): number {
  return overrides.datasetS ?? overrides.workerS ?? defaultRunTimeoutS(job.modelId);
}
