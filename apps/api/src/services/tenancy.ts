import { defaultIntegrationSettings } from '@renkei/domain';
import {
  AdminUser,
  ApiKey,
  IntegrationSettings,
  scopesColumn,
  OrderStatus,
  SmaregiConnection,
  Tenant,
  type ApiKeyScope,
  type Em,
} from '@renkei/persistence';
import { hashPassword } from '../auth/password.js';
import { randomToken, sha256Hex } from '../security/secrets.js';

/**
 * Creates a tenant with its default settings, an unconnected (未認証) Smaregi connection and, when
 * given, its first order statuses (a new merchant gets the standard workflow from the CLI).
 */
export async function createTenant(
  em: Em,
  input: {
    name: string;
    demo?: boolean;
    id?: string;
    orderStatuses?: readonly { name: string; category: string; sortOrder: number }[];
  },
): Promise<Tenant> {
  const name = input.name.trim();
  if (name === '' || name.length > 200) throw new Error('tenant name must be 1..200 characters');
  return em.transactional(async (tx) => {
    const tenant = tx.create(Tenant, {
      ...(input.id === undefined ? {} : { id: input.id }),
      name,
      demo: input.demo ?? false,
    });
    const { integrationEnabled, ...values } = defaultIntegrationSettings;
    tx.create(IntegrationSettings, { tenant, integrationEnabled, values: { ...values } });
    tx.create(SmaregiConnection, { tenant });
    for (const status of input.orderStatuses ?? []) tx.create(OrderStatus, { tenant, ...status });
    await tx.flush();
    return tenant;
  });
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Checks an admin's email and password before anything is written; returns the stored email form. */
export function checkAdminCredentials(email: string, password: string): string {
  const normalised = email.trim().toLowerCase();
  if (!EMAIL.test(normalised) || normalised.length > 254)
    throw new Error(`not an email address: ${email}`);
  if (password.length < 10) throw new Error('the password must have at least 10 characters');
  return normalised;
}

/** Creates an admin user; the email is unique across tenants. */
export async function createAdminUser(
  em: Em,
  input: { tenantId: string; email: string; password: string; displayName?: string },
): Promise<AdminUser> {
  const email = checkAdminCredentials(input.email, input.password);
  const user = em.create(AdminUser, {
    tenant: em.getReference(Tenant, input.tenantId),
    email,
    displayName: input.displayName ?? email,
    passwordHash: await hashPassword(input.password),
  });
  await em.flush();
  return user;
}

/** Intake keys look like `rk_<43 chars>`; only their SHA-256 is stored. */
export const API_KEY_PREFIX = 'rk_';

/**
 * Creates an API key and returns its plaintext once. `plaintext` may be given (the demo seed's
 * documented key); otherwise 32 random bytes. `scopes`: what it may do (default: DEFAULT_API_KEY_SCOPES, never `webhooks:manage` unasked).
 */
export async function createApiKey(
  em: Em,
  input: { tenantId: string; name: string; plaintext?: string; scopes?: readonly ApiKeyScope[] },
): Promise<{ key: ApiKey; plaintext: string }> {
  const plaintext = input.plaintext ?? `${API_KEY_PREFIX}${randomToken(32)}`;
  const key = em.create(ApiKey, {
    tenant: em.getReference(Tenant, input.tenantId),
    name: input.name,
    keyHash: sha256Hex(plaintext),
    keyPrefix: plaintext.slice(0, 8),
    ...(input.scopes === undefined ? {} : { scopes: scopesColumn(input.scopes) }),
  });
  await em.flush();
  return { key, plaintext };
}
