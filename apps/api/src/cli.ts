/**
 * Administration commands:
 *
 *   pnpm cli create-tenant --name "店舗名" --email owner@example.com --password '...'
 *   pnpm cli create-api-key --email owner@example.com --name "OMS"
 *
 * The password can also come from RENKEI_NEW_PASSWORD (keeps it out of shell history).
 */
import { parseArgs } from 'node:util';
import { standardOrderStatuses } from '@renkei/domain';
import { forkEm, TenantResolver } from '@renkei/persistence';
import { openConfiguredDatabase } from './create-deps.js';
import { loadCliEnv, loadConfig } from './env.js';
import {
  checkAdminCredentials,
  createAdminUser,
  createApiKey,
  createTenant,
} from './services/tenancy.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' } },
  });
  const config = loadConfig();
  const orm = await openConfiguredDatabase(config);
  try {
    const em = forkEm(orm);
    switch (command) {
      case 'create-tenant': {
        const password = values.password ?? loadCliEnv().RENKEI_NEW_PASSWORD;
        if (values.name === undefined || values.email === undefined || password === undefined) {
          console.error('usage: create-tenant --name NAME --email EMAIL --password PASSWORD');
          return 2;
        }
        // Validate everything first so a bad email or password leaves no tenant behind.
        checkAdminCredentials(values.email, password);
        if ((await new TenantResolver(em).userByEmail(values.email)) !== null) {
          console.error(`an admin user ${values.email} exists already`);
          return 1;
        }
        const tenant = await createTenant(em, {
          name: values.name,
          orderStatuses: standardOrderStatuses,
        });
        const user = await createAdminUser(em, {
          tenantId: tenant.id,
          email: values.email,
          password,
        });
        console.log(JSON.stringify({ tenantId: tenant.id, userId: user.id, email: user.email }));
        return 0;
      }
      case 'create-api-key': {
        if (values.email === undefined) {
          console.error('usage: create-api-key --email EMAIL [--name NAME]');
          return 2;
        }
        const user = await new TenantResolver(em).userByEmail(values.email);
        if (user === null) {
          console.error(`no admin user ${values.email}`);
          return 1;
        }
        const { plaintext } = await createApiKey(em, {
          tenantId: user.tenant.id,
          name: values.name ?? 'intake',
        });
        console.log(
          JSON.stringify({
            tenantId: user.tenant.id,
            apiKey: plaintext,
            note: 'shown once; only its hash is stored',
          }),
        );
        return 0;
      }
      default:
        console.error('commands: create-tenant, create-api-key');
        return 2;
    }
  } finally {
    await orm.close(true);
  }
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  return 1;
});
