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

// Checked in Chromium at 390 px: the SKU page's scrollWidth was 611 (tabs, badge, list beside the SKU), now 390; How
// did we do and Totals may still scroll sideways, which the note (MainLayout) says, shown under 1024 px only.
describe('styles.css: narrow screens', () => {
  const media = (query: string) => {
    const at = css.indexOf(`@media (${query}) {`);
    return at < 0 ? '' : css.slice(at, css.indexOf('\n}', at));
  };
  it('the note is hidden from 1024 px up and shown below', () => {
    expect(rule('.narrow-note')).toMatch(/display: none/);
    expect(media('max-width: 1023px')).toMatch(/\.narrow-note \{ display: block;/);
  });
  it('under 800 px the top bar wraps and the SKU page stacks its list above the SKU', () => {
    const narrow = media('max-width: 799px');
    expect(narrow).toMatch(/\.tabs \{ flex-wrap: wrap; \}/);
    expect(narrow).toMatch(/\.split \{ grid-template-columns: minmax\(0, 1fr\); \}/);
    expect(narrow).toMatch(/\.sku-list \{ position: static;/);
  });
});
