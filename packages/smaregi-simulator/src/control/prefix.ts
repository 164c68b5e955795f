/** The path prefix of the control API on the API host (the real Smaregi has no such paths). */
export const CONTROL_PREFIX = '/__sim';
