import type { Browser, Page } from 'playwright-core';

/** Pages of an e2e suite's browser, whose console errors the suite collects to assert on. */

/** Adds `on`'s console errors and uncaught exceptions to `errors`. */
export function collectConsoleErrors(on: Page, errors: string[]): void {
  on.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  on.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
}

export interface FreshPageOptions { width?: number; height?: number; dark?: boolean; locale?: string }

/** Another planner's browser: a fresh context (no stored dataset), its console errors added to `errors` too. */
export async function openFreshPage(browser: Browser, errors: string[], options: FreshPageOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 }, colorScheme: options.dark ? 'dark' : 'light',
    ...(options.locale ? { locale: options.locale } : {}),
  });
  const fresh = await context.newPage();
  collectConsoleErrors(fresh, errors);
  return fresh;
}

/** The element that has focus: whether it is in a dialog, and its test id. */
export function focused(on: Page): Promise<{ inDialog: boolean; testId: string | null }> {
  return on.evaluate(() => {
    const el = document.activeElement;
    return { inDialog: Boolean(el?.closest('[role="dialog"]')), testId: el?.getAttribute('data-testid') ?? null };
  });
}
