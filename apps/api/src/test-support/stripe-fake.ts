import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signWebhook } from '../modules/payments/payments.signature.js';

/*
 * A local fake of the parts of Stripe's HTTP API Souk's stripe provider uses, at the HTTP
 * boundary: the real `stripe` SDK talks to it (its host/port/protocol options), form-encoded
 * bodies, `Idempotency-Key` replay, errors in Stripe's shape. What a customer does on Stripe's
 * side (paying, a 3-D Secure step, a refund in the dashboard) the test does through `pay` and
 * `refundOutside`; `event` signs a webhook as Stripe would.
 */

type FakeIntent = {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: string;
  capture_method: string;
  amount_received: number;
  metadata: Record<string, string>;
  last_payment_error: { code: string; decline_code?: string; type: string } | null;
  created: number;
  latest_charge: string | null;
  client_secret: string;
  /** Not Stripe's: the card given to `pay` fails at capture. */
  failCapture: boolean;
};

type FakeCharge = {
  id: string;
  object: 'charge';
  payment_intent: string;
  amount: number;
  amount_captured: number;
  amount_refunded: number;
};

export type RecordedRequest = {
  method: string;
  path: string;
  idempotencyKey: string | null;
  body: Record<string, unknown>;
};

export type StripeFake = {
  /** `http://127.0.0.1:<port>`: STRIPE_API_URL. */
  url: string;
  secretKey: string;
  webhookSecret: string;
  requests: RecordedRequest[];
  intents: Map<string, FakeIntent>;
  /** The customer pays on Stripe's side: `succeeded` authorizes (manual capture), `declined` fails. */
  pay(
    intentId: string,
    outcome: 'authorized' | 'requires_action' | 'declined' | 'fails_at_capture',
  ): FakeIntent;
  /** A refund made in Stripe's dashboard, not through Souk. */
  refundOutside(intentId: string, amount: number): void;
  /** A signed webhook about an object, as Stripe sends it. */
  event(
    type: string,
    object: object,
    options?: { at?: Date; secret?: string },
  ): { body: string; signature: string };
  /** The next `count` requests to `pathPrefix` answer 500 (Stripe down). */
  failNext(pathPrefix: string, count: number): void;
  close(): Promise<void>;
};

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

/** `a[b][0]=x&c=y` -> `{ a: { b: { 0: 'x' } }, c: 'y' }`, as Stripe reads its form bodies. */
function parseForm(text: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.split(/[[\]]+/).filter(Boolean);
    let node = result;
    path.forEach((part, index) => {
      if (index === path.length - 1) node[part] = value;
      else {
        node[part] ??= {};
        node = node[part] as Record<string, unknown>;
      }
    });
  }
  return result;
}

const listOf = (value: unknown): string[] =>
  value && typeof value === 'object' ? Object.values(value as Record<string, string>) : [];

