import { describe, expect, it } from 'vitest';
import { pollDatabase } from './poll-database.js';

describe('pollDatabase', () => {
  it('lets the event loop turn between reads: a condition another callback makes true is seen', async () => {
    let flipped = false;
    setImmediate(() => { flipped = true; });
    let reads = 0;
    // A read that answers without I/O, as a fast local query can: back-to-back awaits of it never
    // left the microtask queue, so the callback above never ran (the old `for (;;)` loops).
    await pollDatabase('the flip', async () => { reads++; return flipped; }, { tries: 50 });
    expect(reads).toBeGreaterThan(1);
  });

  it('gives up after its tries, saying what it waited for', async () => {
    let reads = 0;
    await expect(pollDatabase('the claim waiting on a lock', async () => { reads++; return false; }, { tries: 3, pauseMs: 1 }))
      .rejects.toThrow('never saw the claim waiting on a lock (3 reads, 1 ms apart)');
    expect(reads).toBe(3);
  });
});
