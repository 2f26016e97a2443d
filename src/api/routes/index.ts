import { datasetsForecastsRoutes } from './datasets-forecasts.js';
import { datasetsImportRoutes } from './datasets-import.js';
import { datasetsReadRoutes } from './datasets-read.js';
import { datasetsSkusRoutes } from './datasets-skus.js';
import { datasetsSnapshotsRoutes } from './datasets-snapshots.js';
import { datasetsUnmetWorkRoutes } from './datasets-unmet-work.js';
import { healthRoutes } from './health.js';
import { jobsActionsRoutes } from './jobs-actions.js';
import { jobsCreateRoutes } from './jobs-create.js';
import { jobsStatusRoutes } from './jobs-status.js';
import { metricsRoutes } from './metrics.js';
import { modelsRoutes } from './models.js';
import { openapiRoutes } from './openapi.js';
import type { RoutePlugin } from './route-plugin.js';

/** Every route plugin of the API; buildApp registers each with `{store}`. Add new ones at the end. */
export const routePlugins: RoutePlugin[] = [
  healthRoutes,
  jobsStatusRoutes,
  jobsCreateRoutes,
  jobsActionsRoutes,
  modelsRoutes,
  metricsRoutes,
  openapiRoutes,
  datasetsImportRoutes,
  datasetsReadRoutes,
  datasetsSkusRoutes,
  datasetsForecastsRoutes,
  datasetsSnapshotsRoutes,
  datasetsUnmetWorkRoutes,
];
