import type { Express, Request, Response } from 'express';
import { notes } from '../control/request-notes.js';
import type { SimulatorContext } from '../context.js';

/**
 * `GET|POST /userinfo` (docs/smaregi-wire.md §2.2 [CODE]): how a connector learns `contract.id`
 * from a user access token with `openid`.
 */
export function registerUserinfoRoutes(app: Express, ctx: SimulatorContext): void {
  const userinfo = async (req: Request, res: Response): Promise<void> => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const result = m?.[1] ? await ctx.tokens.verify(m[1]) : null;
    if (!result?.ok) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      res.status(401).json({
        error: 'invalid_token',
        error_description: 'アクセストークンが不正または期限切れです',
      });
      return;
    }
    const token = result.token;
    notes(res).clientId = token.clientId;
    notes(res).contractId = token.contractId;
    if (token.kind !== 'user' || !token.scopes.includes('openid') || !token.userId) {
      res.setHeader('WWW-Authenticate', 'Bearer error="insufficient_scope", scope="openid"');
      res.status(403).json({
        error: 'insufficient_scope',
        error_description: 'openid スコープを含むユーザーアクセストークンが必要です',
      });
      return;
    }
    const contract = ctx.platform.contract(token.contractId);
    const user = contract
      ? [...contract.users.values()].find((u) => u.userId === token.userId)
      : undefined;
    const info: Record<string, unknown> = {
      sub: `${token.contractId}:${token.userId}`,
      contract: { id: token.contractId, user_id: token.userId, is_owner: user?.isOwner ?? false },
    };
    if (token.scopes.includes('profile') || token.scopes.includes('openid'))
      info.name = user?.name ?? null;
    if (token.scopes.includes('email')) {
      info.email = user?.email ?? null;
      info.email_verified = true;
    }
    res.json(info);
  };
  app.get('/userinfo', userinfo);
  app.post('/userinfo', userinfo);
}
