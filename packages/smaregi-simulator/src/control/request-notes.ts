import type { Response } from 'express';
import type { InjectedFault } from './journal.js';

/** What the journal middleware learns while a request is handled. */
export interface RequestNotes {
  clientId: string | null;
  contractId: string | null;
  fault: InjectedFault | null;
  applied: boolean;
}

/** The notes of a response, created on first use. */
export function notes(res: Response): RequestNotes {
  const locals = res.locals as { sim?: RequestNotes };
  locals.sim ??= { clientId: null, contractId: null, fault: null, applied: false };
  return locals.sim;
}
