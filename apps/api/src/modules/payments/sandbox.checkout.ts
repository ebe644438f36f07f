import { formatMoney, type IsoCurrencyCode } from '@souk/contracts';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SANDBOX_CARDS, type SandboxProvider } from './sandbox.provider.js';

/*
 * The sandbox's hosted checkout: what Stripe's payment page is to Stripe, served by Souk on its
 * own origin (under /api/v1, which the web dev server and nginx already pass through). Plain
 * server-rendered HTML and a form post: no script, no framework, readable on a 390 px phone.
 */

const IntentParams = z.object({ intentId: z.string().regex(/^pi_sb_[0-9a-f]{24}$/) });
const CardForm = z.object({ card: z.string().max(40) });
const ChallengeForm = z.object({ decision: z.enum(['approve', 'fail']) });

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Souk sandbox</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f4f6;color:#1b1b1f}
main{max-inline-size:26rem;margin:0 auto;padding:1.5rem 1rem}
h1{font-size:1.25rem;margin:0 0 .25rem}.amount{font-size:2rem;font-weight:700;margin:.5rem 0 1rem}
.note{background:#fff4d6;border-radius:.5rem;padding:.5rem .75rem;font-size:.875rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{box-sizing:border-box;inline-size:100%;font:inherit;padding:.75rem;border:1px solid #999;border-radius:.5rem}
button{display:block;inline-size:100%;font:inherit;font-weight:600;padding:.8rem;margin-block-start:.75rem;border:0;border-radius:.5rem;background:#3d3bd1;color:#fff}
button.secondary{background:#e3e3e8;color:#1b1b1f}
ul{padding:0;list-style:none}li{margin:.25rem 0}code{font-size:.9rem}
</style></head><body><main>${body}</main></body></html>`;
}

function amountOf(intent: { amount: number; currency: IsoCurrencyCode }): string {
  return escapeHtml(formatMoney({ amountMinor: intent.amount, currency: intent.currency }, 'en'));
}

export function sandboxCheckoutRoutes(sandbox: SandboxProvider, checkoutPath: string): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    const html = (reply: FastifyReply, status: number, markup: string) =>
      reply
        .code(status)
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
        )
        .send(markup);

    const load = (intentId: string) => sandbox.checkout(intentId);

    app.get('/:intentId', { schema: { hide: true, params: IntentParams } }, async (request, reply) => {
      const found = await load(request.params.intentId);
      if (!found) return html(reply, 404, page('Not found', '<h1>No such payment</h1>'));
      const { intent, returnUrl } = found;
      if (intent.status === 'requires_action')
        return reply.redirect(`${checkoutPath}/${request.params.intentId}/challenge`, 303);
      if (intent.status !== 'requires_payment_method') return reply.redirect(returnUrl, 303);
      const cards = Object.entries(SANDBOX_CARDS)
        .map(
          ([number, card]) =>
            `<li><code>${number.replace(/(\d{4})(?=\d)/g, '$1 ')}</code> ${escapeHtml(card.label)}</li>`,
        )
        .join('');
      return html(
        reply,
        200,
        page(
          'Pay',
          `<h1>Top up your Souk wallet</h1><p class="amount">${amountOf(intent)}</p>
<p class="note">Sandbox: no real card is charged. Use a test card.</p>
<form method="post" action="${checkoutPath}/${escapeHtml(request.params.intentId)}">
<label for="card">Card number</label>
<input id="card" name="card" inputmode="numeric" autocomplete="off" required value="4242 4242 4242 4242">
<button type="submit">Pay ${amountOf(intent)}</button></form>
<h2>Test cards</h2><ul>${cards}</ul>`,
        ),
      );
    });

    app.post(
      '/:intentId',
      { config: { sessionless: true }, schema: { hide: true, params: IntentParams, body: CardForm } },
      async (request, reply) => {
        const found = await load(request.params.intentId);
        if (!found) return html(reply, 404, page('Not found', '<h1>No such payment</h1>'));
        const intent = await sandbox.confirm(request.params.intentId, request.body.card);
        if (intent.status === 'requires_action')
          return reply.redirect(`${checkoutPath}/${request.params.intentId}/challenge`, 303);
        return reply.redirect(found.returnUrl, 303);
      },
    );

    app.get(
      '/:intentId/challenge',
      { schema: { hide: true, params: IntentParams } },
      async (request, reply) => {
        const found = await load(request.params.intentId);
        if (!found) return html(reply, 404, page('Not found', '<h1>No such payment</h1>'));
        if (found.intent.status !== 'requires_action') return reply.redirect(found.returnUrl, 303);
        return html(
          reply,
          200,
          page(
            '3-D Secure',
            `<h1>Confirm it is you</h1><p>Your bank asks you to confirm a payment of</p>
<p class="amount">${amountOf(found.intent)}</p>
<p class="note">Sandbox 3-D Secure: choose what your bank would answer.</p>
<form method="post" action="${checkoutPath}/${escapeHtml(request.params.intentId)}/challenge">
<button type="submit" name="decision" value="approve">Complete authentication</button>
<button type="submit" name="decision" value="fail" class="secondary">Fail authentication</button>
</form>`,
          ),
        );
      },
    );

    app.post(
      '/:intentId/challenge',
      { config: { sessionless: true }, schema: { hide: true, params: IntentParams, body: ChallengeForm } },
      async (request, reply) => {
        const found = await load(request.params.intentId);
        if (!found) return html(reply, 404, page('Not found', '<h1>No such payment</h1>'));
        await sandbox.authenticate(request.params.intentId, request.body.decision === 'approve');
        return reply.redirect(found.returnUrl, 303);
      },
    );
  };
}
