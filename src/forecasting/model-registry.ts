import type { ModelDefinition } from './model-definition.js';
import { naiveModel } from './models/naive.js';
import { seasonalNaiveModel } from './models/seasonal-naive.js';
import { meanModel } from './models/mean.js';
import { etsModel } from './ets/ets-model.js';
import { thetaModel } from './theta.js';
import { ensembleModel } from './ensemble.js';

/**
 * Every model the engine offers, in the order the app lists them. To add a model, import its
 * ModelDefinition and add one line here.
 */
export const models: ModelDefinition[] = [
  naiveModel,
  seasonalNaiveModel,
  meanModel,
  etsModel,
  thetaModel,
  ensembleModel,
];

export function getModel(id: string): ModelDefinition | undefined {
  return models.find((m) => m.info.id === id);
}
