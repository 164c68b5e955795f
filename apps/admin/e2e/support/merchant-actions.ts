import type { Locator, Page } from '@playwright/test';

/**
 * A merchant's hand on the admin: every click, pull-down selection and typed field goes through
 * here and is counted, so the guided setup's cost in merchant actions is measured by the same walk
 * that the browser test runs (the admin bench prints it against its bound).
 *
 * Counting rule: a click is one action; typing a field is one action; choosing an entry of a
 * pull-down is one action (a "selection"), although the browser needs two clicks for it (open the
 * list, pick the entry).
 */
export class MerchantActions {
  readonly log: { kind: 'click' | 'fill' | 'select'; what: string }[] = [];

  constructor(private readonly page: Page) {}

  get count(): number {
    return this.log.length;
  }

  async click(target: Locator, what = String(target)): Promise<void> {
    this.log.push({ kind: 'click', what });
    await target.click();
  }

  async fill(target: Locator, value: string, what = String(target)): Promise<void> {
    this.log.push({ kind: 'fill', what });
    await target.fill(value);
  }

  /**
   * Chooses `option` in an Element Plus pull-down (`select` is its input, found by its label).
   * The options are rendered in a popper at the end of the page, so they are found page-wide among
   * the visible ones.
   */
  async select(select: Locator, option: string | RegExp, what = String(select)): Promise<void> {
    this.log.push({ kind: 'select', what });
    await select.click();
    await this.page.getByRole('option', { name: option }).locator('visible=true').first().click();
  }
}
