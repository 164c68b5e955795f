import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from '../tenancy/tenant.entity.js';

/**
 * A pending Smaregi authorisation: the `state` sent to /authorize (stored as its SHA-256) and the
 * PKCE verifier, bound to the admin session that started it. Single use: `consumedAt` is set by a
 * conditional update so a replayed callback finds nothing to consume.
 */
export class OAuthState {
  [OptionalProps]?: 'createdAt';
  id!: string;
  tenant!: Tenant;
  /** SHA-256 of the admin session ID that started the flow. */
  sessionId!: string;
  codeVerifier!: string;
  redirectUri!: string;
  createdAt: Date = new Date();
  expiresAt!: Date;
  consumedAt?: Date | null;
}

export const OAuthStateSchema = new EntitySchema<OAuthState>({
  class: OAuthState,
  tableName: 'oauth_states',
  properties: {
    id: { type: 'string', length: 64, primary: true },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    sessionId: { type: 'string', length: 64 },
    codeVerifier: { type: 'string', length: 128, hidden: true },
    redirectUri: { type: 'string', length: 500 },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    expiresAt: { ...dateTimeColumn },
    consumedAt: { ...dateTimeColumn, nullable: true },
  },
});
