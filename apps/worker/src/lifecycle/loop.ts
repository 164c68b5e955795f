import type { Clock } from '@renkei/smaregi-client';
import { forkEm, type Em, type Orm } from '@renkei/persistence';
import type { Logger } from '../logger.js';

/** What one tick gets: a signal that aborts at shutdown and a fresh entity manager. */
export interface TickContext {
  signal: AbortSignal;
  em: Em;
}

/**
 * One tick of a loop. Returns true when it stopped early with more work waiting (the loop then
 * runs again at once instead of sleeping).
 */
export type TickFn = (ctx: TickContext) => Promise<boolean | void>;

export type LoopState = 'idle' | 'running' | 'stopping' | 'stopped';

/** Default allowance for one tick before health calls the loop stuck (WORKER_TICK_TIMEOUT_MS). */
export const DEFAULT_TICK_TIMEOUT_MS = 600_000;

export interface LoopOptions {
  name: string;
  intervalMs: number;
  /**
   * How long one tick may take before the loop counts as stuck (health). Not enforced: a long
   * tick is only reported, never cut short.
   */
  tickTimeoutMs?: number;
  tick: TickFn;
  orm: Orm;
  clock: Clock;
  logger: Logger;
  /** Called after every tick with its duration and outcome (metrics). */
  onTick?: (name: string, durationMs: number, ok: boolean) => void;
}

/**
 * A small lifecycle object (docs/conventions.md item 11, after pg-boss `src/worker.ts`): explicit
 * states, one tick at a time, an abortable wait between ticks, and `stop()` that resolves once the
 * tick in progress has ended. A failing tick is logged and the loop goes on: a poison item must
 * never stop the engine.
 */
export class Loop {
  readonly name: string;
  #state: LoopState = 'idle';
  #abort = new AbortController();
  #done: Promise<void> = Promise.resolve();
  #wake: (() => void) | undefined;
  /** Epoch ms of the last finished tick (health). */
  lastTickAt: number | undefined;
  /** Epoch ms when the tick in progress started (undefined between ticks). */
  tickStartedAt: number | undefined;
  /** Epoch ms when the loop was started. */
  startedAt: number | undefined;
  lastError: string | undefined;

  constructor(private readonly options: LoopOptions) {
    this.name = options.name;
  }

  get intervalMs(): number {
    return this.options.intervalMs;
  }

  get state(): LoopState {
    return this.#state;
  }

  /**
   * A running loop is stuck when nothing has started or ended for 3 of its intervals plus its
   * tick timeout: its own scale, so a loop that runs every 10 minutes is not judged by the
   * standard of one that runs every 250 ms.
   */
  get staleAfterMs(): number {
    return 3 * this.options.intervalMs + (this.options.tickTimeoutMs ?? DEFAULT_TICK_TIMEOUT_MS);
  }

  /** True when the loop is running but has not started or finished a tick for too long. */
  stuck(now: number): boolean {
    if (this.#state !== 'running') return false;
    const last = Math.max(this.tickStartedAt ?? -Infinity, this.lastTickAt ?? -Infinity);
    const since = Number.isFinite(last) ? last : (this.startedAt ?? now);
    return now - since > this.staleAfterMs;
  }

  /** The signal handed to ticks; aborted by `stop()` or `abort()`. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  start(): void {
    if (this.#state !== 'idle') return;
    this.#state = 'running';
    this.startedAt = this.options.clock.now();
    this.#done = this.#run();
  }

  /** Makes a sleeping loop tick now (e.g. a job arrived). */
  wake(): void {
    this.#wake?.();
  }

  /** Runs one tick with a fresh entity manager (tests and the loop itself). */
  async tickOnce(signal: AbortSignal = this.#abort.signal): Promise<boolean> {
    const started = this.options.clock.now();
    this.tickStartedAt = started;
    let ok = false;
    try {
      const more = await this.options.tick({ signal, em: forkEm(this.options.orm) });
      ok = true;
      this.lastError = undefined;
      return more === true;
    } finally {
      this.tickStartedAt = undefined;
      this.lastTickAt = this.options.clock.now();
      this.options.onTick?.(this.name, this.lastTickAt - started, ok);
    }
  }

  async #run(): Promise<void> {
    const { clock, logger, intervalMs } = this.options;
    while (this.#state === 'running') {
      let more = false;
      try {
        more = await this.tickOnce();
      } catch (error) {
        if (this.#abort.signal.aborted) break;
        this.lastError = error instanceof Error ? error.message : String(error);
        logger.error({ loop: this.name, err: error }, 'loop tick failed; continuing');
      }
      if (this.#state !== 'running' || more) continue;
      await this.#sleep(clock, intervalMs);
    }
    this.#state = 'stopped';
  }

  #sleep(clock: Clock, ms: number): Promise<void> {
    const local = new AbortController();
    const onAbort = (): void => local.abort();
    this.#abort.signal.addEventListener('abort', onAbort, { once: true });
    this.#wake = () => local.abort();
    return clock
      .sleep(ms, local.signal)
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        this.#abort.signal.removeEventListener('abort', onAbort);
        this.#wake = undefined;
      });
  }

  /**
   * Stops after the current tick. The tick's signal is NOT aborted, so in-flight work can finish;
   * the process calls `abort()` when its shutdown deadline passes.
   */
  stop(): Promise<void> {
    if (this.#state === 'idle') {
      this.#state = 'stopped';
      return Promise.resolve();
    }
    if (this.#state === 'running') this.#state = 'stopping';
    this.#wake?.();
    return this.#done;
  }

  /** Aborts the tick in progress (shutdown deadline passed). */
  abort(): void {
    this.#abort.abort(new Error(`worker loop ${this.name} aborted at shutdown`));
  }
}
