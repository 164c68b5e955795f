import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, generateKeyPair, jwtVerify, type CryptoKey } from 'jose';

/** App tokens (client credentials) act for the contract; user tokens for a staff user. */
export type TokenKind = 'app' | 'user';

/** What the simulator remembers about every access token it issued. */
export interface IssuedToken {
  jti: string;
  kind: TokenKind;
  clientId: string;
  contractId: string;
  scopes: readonly string[];
  userId: string | null;
  /** Authorization-code grant the token came from (for revocation on code reuse). */
  grantId: string | null;
  expMs: number;
  revoked: boolean;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  contractId: string;
  userId: string;
  scopes: readonly string[];
  codeChallenge: string | null;
  expMs: number;
  used: boolean;
  grantId: string;
}

export interface RefreshGrant {
  refreshToken: string;
  clientId: string;
  contractId: string;
  userId: string;
  scopes: readonly string[];
  grantId: string;
  revoked: boolean;
}

export type VerifyResult = { ok: true; token: IssuedToken } | { ok: false; reason: string };

/** Modeled: authorization codes live 10 minutes (RFC 6749 §4.1.2 recommends a short life). */
export const AUTHORIZATION_CODE_TTL_MS = 10 * 60 * 1000;
const ISSUER = 'smaregi-simulator';

/**
 * Issues and checks tokens. Access tokens are RS256 JWTs with the claims of the real fixture
 * (`{aud: client_id, jti, iat, nbf, exp, sub: contract_id, scopes}`, docs/smaregi-wire.md §2.1
 * [CODE]); the simulator also keeps a record of each one so that it can revoke or expire it.
 */
export class TokenService {
  private keys: { privateKey: CryptoKey; publicKey: CryptoKey } | null = null;
  private readonly issued = new Map<string, IssuedToken>();
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly refreshGrants = new Map<string, RefreshGrant>();
  /** Grants revoked by a reused code; also covers tokens still being signed at that moment. */
  private readonly revokedGrants = new Set<string>();

  /**
   * Codes, refresh tokens and token IDs come from the system CSPRNG, not from the seed: they are
   * secrets, and a simulator shown on a LAN should not hand out guessable ones.
   */
  constructor(
    private readonly now: () => Date,
    public ttlSeconds: number,
  ) {}

  async init(): Promise<void> {
    this.keys = await generateKeyPair('RS256');
  }

  private requireKeys(): { privateKey: CryptoKey; publicKey: CryptoKey } {
    if (!this.keys) throw new Error('TokenService.init() was not awaited');
    return this.keys;
  }

  /** Signs a new access token. */
  async issueAccessToken(
    input: Omit<IssuedToken, 'jti' | 'expMs' | 'revoked'>,
  ): Promise<{ accessToken: string; record: IssuedToken }> {
    const nowSec = Math.floor(this.now().getTime() / 1000);
    const jti = randomBytes(16).toString('hex');
    const record: IssuedToken = {
      ...input,
      jti,
      expMs: (nowSec + this.ttlSeconds) * 1000,
      revoked: false,
    };
    // Recorded before signing, so that a revocation racing with this issuance still reaches it.
    this.issued.set(jti, record);
    if (this.issued.size % 1000 === 0) this.forgetLongExpired(nowSec * 1000);
    const accessToken = await new SignJWT({ scopes: [...input.scopes] })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(input.clientId)
      .setSubject(input.contractId)
      .setJti(jti)
      .setIssuedAt(nowSec)
      .setNotBefore(nowSec)
      .setExpirationTime(nowSec + this.ttlSeconds)
      .sign(this.requireKeys().privateKey);
    return { accessToken, record };
  }

  /** An OpenID Connect ID token for the user flow. */
  async issueIdToken(
    clientId: string,
    contractId: string,
    userId: string,
    nonce: string | null,
  ): Promise<string> {
    const nowSec = Math.floor(this.now().getTime() / 1000);
    const jwt = new SignJWT({ contract_id: contractId, ...(nonce ? { nonce } : {}) })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(clientId)
      // The same `sub` as /userinfo answers: OIDC Core §5.3.2 requires them equal.
      .setSubject(`${contractId}:${userId}`)
      .setIssuedAt(nowSec)
      .setExpirationTime(nowSec + this.ttlSeconds);
    return jwt.sign(this.requireKeys().privateKey);
  }

