import { takeSnapshot } from '../datasets/snapshots.js';
import { errorText } from '../queue/lease-keeper.js';
import type { QueueLogger } from '../queue/queue-logger.js';
import type { Store } from '../stores/store.js';

/**
 * After each job a worker settles, looks whether that was its dataset's last open job and, if so,
 * takes the dataset's snapshot (datasets/snapshots.ts). Checks of one dataset never overlap: a
 * settle during a check asks for one more check after it. Several workers may all look; the store
 * keeps one snapshot per change. A failure is logged and left to the next settle or read.
 *
 * Modes: idle -> checking (one per dataset at a time) -> idle; `idle()` resolves when no check is
 * running (for a graceful stop and for tests).
 */
export class SnapshotTrigger {
  private readonly checking = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(private readonly store: Store, private readonly logger: QueueLogger, private readonly workerId: string) {}

  settled(datasetId: string | null): void {
    if (datasetId === null) return;
    if (this.checking.has(datasetId)) {
      this.again.add(datasetId);
      return;
    }
    const check = (async () => {
      do {
        this.again.delete(datasetId);
        try {
          const snapshot = await takeSnapshot(this.store, datasetId);
          if (snapshot) {
            this.logger.info({ event: 'snapshot', datasetId, snapshotId: snapshot.id, cause: snapshot.cause, skus: snapshot.skuCount, workerId: this.workerId },
              `Worker: dataset ${datasetId} is forecast; kept snapshot ${snapshot.id} (${snapshot.cause})`);
          }
        } catch (error) {
          this.logger.warn({ event: 'snapshot', datasetId, err: errorText(error), workerId: this.workerId }, `Worker: could not snapshot dataset ${datasetId}`);
        }
      } while (this.again.has(datasetId));
      this.checking.delete(datasetId);
    })();
    this.checking.set(datasetId, check);
  }

  async idle(): Promise<void> {
    while (this.checking.size > 0) await Promise.all([...this.checking.values()]);
  }
}
