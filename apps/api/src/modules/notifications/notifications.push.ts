import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { request } from 'undici';
import webpush from 'web-push';

export type PushTarget = { endpoint: string; p256dh: string; auth: string };
export type VapidKeys = { publicKey: string; privateKey: string };
/** `gone`: the push service says the subscription no longer exists (404/410): delete it. */
export type PushOutcome = 'sent' | 'gone';

/** Sends one encrypted message to one browser's push service. Rejects on any other failure. */
export type PushSender = (
  target: PushTarget,
  payload: string,
  options: { ttlSeconds: number; topic?: string },
) => Promise<PushOutcome>;

/** Known push services. Only these are posted to: the endpoint is user input (no SSRF). */
const PUSH_SERVICE_HOSTS = [
  'fcm.googleapis.com',
  'android.googleapis.com',
  'updates.push.services.mozilla.com',
  'push.services.mozilla.com',
  'web.push.apple.com',
  'notify.windows.com',
  'push.api.chromium.org',
];

/** Whether Souk may post to this endpoint: https on a known push service; loopback http too outside production (tests). */
export function isAllowedPushEndpoint(endpoint: string, allowLoopback: boolean): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (allowLoopback && (url.hostname === '127.0.0.1' || url.hostname === 'localhost')) return true;
  if (url.protocol !== 'https:' || url.username || url.password || (url.port && url.port !== '443'))
    return false;
  const host = url.hostname.toLowerCase();
  return PUSH_SERVICE_HOSTS.some((known) => host === known || host.endsWith(`.${known}`));
}

/**
 * The VAPID private key is kept sealed (AES-256-GCM, `v1.<iv>.<tag>.<data>`) with a key derived
 * from the auth secret, which lives outside the database: a database dump holds every device's
 * subscription, and with the private key beside it anyone could push to all of them.
 */
export function sealSecret(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** The sealed secret, or null when it was sealed with another key (the auth secret changed). */
export function openSecret(key: Buffer, sealed: string): string | null {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !data) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return null;
  }
}

export function generateVapidKeys(): VapidKeys {
  return webpush.generateVAPIDKeys();
}

/**
 * web-push encrypts the payload (RFC 8291) and signs the VAPID header (RFC 8292); the request
 * itself goes through fetch with a timeout, so a stalled push service cannot hold a job forever.
 */
export function createWebPushSender(options: {
  keys: () => Promise<VapidKeys>;
  subject: string;
  timeoutMs?: number;
}): PushSender {
  return async (target, payload, { ttlSeconds, topic }) => {
    const keys = await options.keys();
    const details = webpush.generateRequestDetails(
      { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
      payload,
      {
        vapidDetails: { subject: options.subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
        TTL: ttlSeconds,
        urgency: 'normal',
        ...(topic ? { topic } : {}),
      },
    );
    // undici's request, as the image fetcher of imports uses: one HTTP client in the process
    // (Node 20's built-in fetch breaks on this request once npm undici is its global dispatcher).
    // It follows no redirect, so a 3xx is a failure like any other non-2xx answer.
    const answer = await request(details.endpoint, {
      method: 'POST',
      headers: Object.fromEntries(
        Object.entries(details.headers).map(([name, value]) => [name, String(value)]),
      ),
      body: details.body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    await answer.body.dump();
    const response = { status: answer.statusCode };
    if (response.status === 404 || response.status === 410) return 'gone';
    if (response.status < 200 || response.status >= 300) {
      throw new Error(`push service answered ${response.status}`);
    }
    return 'sent';
  };
}
