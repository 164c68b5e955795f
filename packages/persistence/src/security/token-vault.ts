import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * Encryption at rest of Smaregi tokens (docs/reliability.md item 4): AES-256-GCM with a random
 * 96-bit IV per value, the tenant ID as associated data (a ciphertext copied to another tenant's
 * row fails authentication) and a key ID stored beside the ciphertext so keys can be rotated:
 * new values use the first key, old values still decrypt with theirs.
 */

export interface VaultKey {
  id: string;
  key: Buffer;
}

export class TokenVault {
  private readonly byId: Map<string, Buffer>;
  constructor(private readonly keys: VaultKey[]) {
    if (keys.length === 0) throw new Error('the token vault needs at least one key');
    for (const k of keys)
      if (k.key.length !== 32) throw new Error(`token key ${k.id} must be 32 bytes`);
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** The ID of the key new values are encrypted with. */
  get activeKeyId(): string {
    return this.keys[0]!.id;
  }

  /** Encrypts `plaintext` for `tenantId`: `iv.tag.ciphertext` in base64url. */
  encrypt(plaintext: string, tenantId: string): { ciphertext: string; keyId: string } {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(`renkei:${tenantId}`, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return { ciphertext: [iv, tag, data].map((b) => b.toString('base64url')).join('.'), keyId: id };
  }

  /** Decrypts a value produced by {@link encrypt}; throws when the key, tenant or data is wrong. */
  decrypt(ciphertext: string, keyId: string, tenantId: string): string {
    const key = this.byId.get(keyId);
    if (key === undefined) throw new Error(`unknown token key ${keyId}`);
    const [iv, tag, data] = ciphertext.split('.').map((p) => Buffer.from(p, 'base64url'));
    if (iv === undefined || tag === undefined || data === undefined)
      throw new Error('malformed ciphertext');
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(`renkei:${tenantId}`, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  }
}

/** Parses `id:base64,id2:base64` (first = active). */
export function parseVaultKeys(text: string): VaultKey[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.indexOf(':');
      if (at <= 0) throw new Error('token keys must be written id:base64key');
      return { id: part.slice(0, at), key: Buffer.from(part.slice(at + 1), 'base64') };
    });
}

/**
 * Demo mode: the key lives in `<dataDir>/token-key` (created on first start, mode 0600), so
 * tokens survive restarts without any configuration. Production passes RENKEI_TOKEN_KEYS.
 */
export function loadOrCreateDemoKey(dataDir: string): VaultKey[] {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'token-key');
  if (!existsSync(file)) {
    writeFileSync(
      file,
      `demo-${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}\n`,
      { mode: 0o600 },
    );
  }
  return parseVaultKeys(readFileSync(file, 'utf8').trim());
}
