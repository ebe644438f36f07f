import type { CategoryDetail, Listing, LocationNode } from '@souk/contracts';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { openPage, phone, type WatchedPage } from './browser';

/** The password every browser test's members sign up with (long and uncommon: the policy takes it). */
export const MEMBER_PASSWORD = 'teak-veranda-monsoon-42';

/**
 * A member signed up through the sign-up page in a fresh phone-sized context of their own (the
 * session cookie is theirs alone), left on "Check your e-mail". The context is the test file's
 * to close (its `newContext` says how).
 */
export async function signUpMember(
  options: {
    /** Opens a context the test file closes (`browserSuite(…).newContext`). */
    newContext: (options: BrowserContextOptions) => Promise<BrowserContext>;
    baseURL: string;
    timeoutMs: number;
  },
  name: string,
  email: string,
): Promise<WatchedPage> {
  const context = await options.newContext({ ...phone, baseURL: options.baseURL });
  context.setDefaultTimeout(options.timeoutMs);
  const watched = await openPage(context);
  const { page } = watched;
  await page.goto('/sign-up');
  await page.getByLabel('Display name', { exact: true }).fill(name);
  await page.getByLabel('E-mail', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(MEMBER_PASSWORD);
  await page.getByRole('button', { name: 'Create account', exact: true }).click();
  await page
    .getByRole('heading', { level: 1, name: 'Check your e-mail' })
    .waitFor({ state: 'visible', timeout: options.timeoutMs });
  // Publishing, writing to a seller and reviewing need a confirmed address.
  await confirmEmail(options.baseURL, email, options.timeoutMs);
  return watched;
}

/**
 * Confirms an address with the link of its verification mail, read from the dev mailbox (the
 * mail goes out from a background job: it is waited for).
 */
export async function confirmEmail(baseUrl: string, email: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const list = (await apiJson(baseUrl, '/api/v1/dev/mailbox?limit=50')) as {
      items: { id: string; to: string }[];
    };
    for (const item of list.items.filter((mail) => mail.to === email)) {
      const mail = (await apiJson(baseUrl, `/api/v1/dev/mailbox/${item.id}`)) as { text: string };
      const token = /verify-email\?token=([\w%-]+)/.exec(mail.text)?.[1];
      if (token) {
        await apiJson(baseUrl, '/api/v1/auth/verify-email', {
          method: 'POST',
          body: { token: decodeURIComponent(token) },
        });
        return;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no verification mail reached ${email}`);
}

/** The CSRF header a page's cookie session needs for a write through `page.request`. */
export async function csrfHeaders(page: Page): Promise<Record<string, string>> {
  const token = ((await (await page.request.get('/api/v1/auth/csrf')).json()) as { token: string }).token;
  return { 'x-csrf-token': token };
}

/** Colombo's location id, from the catalog's Sri Lankan tree. */
export function colomboOf(lanka: LocationNode): string {
  return (
    lanka.children
      .flatMap((province) => province.children)
      .flatMap((district) => district.children)
      .find((city) => city.name === 'Colombo') as LocationNode
  ).id;
}

export type CarListing = {
  title: string;
  description: string;
  /** LKR, in cents. */
  amount: number;
  attributes: Record<string, string | number>;
};

/** A published car in Colombo, made through the API with the page's own session cookie. */
export async function publishCar(page: Page, car: CarListing): Promise<Listing> {
  const headers = await csrfHeaders(page);
  const cars = (await (await page.request.get('/api/v1/categories/cars')).json()) as CategoryDetail;
  const lanka = (
    (await (await page.request.get('/api/v1/locations?country=LK')).json()) as { items: LocationNode[] }
  ).items[0] as LocationNode;
  const draft = await page.request.post('/api/v1/listings', {
    headers,
    data: {
      categoryId: cars.id,
      title: car.title,
      description: car.description,
      price: { type: 'fixed', amount: car.amount, currency: 'LKR' },
      condition: 'used',
      locationId: colomboOf(lanka),
      attributes: car.attributes,
    },
  });
  expect(draft.status(), await draft.text()).toBe(201);
  const id = ((await draft.json()) as Listing).id;
  const published = await page.request.post(`/api/v1/listings/${id}/publish`, { headers });
  expect(published.status(), await published.text()).toBe(200);
  return (await published.json()) as Listing;
}

/** JSON over the API from outside any browser (a Bearer token when given); throws on non-2xx. */
export async function apiJson(
  baseUrl: string,
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body ? JSON.stringify(init.body) : null,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
