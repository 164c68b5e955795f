import { DEMO_CONTRACT_ID } from '../constants.js';
import type { SimulatorContext } from '../context.js';
import type { ContractState } from '../state/contract.js';

/** Bad input to a control call (the HTTP control API answers 400 with the message). */
export class ControlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControlError';
  }
}

/** Runs a setter that validates its input, turning its refusal into a {@link ControlError}. */
export function asControlError<T>(set: () => T): T {
  try {
    return set();
  } catch (error) {
    throw new ControlError((error as Error).message);
  }
}

/** The contract a control call names (default the demo contract); unknown is bad input. */
export function controlContract(
  ctx: SimulatorContext,
  contractId = DEMO_CONTRACT_ID,
): ContractState {
  const c = ctx.platform.contract(contractId);
  if (!c) throw new ControlError(`契約[${contractId}]は存在しません`);
  return c;
}
