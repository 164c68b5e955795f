import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;
type Violation = AxeResults['violations'][number];

/** What a reader of a failed run needs: the rule, why it matters, and where. */
function formatViolations(violations: Violation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map(
          (n) =>
            `    ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`,
        )
        .join('\n');
      return `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
    })
    .join('\n\n');
}

/**
 * Runs axe-core (WCAG 2 A and AA rules) on the page as it is now and fails on any serious or
 * critical violation. The whole report is attached to the test (`axe-<name>.json`), so minor
 * findings can be read too. Open menus, dialogs and messages are checked only if they are shown.
 */
export async function expectNoSeriousA11yViolations(
  page: Page,
  options: {
    /** Names the attached report (`axe-<name>.json`). */
    name?: string;
    /** Check only these parts of the page (CSS selectors), e.g. the shell's `header`. */
    include?: string[];
    exclude?: string[];
  } = {},
): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']);
  for (const selector of options.include ?? []) builder = builder.include(selector);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  await test.info().attach(`axe-${options.name ?? 'page'}.json`, {
    body: JSON.stringify(results.violations, null, 2),
    contentType: 'application/json',
  });
  const serious = results.violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  // Rule IDs in the diff, the details (rule, help, elements, why) in the message.
  expect(
    serious.map((v) => `${v.id} (${v.impact})`),
    `axe found serious violations on ${page.url()}:\n${formatViolations(serious)}`,
  ).toEqual([]);
}
