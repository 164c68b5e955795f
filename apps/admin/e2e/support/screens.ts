import { join } from 'node:path';
import { test, type Page } from '@playwright/test';

/**
 * Saves a full-page screenshot as `test-results/screens/<name>.png` (kept as a CI artifact; the
 * README shows some of them). Names are stable, e.g. `login`, `dashboard`, `shops-edit`, so a new
 * run replaces the picture of the same screen.
 */
export async function saveScreen(page: Page, name: string): Promise<string> {
  const path = join(test.info().project.outputDir, 'screens', `${name}.png`);
  // Wait for web fonts (Noto CJK) so Japanese text is never captured as boxes or a fallback face.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
  return path;
}
