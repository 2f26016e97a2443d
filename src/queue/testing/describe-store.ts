/**
 * THE store conformance suite: every Store adapter runs it from its own test file,
 *
 *   describeStore('sqlite', ({ now }) => storeHarness(() => openSqliteStore(file, { now }), dropFile));
 *
 * It uses the Store interface only (no SQL, no assumptions about the database), an injected
 * clock the cases move instead of sleeping, and a fresh database per case (open is called in
 * beforeEach; cleanup must drop it). A change in what a store must do starts as a case here.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../../stores/store.js';
import { datasetCases } from './store-dataset-cases.js';
import { actualsBasedOnCases } from './store-actuals-based-on-cases.js';
import { durationCases } from './store-duration-cases.js';
import { fairnessCases } from './store-fairness-cases.js';
import { idempotencyCases } from './store-idempotency-cases.js';
import { t0, type StoreSuite } from './store-fixtures.js';
import { jobCases } from './store-job-cases.js';
import { listingCases } from './store-listing-cases.js';
import { planningCycleCases } from './store-planning-cycle-cases.js';
import { snapshotNameCases } from './store-snapshot-name-cases.js';
import { transitionCases } from './store-transition-cases.js';
import { upkeepCases } from './store-upkeep-cases.js';

export interface StoreHarness {
  /** A migrated store on a database of its own, reading time from the given `now`. */
  store: Store;
  /** Closes what open() opened and drops the database. */
  cleanup(): Promise<void>;
  /** Another instance on the same database with the same clock (concurrency and watch cases). */
  openAnother?(): Promise<Store>;
}

export type OpenStoreHarness = (options: { now: () => number }) => Promise<StoreHarness>;

/**
 * The usual harness: `openOne` opens an instance on the case's database (the first is the store,
 * later ones answer openAnother); each is migrated, and all are closed before `drop` runs.
 */
export async function storeHarness(
  openOne: () => Promise<Store>,
  drop: () => void | Promise<void>,
): Promise<StoreHarness> {
  const opened: Store[] = [];
  const open = async () => {
    const store = await openOne();
    opened.push(store);
    await store.migrate();
    return store;
  };
  return {
    store: await open(),
    openAnother: open,
    async cleanup() {
      for (const s of opened) await s.close();
      await drop();
    },
  };
}

export function describeStore(name: string, open: OpenStoreHarness): void {
  describe(`Store conformance: ${name}`, () => {
    const clock = { now: t0 };
    let harness: StoreHarness | null = null;
    const others: Store[] = [];

    const suite: StoreSuite = {
      get store() {
        if (!harness) throw new Error('store used outside a test');
        return harness.store;
      },
      clock,
      async another() {
        if (!harness?.openAnother) {
          throw new Error(`${name}: this case needs openAnother() (a second instance on the same database)`);
        }
        const store = await harness.openAnother();
        others.push(store);
        return store;
      },
    };

    beforeEach(async () => {
      clock.now = t0;
      harness = await open({ now: () => clock.now });
    });

    afterEach(async () => {
      for (const store of others.splice(0)) await store.close();
      await harness?.cleanup();
      harness = null;
    });

    describe('jobs', () => jobCases(suite));
    describe('transitions', () => transitionCases(suite));
    describe('listing and counters', () => listingCases(suite));
    describe('datasets', () => datasetCases(suite));
    describe('job durations', () => durationCases(suite));
    describe('planning cycle', () => planningCycleCases(suite));
    describe('actuals checked against the dataset (basedOn)', () => actualsBasedOnCases(suite));
    describe('snapshot names', () => snapshotNameCases(suite));
    describe('fairness between datasets', () => fairnessCases(suite));
    describe('upkeep', () => upkeepCases(suite));
    describe('idempotency keys', () => idempotencyCases(suite));
  });
}
