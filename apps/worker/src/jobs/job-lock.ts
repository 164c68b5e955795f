import type { Clock } from '@renkei/smaregi-client';

/** How a running job's lock is kept (see {@link whileLocked}). */
export interface JobLock {
  clock: Clock;
  /** The lock's length: a claim locks the row for this long, each extension from now. */
  lockMs: number;
  /** Extends the lock from now; false when the job is no longer this claim's. */
  extend: () => Promise<boolean>;
}

/**
 * Runs `work` while the job's row lock is extended every third of the lock. The lock is what
 * tells a running job from a dead process's (whose job is taken over once its lock has ended), so
 * a job that runs longer than one lock must keep it, or a second process would run it at the same
 * time. A failed extension (the database briefly away) is tried again at the next beat: two more
 * chances before the lock could end. The first extension is made before `work` starts, so a job
 * claimed in a batch and started late is not run when another process has taken it meanwhile:
 * then `work` is not run and false is returned.
 */
export async function whileLocked(lock: JobLock, work: () => Promise<void>): Promise<boolean> {
  if (!(await lock.extend())) return false;
  const done = new AbortController();
  const beating = keepExtending(lock, done.signal);
  try {
    await work();
  } finally {
    done.abort();
    await beating;
  }
  return true;
}

async function keepExtending(lock: JobLock, done: AbortSignal): Promise<void> {
  const everyMs = Math.max(1, Math.floor(lock.lockMs / 3));
  for (;;) {
    try {
      await lock.clock.sleep(everyMs, done);
    } catch {
      return; // the job has ended
    }
    try {
      if (!(await lock.extend())) return;
    } catch {
      // Tried again at the next beat.
    }
  }
}
