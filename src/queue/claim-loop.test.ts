import { describe, expect, it, vi } from 'vitest';
import { ClaimLoop } from './claim-loop.js';
import { ManualClock } from './manual-clock.js';
import type { QueueStore } from './queue-store.js';
import { counterNames, type RunnerCounters } from './runner-counters.js';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A ClaimLoop over a store whose claim finds nothing; `held` jobs held, every slot of 4 free. */
function loopOver(held: number, skipLocked = true) {
  const claim = vi.fn(async () => []);
  const claimable = vi.fn(async () => true);
  const store = { capabilities: { skipLocked }, claim, claimable } as unknown as QueueStore;
  const loop = new ClaimLoop({
    store, logger: quiet, workerId: 'w1', clock: new ManualClock(0), leaseMs: 30_000, pollMs: 1_000,
    counters: Object.fromEntries(counterNames.map((n) => [n, 0])) as RunnerCounters,
    claiming: () => true, free: () => 4, heldCount: () => held, start: () => undefined, ranDry: () => undefined,
  });
  return { loop, claim, claimable };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ClaimLoop', () => {
  it("claims at once on a store's wake while no job is held (no loop turn first)", async () => {
    const { loop, claim } = loopOver(0);
    loop.wake(true);
    expect(claim).toHaveBeenCalledTimes(1); // synchronously, before any macrotask
    await loop.done;
  });

  it('waits a loop turn on a wake of its own, or while a job is held (one claim for the slots freed together)', async () => {
    for (const [held, fromStore] of [[0, false], [1, true], [1, false]] as const) {
      const { loop, claim } = loopOver(held);
      loop.wake(fromStore);
      expect(claim).not.toHaveBeenCalled();
      await nextTurn();
      await loop.done;
      expect(claim).toHaveBeenCalledTimes(1);
    }
  });

  it("coalesces a store's wake that comes during a claim in flight into one more claim", async () => {
    const { loop, claim } = loopOver(0);
    loop.wake(true);
    loop.wake(true);
    loop.wake(true);
    expect(claim).toHaveBeenCalledTimes(1);
    await loop.done;
    expect(claim).toHaveBeenCalledTimes(2);
  });
});
