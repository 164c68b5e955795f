import { forkEm, Tenant } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';
import type { Dialect } from '../../src/config.js';

/** A new test database (see `createTestDatabase`) holding one tenant, for tests of one tenant's rows. */
export async function databaseWithTenant(
  dialect: Dialect,
  name = 'A',
): Promise<{ db: TestDatabase; tenantId: string }> {
  const db = await createTestDatabase(dialect);
  const em = forkEm(db.orm);
  const tenant = em.create(Tenant, { name });
  await em.flush();
  return { db, tenantId: tenant.id };
}
