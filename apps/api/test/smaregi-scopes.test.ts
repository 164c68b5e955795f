import { PRODUCT_SYNC_SCOPES, REQUIRED_SMAREGI_SCOPES } from '@renkei/domain';
import { RENKEI_APP_SCOPES } from '@renkei/smaregi-client';
import { describe, expect, it } from 'vitest';

/**
 * The app token asks for RENKEI_APP_SCOPES (packages/smaregi-client) and the readiness check
 * reads the granted scopes against REQUIRED_SMAREGI_SCOPES (packages/domain): a scope the
 * checklist needs but the token never asks for would keep the integration from ever starting.
 */
describe('app-token scopes and the readiness checklist', () => {
  it('asks for every scope the checklist requires, product sync included', () => {
    for (const scope of [...REQUIRED_SMAREGI_SCOPES, ...PRODUCT_SYNC_SCOPES])
      expect(RENKEI_APP_SCOPES, scope).toContain(scope);
  });
});
