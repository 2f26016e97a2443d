import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { ApiConfig } from '../api-config.js';
import type { Clock } from '../../queue/clock.js';
import type { Store } from '../../stores/store.js';

/** Every route file exports one of these; routes/index.ts lists them. */
export interface RouteOptions {
  store: Store;
  /** How the API is exposed (limits, token); absent in tests that register one plugin alone. */
  config?: ApiConfig;
  /** The app's metrics registry (GET /metrics); absent in tests that register one plugin alone. */
  metrics?: { registry: Registry };
  /** Timers of the routes (an Idempotency-Key's renewals); absent: the system clock. */
  clock?: Clock;
  /** Aborted when the app closes: an Idempotency-Key's renewals stop (idempotent-route.ts); absent: never. */
  closing?: AbortSignal;
}

export type RoutePlugin = FastifyPluginAsync<RouteOptions>;
