import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** The histogram times a timer of this interval: what it records above it is the delay. */
const LOOP_SAMPLE_MS = 10;

export interface LoopDelayMs {
  p50: number;
  p99: number;
  max: number;
}

/** Starts timing how late this process's event loop runs what is due. */
export function watchLoopDelay(): IntervalHistogram {
  const histogram = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  histogram.enable();
  return histogram;
}

/** How late the loop ran what was due (ms), its sampling interval left out. */
export function loopDelayMs(histogram: IntervalHistogram): LoopDelayMs {
  const lateMs = (ns: number): number => Math.max(0, ns / 1e6 - LOOP_SAMPLE_MS);
  return {
    p50: lateMs(histogram.percentile(50)),
    p99: lateMs(histogram.percentile(99)),
    max: lateMs(histogram.max),
  };
}