export async function startStripeFake(options: { webhookSecret?: string } = {}): Promise<StripeFake> {
  const secretKey = `sk_test_${randomBytes(8).toString('hex')}`;
  const webhookSecret = options.webhookSecret ?? `whsec_${randomBytes(16).toString('hex')}`;
  const intents = new Map<string, FakeIntent>();
  const charges = new Map<string, FakeCharge>();
  const accounts = new Set<string>();
  const requests: RecordedRequest[] = [];
  const replays = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  const failures: { prefix: string; count: number }[] = [];

  const stripeError = (status: number, type: string, code: string, message: string, extra: object = {}) => ({
    status,
    body: { error: { type, code, message, ...extra } },
  });

  function view(intent: FakeIntent, expand: string[]) {
    const { failCapture: _, ...rest } = intent;
    const charge = intent.latest_charge ? charges.get(intent.latest_charge) : null;
    return {
      ...rest,
      latest_charge:
        charge && expand.some((path) => path.endsWith('latest_charge')) ? charge : intent.latest_charge,
    };
  }

  function route(
    method: string,
    path: string,
    body: Record<string, unknown>,
    query: Record<string, unknown>,
  ) {
    const expand = listOf(body.expand ?? query.expand);
    const intentMatch = /^\/v1\/payment_intents\/([^/]+)(?:\/(capture|cancel))?$/.exec(path);
    if (method === 'POST' && path === '/v1/payment_intents') {
      const intent: FakeIntent = {
        id: id('pi'),
        object: 'payment_intent',
        amount: Number(body.amount),
        currency: String(body.currency),
        status: 'requires_payment_method',
        capture_method: String(body.capture_method ?? 'automatic'),
        amount_received: 0,
        metadata: (body.metadata as Record<string, string>) ?? {},
        last_payment_error: null,
        created: Math.floor(Date.now() / 1000),
        latest_charge: null,
        client_secret: '',
        failCapture: false,
      };
      intent.client_secret = `${intent.id}_secret_${randomBytes(8).toString('hex')}`;
      intents.set(intent.id, intent);
      return { status: 200, body: view(intent, expand) };
    }
    if (method === 'GET' && path === '/v1/payment_intents') {
      const gte = Number((query.created as Record<string, string> | undefined)?.gte ?? 0);
      const limit = Number(query.limit ?? 10);
      const all = [...intents.values()].filter((intent) => intent.created >= gte).reverse();
      const start = query.starting_after
        ? all.findIndex((intent) => intent.id === query.starting_after) + 1
        : 0;
      const page = all.slice(start, start + limit);
      return {
        status: 200,
        body: {
          object: 'list',
          url: '/v1/payment_intents',
          has_more: start + limit < all.length,
          data: page.map((intent) =>
            view(
              intent,
              expand.map((path) => path.replace(/^data\./, '')),
            ),
          ),
        },
      };
    }
    if (intentMatch) {
      const intent = intents.get(intentMatch[1] ?? '');
      if (!intent)
        return stripeError(404, 'invalid_request_error', 'resource_missing', 'No such payment_intent');
      if (method === 'GET') return { status: 200, body: view(intent, expand) };
      if (intentMatch[2] === 'capture') {
        if (intent.status !== 'requires_capture')
          return stripeError(
            400,
            'invalid_request_error',
            'payment_intent_unexpected_state',
            `It is ${intent.status}`,
          );
        if (intent.failCapture) {
          intent.status = 'canceled';
          intent.last_payment_error = {
            type: 'card_error',
            code: 'card_declined',
            decline_code: 'capture_failed',
          };
          return stripeError(402, 'card_error', 'card_declined', 'The capture was declined', {
            decline_code: 'capture_failed',
          });
        }
        intent.status = 'succeeded';
        intent.amount_received = intent.amount;
        const charge = charges.get(intent.latest_charge ?? '');
        if (charge) charge.amount_captured = intent.amount;
        return { status: 200, body: view(intent, expand) };
      }
      if (intentMatch[2] === 'cancel') {
        if (intent.status === 'succeeded' || intent.status === 'canceled')
          return stripeError(
            400,
            'invalid_request_error',
            'payment_intent_unexpected_state',
            `It is ${intent.status}`,
          );
        intent.status = 'canceled';
        return { status: 200, body: view(intent, expand) };
      }
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = intents.get(String(body.payment_intent));
      const charge = charges.get(intent?.latest_charge ?? '');
      if (!intent || !charge || intent.status !== 'succeeded')
        return stripeError(
          400,
          'invalid_request_error',
          'charge_not_refundable',
          'Nothing captured to refund',
        );
      const amount = Number(body.amount ?? charge.amount_captured - charge.amount_refunded);
      if (charge.amount_refunded + amount > charge.amount_captured)
        return stripeError(
          400,
          'invalid_request_error',
          'amount_too_large',
          'The refund is larger than what is left',
        );
      charge.amount_refunded += amount;
      return {
        status: 200,
        body: { id: id('re'), object: 'refund', amount, payment_intent: intent.id, status: 'succeeded' },
      };
    }
    if (method === 'POST' && path === '/v1/accounts') {
      const account = {
        id: id('acct'),
        object: 'account',
        type: body.type,
        country: body.country,
        email: body.email,
      };
      accounts.add(account.id);
      return { status: 200, body: account };
    }
    if (method === 'POST' && path === '/v1/transfers') {
      if (!accounts.has(String(body.destination)))
        return stripeError(400, 'invalid_request_error', 'resource_missing', 'No such destination');
      return {
        status: 200,
        body: {
          id: id('tr'),
          object: 'transfer',
          amount: Number(body.amount),
          currency: body.currency,
          destination: body.destination,
        },
      };
    }
    return stripeError(
      404,
      'invalid_request_error',
      'resource_missing',
      `Unrecognized request URL (${method} ${path})`,
    );
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const url = new URL(request.url ?? '/', 'http://fake');
    const method = request.method ?? 'GET';
    const body = parseForm(raw);
    const key = (request.headers['idempotency-key'] as string | undefined) ?? null;
    requests.push({ method, path: url.pathname, idempotencyKey: key, body });
    const send = (status: number, payload: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
      response.end(JSON.stringify(payload));
    };
    if (request.headers.authorization !== `Bearer ${secretKey}`)
      return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    const failure = failures.find(
      (candidate) => url.pathname.startsWith(candidate.prefix) && candidate.count > 0,
    );
    if (failure) {
      failure.count -= 1;
      return send(500, { error: { type: 'api_error', message: 'Stripe is having a bad day (fake)' } });
    }
    const fingerprint = `${method} ${url.pathname} ${raw}`;
    if (key && method === 'POST') {
      const earlier = replays.get(key);
      if (earlier) {
        if (earlier.fingerprint !== fingerprint)
          return send(400, {
            error: {
              type: 'idempotency_error',
              message: 'Keys for idempotent requests can only be used with the same parameters',
            },
          });
        return send(earlier.status, earlier.body);
      }
    }
    const answer = route(method, url.pathname, body, parseForm(url.search.slice(1)));
    if (key && method === 'POST' && answer.status < 500) replays.set(key, { fingerprint, ...answer });
    send(answer.status, answer.body);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { type: 'api_error', message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    secretKey,
    webhookSecret,
    requests,
    intents,
    pay(intentId, outcome) {
      const intent = intents.get(intentId);
      if (!intent) throw new Error(`no intent ${intentId}`);
      if (outcome === 'declined') {
        intent.status = 'requires_payment_method';
        intent.last_payment_error = {
          type: 'card_error',
          code: 'card_declined',
          decline_code: 'generic_decline',
        };
        return intent;
      }
      if (outcome === 'requires_action') {
        intent.status = 'requires_action';
        return intent;
      }
      const charge: FakeCharge = {
        id: id('ch'),
        object: 'charge',
        payment_intent: intent.id,
        amount: intent.amount,
        amount_captured: 0,
        amount_refunded: 0,
      };
      charges.set(charge.id, charge);
      intent.latest_charge = charge.id;
      intent.status = 'requires_capture';
      intent.last_payment_error = null;
      intent.failCapture = outcome === 'fails_at_capture';
      return intent;
    },
    refundOutside(intentId, amount) {
      const charge = charges.get(intents.get(intentId)?.latest_charge ?? '');
      if (!charge) throw new Error('nothing to refund');
      charge.amount_refunded += amount;
    },
    event(type, object, eventOptions = {}) {
      const body = JSON.stringify({
        id: id('evt'),
        object: 'event',
        type,
        api_version: '2026-11-18.endive',
        created: Math.floor((eventOptions.at ?? new Date()).getTime() / 1000),
        livemode: false,
        data: { object },
      });
      return { body, signature: signWebhook(body, eventOptions.secret ?? webhookSecret, eventOptions.at) };
    },
    failNext(prefix, count) {
      failures.push({ prefix, count });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
