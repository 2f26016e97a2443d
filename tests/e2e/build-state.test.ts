/**
 * scripts/build-state.mjs, what `npm start` and `npm run dev` trust before skipping a build: a
 * build is reused only when this script made it from the sources there are now. Steps run on a
 * temporary folder with a runner that "builds" by copying the sources, so each case is exact.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, without types
import { bringUpToDate } from '../../scripts/build-state.mjs';

interface Step { name: string; inputs: string[]; output: string; stamp: string; command: string[] }
const step: Step = { name: 'build', inputs: ['src'], output: 'out', stamp: 'out/.stamp', command: ['run', 'build'] };

let dir: string;
let runs: number;
let failNext: boolean;

/** The "build": copies src/a.ts to out/a.js, or writes half of it and fails. */
function run(s: Step, base: string): number {
  runs++;
  mkdirSync(path.join(base, s.output), { recursive: true });
  const source = readFileSync(path.join(base, 'src', 'a.ts'), 'utf8');
  if (failNext) {
    failNext = false;
    writeFileSync(path.join(base, 'out', 'a.js'), source.slice(0, 3));
    return 2;
  }
  writeFileSync(path.join(base, 'out', 'a.js'), source);
  return 0;
}

function upToDate(): { ran: string[]; exitCode: number | null } {
  let exitCode: number | null = null;
  const ran = bringUpToDate(['build'], () => undefined, { root: dir, steps: [step], run, exit: (code: number) => { exitCode = code; } });
  return { ran, exitCode };
}

const writeSource = (text: string) => writeFileSync(path.join(dir, 'src', 'a.ts'), text);
const built = () => readFileSync(path.join(dir, 'out', 'a.js'), 'utf8');

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-build-state-'));
  mkdirSync(path.join(dir, 'src'));
  writeSource('version A');
  runs = 0;
  failNext = false;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('build stamps', () => {
  it('builds once, then skips while sources and output are as stamped, and rebuilds when sources change', () => {
    expect(upToDate().ran).toEqual(['build']);
    expect(upToDate().ran).toEqual([]);
    utimesSync(path.join(dir, 'src', 'a.ts'), new Date(), new Date()); // touched, not changed
    expect(upToDate().ran).toEqual([]);
    writeSource('version B');
    expect(upToDate().ran).toEqual(['build']);
    expect(built()).toBe('version B');
    expect(runs).toBe(2);
  });

  it('never reuses an output that someone else rebuilt from other sources', () => {
    upToDate();
    // Another checkout's build writes the output (a manual `npm run build`, tsc --watch), then
    // the sources come back to what the stamp names: the output is not what they build.
    writeFileSync(path.join(dir, 'out', 'a.js'), 'version B, built by hand');
    expect(upToDate().ran).toEqual(['build']);
    expect(built()).toBe('version A');
    rmSync(path.join(dir, 'out', 'a.js'));
    expect(upToDate().ran).toEqual(['build']);
    expect(built()).toBe('version A');
  });

  it('leaves no stamp behind a failed step, so the next start tries again even if the sources went back', () => {
    upToDate();
    writeSource('version B');
    failNext = true;
    expect(upToDate()).toEqual({ ran: [], exitCode: 2 });
    expect(existsSync(path.join(dir, step.stamp))).toBe(false);
    writeSource('version A'); // back to the sources of the last good build; its output is half written
    expect(upToDate().ran).toEqual(['build']);
    expect(built()).toBe('version A');
  });
});
