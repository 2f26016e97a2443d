import type { DatasetStore } from '../datasets/dataset-store.js';
import type { QueueStore } from '../queue/queue-store.js';

/** Every adapter implements both halves over one database. */
export type Store = QueueStore & DatasetStore;
