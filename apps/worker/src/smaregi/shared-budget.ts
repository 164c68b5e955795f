import { PostgresBudgetStore } from '@renkei/smaregi-client/budget-postgres';
import pg from 'pg';

/**
 * The contract rate budget shared by every worker process through PostgreSQL (docs/reliability.md
 * item 3), on its own small pool so budget bookings never wait behind ORM queries.
 */
export async function createSharedBudget(
  url: string,
  tableName?: string,
  /** An idle connection of the pool was lost (the pool opens a new one when next needed). */
  onError: (error: Error) => void = () => undefined,
): Promise<{ store: PostgresBudgetStore; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // Without a listener a lost idle connection (database restarted) would end the process.
  pool.on('error', onError);
  // Processes starting together may race creating the table (CREATE TABLE IF NOT EXISTS is not
  // safe against a concurrent create in PostgreSQL): the loser simply tries again.
  for (let attempt = 1; ; attempt++) {
    try {
      const store = await PostgresBudgetStore.create({ pool, ...(tableName ? { tableName } : {}) });
      return { store, close: () => pool.end() };
    } catch (error) {
      if (attempt >= 3) {
        await pool.end();
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
