import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SimulatorContext } from '../context.js';
import type { IssuedToken, TokenKind } from '../id-host/tokens.js';
import { ProblemError, sendProblem } from '../lib/problem.js';
import type { ContractState } from '../state/contract.js';
import { notes } from '../control/request-notes.js';

/** One authenticated, authorised call as handlers see it. */
export interface ApiCall {
  ctx: SimulatorContext;
  contract: ContractState;
  token: IssuedToken;
  req: Request;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

/** A handler's answer; the wrapper writes it (or replaces it with an injected fault). */
export interface Reply {
  status?: number;
  body: unknown;
}

export interface OperationOptions {
  /** Token kinds accepted (受注管理 is AppAccessToken only [OFF]). Default both. */
  tokenKinds?: readonly TokenKind[];
}

const WWW_AUTHENTICATE = 'Bearer error="invalid_token"';

function unauthorized(detail: string): ProblemError {
  return new ProblemError(401, detail, { headers: { 'WWW-Authenticate': WWW_AUTHENTICATE } });
}

/** Checks the bearer token and that its contract (`sub`) is the one in the path. */
async function authenticate(
  ctx: SimulatorContext,
  req: Request,
  contractId: string,
): Promise<IssuedToken> {
  const header = req.headers.authorization;
  const m = header ? /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header) : null;
  if (!m?.[1]) throw unauthorized('アクセストークンが指定されていません');
  const result = await ctx.tokens.verify(m[1]);
  if (!result.ok) {
    throw unauthorized(
      result.reason === 'expired'
        ? 'アクセストークンの有効期限が切れています'
        : 'アクセストークンが不正です',
    );
  }
  if (result.token.contractId !== contractId) {
    throw unauthorized('アクセストークンの契約IDとURLの契約IDが一致しません');
  }
  return result.token;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Wraps one API operation with, in order: authentication (401), the rate limit of the app and
 * contract (429), injected faults, token kind and scope checks (403), the handler, and the
 * "500 after the change was applied" fault.
 */
export function operation(
  ctx: SimulatorContext,
  scope: string,
  handler: (call: ApiCall) => Reply | Promise<Reply>,
  options: OperationOptions = {},
): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const n = notes(res);
    try {
      const params = req.params as Record<string, string>;
      const contractId = params.contractId ?? '';
      n.contractId = contractId;
      const token = await authenticate(ctx, req, contractId);
      n.clientId = token.clientId;
      const contract = ctx.platform.contract(contractId);
      if (!contract) throw unauthorized('アクセストークンの契約IDとURLの契約IDが一致しません');

      const rate = ctx.rateLimiter.check(
        token.clientId,
        contractId,
        req.method,
        ctx.now().getTime(),
      );
      if (!rate.allowed) {
        sendProblem(
          res,
          429,
          'リクエスト数が上限を超えました。しばらく待ってから再度お試しください',
          {
            headers: { 'Retry-After': String(rate.retryAfterSeconds) },
          },
        );
        return;
      }

      const fault = ctx.faults.decide(
        'api',
        req.method,
        req.originalUrl.split('?')[0] ?? '',
        contractId,
      );
      if (fault.latencyMs > 0) {
        n.fault = 'latency';
        await sleep(fault.latencyMs);
      }
      if (fault.kind === 'drop') {
        n.fault = 'drop';
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'error') {
        n.fault = 'error';
        if (fault.status === 429) {
          rate.release();
          sendProblem(
            res,
            429,
            'リクエスト数が上限を超えました。しばらく待ってから再度お試しください',
            {
              headers: { 'Retry-After': String(fault.retryAfterSeconds) },
            },
          );
        } else {
          sendProblem(res, fault.status, 'サーバーで一時的なエラーが発生しました');
        }
        return;
      }

      const kinds = options.tokenKinds ?? ['app', 'user'];
      if (!kinds.includes(token.kind)) {
        throw new ProblemError(403, 'このAPIはアプリアクセストークンでのみ利用できます');
      }
      if (!token.scopes.includes(scope)) {
        throw new ProblemError(403, `この操作にはスコープ[${scope}]が必要です`);
      }

      const reply = await handler({
        ctx,
        contract,
        token,
        req,
        params,
        query: req.query,
        body: req.body,
      });
      const write = req.method !== 'GET' && req.method !== 'HEAD';
      if (write) n.applied = true;
      if (fault.kind === 'fail-after-apply') {
        n.fault = 'fail-after-apply';
        sendProblem(res, 500, 'サーバーでエラーが発生しました');
        return;
      }
      res.status(reply.status ?? 200).json(reply.body);
    } catch (error) {
      next(error);
    }
  };
}
