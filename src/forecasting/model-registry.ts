import type { ModelDefinition } from './model-definition.js';
import { naiveModel } from './models/naive.js';
import { seasonalNaiveModel } from './models/seasonal-naive.js';
import { meanModel } from './models/mean.js';
import { movingAverageModel } from './models/moving-average.js';
import { simpleExponentialSmoothingModel } from './models/simple-exponential-smoothing.js';
import { doubleExponentialSmoothingModel } from './models/double-exponential-smoothing.js';
import { dampedTrendModel } from './models/damped-trend.js';
import { linearTrendModel } from './models/linear-trend.js';
import { seasonalMovingAverageModel } from './models/seasonal-moving-average.js';
import { holtWintersModel } from './models/holt-winters.js';
import { crostonModel } from './models/croston.js';
import { sbaModel } from './models/sba.js';
import { tsbModel } from './models/tsb.js';
import { etsModel } from './ets/ets-model.js';
import { thetaModel } from './theta.js';
import { ensembleModel } from './ensemble.js';
import { arimaModel } from './arima.js';
import { dynamicThetaModel } from './dynamic-theta.js';

/**
 * Every model the engine offers, in the order the app lists them. To add a model, import its
 * ModelDefinition and add one line here.
 */
export const models: ModelDefinition[] = [
  movingAverageModel,
  simpleExponentialSmoothingModel,
  doubleExponentialSmoothingModel,
  linearTrendModel,
  seasonalMovingAverageModel,
  holtWintersModel,
  seasonalNaiveModel,
  dampedTrendModel,
  naiveModel,
  meanModel,
  crostonModel,
  sbaModel,
  tsbModel,
  etsModel,
  thetaModel,
  dynamicThetaModel,
  ensembleModel,
  arimaModel,
];

export function getModel(id: string): ModelDefinition | undefined {
  return models.find((m) => m.info.id === id);
}