  /** Checks signature, expiry (on the simulator clock) and revocation. */
  async verify(accessToken: string): Promise<VerifyResult> {
    let jti: unknown;
    try {
      const { payload } = await jwtVerify(accessToken, this.requireKeys().publicKey, {
        algorithms: ['RS256'],
        issuer: ISSUER,
        currentDate: this.now(),
      });
      jti = payload.jti;
    } catch (error) {
      return { ok: false, reason: (error as Error).name === 'JWTExpired' ? 'expired' : 'invalid' };
    }
    const record = typeof jti === 'string' ? this.issued.get(jti) : undefined;
    if (!record) return { ok: false, reason: 'unknown' };
    if (record.revoked || (record.grantId !== null && this.revokedGrants.has(record.grantId))) {
      return { ok: false, reason: 'revoked' };
    }
    if (record.expMs <= this.now().getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, token: record };
  }

  /**
   * A long-running demo issues a token per hour per contract and more under faults: records of
   * tokens expired for a day are dropped (a client presenting one gets "invalid" instead of
   * "expired", which it handles the same way).
   */
  private forgetLongExpired(nowMs: number): void {
    for (const [jti, t] of this.issued)
      if (t.expMs < nowMs - 24 * 3600 * 1000) this.issued.delete(jti);
  }

  /** Fault "token expiry now": every token issued so far (of one contract) expires now. */
  expireAll(contractId?: string): number {
    const nowMs = this.now().getTime();
    let n = 0;
    for (const t of this.issued.values()) {
      if (t.expMs > nowMs && (contractId === undefined || t.contractId === contractId)) {
        t.expMs = nowMs;
        n++;
      }
    }
    return n;
  }

  /** Revokes every access and refresh token of one contract and app (uninstall). */
  revokeContract(contractId: string, clientId: string): void {
    for (const t of this.issued.values()) {
      if (t.contractId === contractId && t.clientId === clientId) t.revoked = true;
    }
    for (const g of this.refreshGrants.values()) {
      if (g.contractId === contractId && g.clientId === clientId) g.revoked = true;
    }
  }

  createCode(
    input: Omit<AuthorizationCode, 'code' | 'expMs' | 'used' | 'grantId'>,
  ): AuthorizationCode {
    const code: AuthorizationCode = {
      ...input,
      code: randomBytes(24).toString('base64url'),
      expMs: this.now().getTime() + AUTHORIZATION_CODE_TTL_MS,
      used: false,
      grantId: randomUUID(),
    };
    this.codes.set(code.code, code);
    return code;
  }

  code(code: string): AuthorizationCode | undefined {
    return this.codes.get(code);
  }

  /** RFC 6749 §4.1.2: a reused code revokes every token issued from it. */
  revokeGrant(grantId: string): void {
    this.revokedGrants.add(grantId);
    for (const t of this.issued.values()) if (t.grantId === grantId) t.revoked = true;
    for (const g of this.refreshGrants.values()) if (g.grantId === grantId) g.revoked = true;
  }

  createRefreshGrant(input: Omit<RefreshGrant, 'refreshToken' | 'revoked'>): RefreshGrant {
    const grant: RefreshGrant = {
      ...input,
      refreshToken: randomBytes(32).toString('base64url'),
      revoked: false,
    };
    this.refreshGrants.set(grant.refreshToken, grant);
    return grant;
  }

  refreshGrant(refreshToken: string): RefreshGrant | undefined {
    const grant = this.refreshGrants.get(refreshToken);
    if (grant && this.revokedGrants.has(grant.grantId)) grant.revoked = true;
    return grant;
  }
}

/** PKCE S256: BASE64URL(SHA256(code_verifier)) (RFC 7636 §4.2). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
