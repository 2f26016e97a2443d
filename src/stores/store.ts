import type { DatasetStore } from '../datasets/dataset-store.js';
import type { PlanningCycleStore } from '../datasets/planning-cycle-store.js';
import type { IdempotencyStore } from '../queue/idempotency-store.js';
import type { QueueStore } from '../queue/queue-store.js';

/** Every adapter implements the queue, the datasets, the planning cycle and the API's idempotency keys over one database. */
export type Store = QueueStore & DatasetStore & PlanningCycleStore & IdempotencyStore;
