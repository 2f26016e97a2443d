import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('./styles.css', import.meta.url), 'utf8');
const rule = (selector: string) => {
  const at = css.indexOf(`\n${selector} {`);
  return at < 0 ? '' : css.slice(at, css.indexOf('}', at));
};

// jsdom lays nothing out: the page's width was checked in Chromium at 1024 and 1280 px (scrollWidth <= innerWidth on
// How did we do and Totals). These are the rules that fix it, so a change to them is noticed here.
describe('styles.css: the title bars of How did we do and Totals wrap, never push the page sideways', () => {
  it('the bar and its toolbar wrap, the title does not', () => {
    expect(rule('.page-bar')).toMatch(/flex-wrap: wrap/);
    expect(rule('.page-bar h2')).toMatch(/white-space: nowrap/);
    expect(rule('.toolbar')).toMatch(/flex-wrap: wrap/);
    expect(rule('.toolbar')).toMatch(/min-width: 0/);
    expect(rule('.toolbar select')).toMatch(/max-width: min\(30em, 100%\)/);
    expect(rule('.actuals-bar')).toMatch(/flex-wrap: wrap/);
  });
});
