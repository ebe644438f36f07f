import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/http/context.js';
import type { PaymentsService } from './payments.service.js';
import type { StripeProvider } from './stripe.provider.js';

/*
 * Stripe mode's payment page: Stripe's Payment Element (Stripe.js from js.stripe.com) for one of
 * the member's own payments; Stripe sends the browser to Souk's return endpoint afterwards. The
 * card never touches Souk. Needs STRIPE_PUBLISHABLE_KEY.
 */
const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export function stripeCheckoutRoutes(deps: {
  service: Pick<PaymentsService, 'get'>;
  stripe: Pick<StripeProvider, 'clientSecretOf'>;
  publishableKey: string;
  returnBase: string;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/:paymentId',
      { preHandler: requireActor, schema: { hide: true, params: z.object({ paymentId: z.uuid() }) } },
      async (request, reply) => {
        const payment = await deps.service.get(request.ctx, request.params.paymentId);
        const returnUrl = `${deps.returnBase}/${payment.id}/return`;
        if (payment.status !== 'created' || !payment.providerPaymentId) return reply.redirect(returnUrl, 303);
        const clientSecret = await deps.stripe.clientSecretOf(payment.providerPaymentId);
        const config = { key: deps.publishableKey, clientSecret, returnPath: returnUrl };
        return reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>Pay · Souk</title><script src="https://js.stripe.com/v3/"></script>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0}main{max-inline-size:26rem;margin:0 auto;padding:1.5rem 1rem}
button{inline-size:100%;font:inherit;font-weight:600;padding:.8rem;margin-block-start:1rem;border:0;border-radius:.5rem;background:#3d3bd1;color:#fff}</style>
</head><body><main><h1>Top up your Souk wallet</h1><form id="pay"><div id="element"></div>
<button type="submit">Pay</button><p id="error" role="alert"></p></form></main>
<script>
const config = ${json(config)};
const stripe = Stripe(config.key);
const elements = stripe.elements({ clientSecret: config.clientSecret });
elements.create('payment').mount('#element');
document.getElementById('pay').addEventListener('submit', async (event) => {
  event.preventDefault();
  const { error } = await stripe.confirmPayment({
    elements,
    confirmParams: { return_url: new URL(config.returnPath, location.origin).href },
  });
  if (error) document.getElementById('error').textContent = error.message;
});
</script></body></html>`);
      },
    );
  };
}
