import type { RequestHandler } from 'express';
import { notes } from './request-notes.js';
import type { SimulatorContext } from '../context.js';
import { CONTROL_PREFIX } from './prefix.js';

/**
 * Records every request of a host in the journal when its response finishes, or when the
 * connection closes without one (a dropped connection: status null). Control calls are skipped.
 */
export function journalMiddleware(ctx: SimulatorContext, host: 'id' | 'api'): RequestHandler {
  return (req, res, next) => {
    if (req.path.startsWith(CONTROL_PREFIX)) {
      next();
      return;
    }
    const arrival = ctx.now();
    const started = performance.now();
    const seq = ctx.journal.nextSeq();
    const path = req.path;
    let done = false;
    const record = (status: number | null): void => {
      if (done) return;
      done = true;
      const n = notes(res);
      ctx.journal.record({
        seq,
        time: arrival.toISOString(),
        timeMs: arrival.getTime(),
        host,
        method: req.method,
        path,
        clientId: n.clientId,
        // Requests refused before an operation ran (e.g. unparsable JSON) still name the contract.
        contractId:
          n.contractId ?? (host === 'api' ? (/^\/([^/]+)\//.exec(path)?.[1] ?? null) : null),
        status,
        fault: n.fault,
        applied: n.applied,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      });
    };
    res.on('finish', () => record(res.statusCode));
    res.on('close', () => record(res.writableFinished ? res.statusCode : null));
    next();
  };
}
