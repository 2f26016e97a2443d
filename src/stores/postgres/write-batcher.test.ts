import { describe, expect, it } from 'vitest';
import { WriteBatcher } from './write-batcher.js';

/** A write whose statements the test finishes by hand: what went out together, and when. */
function recorder() {
  const statements: number[][] = [];
  const pending: Array<{ items: number[]; finish: (ok: boolean) => void }> = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      statements.push(items);
      pending.push({ items, finish: (ok) => (ok ? resolve(items.map((i) => `done ${i}`)) : reject(new Error('connection lost'))) });
    });
  return { statements, pending, write };
}

/** Lets every queued callback and timer-free continuation run (a few event-loop turns). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('WriteBatcher', () => {
  it('writes calls of one tick in one statement, and each call gets its own answer', async () => {
    const r = recorder();
    const batcher = new WriteBatcher<number, string>(r.write, (n) => n);
    const answers = [1, 2, 3].map((n) => batcher.push(n));
    await settle();
    expect(r.statements).toEqual([[1, 2, 3]]);
    r.pending[0].finish(true);
    expect(await Promise.all(answers)).toEqual(['done 1', 'done 2', 'done 3']);
  });

  it('gathers the calls made while statements are in flight into the next one', async () => {
    const r = recorder();
    const batcher = new WriteBatcher<number, string>(r.write, (n) => n, 1);
    const first = batcher.push(1);
    await settle();
    const later = [2, 3, 4].map((n) => batcher.push(n));
    await settle();
    expect(r.statements).toEqual([[1]]); // one in flight at most: the others wait
    r.pending[0].finish(true);
    await first;
    await settle();
    expect(r.statements).toEqual([[1], [2, 3, 4]]);
    r.pending[1].finish(true);
    expect(await Promise.all(later)).toEqual(['done 2', 'done 3', 'done 4']);
  });

  it('never puts the same key twice in one statement', async () => {
    const r = recorder();
    const batcher = new WriteBatcher<number, string>(r.write, (n) => n % 10, 2);
    const calls = [batcher.push(7), batcher.push(17), batcher.push(8)];
    await settle();
    expect(r.statements[0]).toEqual([7, 8]);
    expect(r.statements[1]).toEqual([17]);
    r.pending.forEach((p) => p.finish(true));
    expect(await Promise.all(calls)).toEqual(['done 7', 'done 17', 'done 8']);
  });

  it('a failed statement fails the calls it carried, and only those', async () => {
    const r = recorder();
    const batcher = new WriteBatcher<number, string>(r.write, (n) => n, 1);
    const a = batcher.push(1);
    await settle();
    const b = batcher.push(2);
    r.pending[0].finish(false);
    await expect(a).rejects.toThrow('connection lost');
    await settle();
    r.pending[1].finish(true);
    expect(await b).toBe('done 2');
  });

  it('splits a large queue into statements of at most maxBatch', async () => {
    const r = recorder();
    const batcher = new WriteBatcher<number, string>(r.write, (n) => n, 4, 2);
    const calls = [1, 2, 3, 4, 5].map((n) => batcher.push(n));
    await settle();
    await settle();
    expect(r.statements).toEqual([[1, 2], [3, 4], [5]]);
    r.pending.forEach((p) => p.finish(true));
    expect((await Promise.all(calls)).length).toBe(5);
  });
});
