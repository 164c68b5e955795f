/**
 * `pnpm smaregi:check`: probes every Smaregi operation Renkei uses with the credentials in the
 * environment (SMAREGI_ENV, SMAREGI_CLIENT_ID, SMAREGI_CLIENT_SECRET, SMAREGI_CONTRACT_ID,
 * optional SMAREGI_ID_BASE_URL / SMAREGI_API_BASE_URL / SMAREGI_APP_SCOPES). Changes nothing.
 */
import { runCheckCommand } from '../src/check/cli.js';

process.exitCode = await runCheckCommand({
  env: process.env,
  out: (text) => console.log(text),
});
