import type { DatasetStore } from '../datasets/dataset-store.js';
import type { PlanningCycleStore } from '../datasets/planning-cycle-store.js';
import type { QueueStore } from '../queue/queue-store.js';

/** Every adapter implements the queue, the datasets and the planning cycle over one database. */
export type Store = QueueStore & DatasetStore & PlanningCycleStore;
