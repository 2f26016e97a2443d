import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { defaultForecastSettings, defaultModels, listMethods, listModels } from '../../forecasting/index.js';
import { accuracyMetricSchema } from '../schemas/dataset-schemas.js';
import type { RouteOptions } from './route-plugin.js';

const modelsResponseSchema = z.object({
  models: z.array(z.object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    family: z.string(),
    parameters: z.array(z.object({
      name: z.string(), description: z.string(), grid: z.array(z.number()), min: z.number(), max: z.number(), integer: z.boolean(),
    })),
    seasonal: z.boolean(),
    intermittent: z.boolean(),
  })),
  methods: z.array(z.object({ id: z.string(), name: z.string(), description: z.string() })),
  defaults: z.object({
    models: z.array(z.string()),
    method: z.string(),
    metric: accuracyMetricSchema,
    horizon: z.number(),
    holdout: z.number(),
    intervalLevels: z.array(z.number()),
  }),
});

/** `GET /api/models`: what the engine offers, straight from src/forecasting. */
export const modelsRoutes: FastifyPluginAsync<RouteOptions> = async (app) => {
  const settings = defaultForecastSettings as typeof defaultForecastSettings & { method?: string };
  const answer = {
    models: listModels(),
    methods: listMethods(),
    defaults: {
      models: [...defaultModels],
      method: settings.method ?? 'grid',
      metric: settings.metric,
      horizon: settings.horizon,
      holdout: settings.holdout,
      intervalLevels: settings.intervalLevels,
    },
  };
  app.withTypeProvider<ZodTypeProvider>().get('/api/models', {
    schema: { summary: 'Forecast models, tuning methods and defaults', tags: ['models'], response: { 200: modelsResponseSchema } },
  }, async () => answer);
};
