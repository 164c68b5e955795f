import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateDemoKey, parseVaultKeys, TokenVault } from './token-vault.js';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('TokenVault', () => {
  it('round-trips a token for its tenant and never stores it in clear', () => {
    const vault = new TokenVault([key('k1')]);
    const sealed = vault.encrypt('eyJhbGciOi.secret-token', 'tenant-a');
    expect(sealed.keyId).toBe('k1');
    expect(sealed.ciphertext).not.toContain('secret-token');
    expect(vault.decrypt(sealed.ciphertext, sealed.keyId, 'tenant-a')).toBe(
      'eyJhbGciOi.secret-token',
    );
  });

  it('refuses another tenant (associated data), a tampered value and an unknown key', () => {
    const vault = new TokenVault([key('k1')]);
    const sealed = vault.encrypt('token', 'tenant-a');
    expect(() => vault.decrypt(sealed.ciphertext, 'k1', 'tenant-b')).toThrow();
    const [iv, tag, data] = sealed.ciphertext.split('.');
    const flipped = Buffer.from(data!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() =>
      vault.decrypt([iv, tag, flipped.toString('base64url')].join('.'), 'k1', 'tenant-a'),
    ).toThrow();
    expect(() => vault.decrypt(sealed.ciphertext, 'k0', 'tenant-a')).toThrow(/unknown token key/);
  });

  it('rotates keys: new values use the first key, old ones still decrypt', () => {
    const old = key('k1');
    const sealed = new TokenVault([old]).encrypt('token', 't');
    const rotated = new TokenVault([key('k2'), old]);
    expect(rotated.encrypt('x', 't').keyId).toBe('k2');
    expect(rotated.decrypt(sealed.ciphertext, 'k1', 't')).toBe('token');
  });

  it('parses configured keys and rejects short ones', () => {
    const text = `a:${randomBytes(32).toString('base64')},b:${randomBytes(32).toString('base64')}`;
    expect(new TokenVault(parseVaultKeys(text)).activeKeyId).toBe('a');
    expect(() => new TokenVault(parseVaultKeys(`a:${randomBytes(16).toString('base64')}`))).toThrow(
      /32 bytes/,
    );
    expect(() => parseVaultKeys('no-colon')).toThrow();
  });

  it('creates the demo key once, readable only by its owner', () => {
    const dir = mkdtempSync(join(tmpdir(), 'renkei-vault-'));
    const first = loadOrCreateDemoKey(dir);
    const again = loadOrCreateDemoKey(dir);
    expect(again[0]!.key.equals(first[0]!.key)).toBe(true);
    expect(statSync(join(dir, 'token-key')).mode & 0o077).toBe(0);
    expect(readFileSync(join(dir, 'token-key'), 'utf8')).toMatch(/^demo-[0-9a-f]{8}:/);
    rmSync(dir, { recursive: true, force: true });
  });
});
