import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/*
 * Password hashing with scrypt (node:crypto), a memory-hard slow KDF. Parameters are stored with
 * each hash so they can be raised later without invalidating existing passwords.
 * N = 2^15, r = 8, p = 1 takes ~50-100 ms and 32 MiB per hash: slow for an attacker holding a
 * database dump, acceptable for a login.
 */

const DEFAULT = { N: 1 << 15, r: 8, p: 1, keyLength: 32 } as const;

function derive(
  password: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      keyLength,
      { ...options, maxmem: 128 * options.N! * options.r! * 2 },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashPassword(
  password: string,
  params: { N: number; r: number; p: number } = DEFAULT,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, DEFAULT.keyLength, params);
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

/** Constant-time check of a password against a stored hash; false for malformed hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltText, hashText] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hashText, 'base64url');
  const key = await derive(password, Buffer.from(saltText, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * A hash of a password nobody has, used when the email is unknown so that a login attempt for a
 * missing user costs the same time as one for an existing user (no user enumeration by timing).
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

/**
 * The password checks a login makes, as a dependency so that tests can observe them (e.g. that
 * an unknown email is checked against the dummy hash, not answered early).
 */
export interface PasswordChecker {
  verify: (password: string, stored: string) => Promise<boolean>;
  dummyHash: () => Promise<string>;
}

export const scryptPasswords: PasswordChecker = {
  verify: verifyPassword,
  dummyHash: dummyPasswordHash,
};
