import type { ImportJob } from '@souk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../../modules/media/media.test-support.js';
import { listingFixtures } from '../../test-support/listing-fixtures.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { waitFor } from '../../test-support/wait.js';
import { unstorableFields, unstorableText } from './nul-guard.js';

let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  // With a worker: imports read files in a job.
  t = await createTestApp({ work: true });
  admin = await t.signUp({ role: 'admin' });
});
afterAll(() => t?.close());

const NUL = 'a\u0000b';
const SOME_ID = '0190a7b2-0000-7000-8000-000000000001';

// Each request from its own address: per-route rate limits must not answer before the guard.
let clients = 0;
const nextAddress = () => {
  clients += 1;
  return `10.${Math.floor(clients / 62500) % 250}.${Math.floor(clients / 250) % 250}.${(clients % 250) + 1}`;
};

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};
type Parameter = { in: 'path' | 'query' | 'header' | 'cookie'; name: string; schema?: JsonSchema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
};
type Spec = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

/**
 * A body shaped like `schema` whose every text field (and one key of every record) holds NUL,
 * with the paths the guard must name. Other values are left out: the guard runs before
 * validation, so it is the only thing that can answer.
 */
function nulBody(
  spec: Spec,
  schema: JsonSchema | undefined,
  path: string,
  depth = 0,
): { value: unknown; paths: string[] } | null {
  if (!schema || depth > 8) return null;
  if (schema.$ref) {
    const name = schema.$ref.split('/').at(-1) as string;
    return nulBody(spec, spec.components?.schemas?.[name], path, depth + 1);
  }
  for (const branches of [schema.anyOf, schema.oneOf, schema.allOf]) {
    if (!branches) continue;
    for (const branch of branches) {
      const found = nulBody(spec, branch, path, depth + 1);
      if (found) return found;
    }
    return null;
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('string')) return { value: NUL, paths: [path] };
  if (types.includes('array') || schema.items) {
    const item = nulBody(spec, schema.items, `${path}.0`, depth + 1);
    return item ? { value: [item.value], paths: item.paths } : null;
  }
  if (types.includes('object') || schema.properties || schema.additionalProperties) {
    const value: Record<string, unknown> = {};
    const paths: string[] = [];
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      const found = nulBody(spec, property, `${path}.${key}`, depth + 1);
      if (!found) continue;
      value[key] = found.value;
      paths.push(...found.paths);
    }
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      const found = nulBody(spec, schema.additionalProperties, `${path}.key`, depth + 1);
      if (found) {
        value.key = found.value;
        paths.push(...found.paths);
      }
    }
    return paths.length > 0 ? { value, paths } : null;
  }
  return null;
}

type Probe = { name: string; method: string; url: string; payload?: unknown; paths: string[] };

/** One request per path parameter, one with every string query parameter, one with every body text field. */
function probesOf(spec: Spec): Probe[] {
  const probes: Probe[] = [];
  for (const [template, operations] of Object.entries(spec.paths)) {
    if (!template.startsWith('/api/')) continue;
    for (const [method, operation] of Object.entries(operations)) {
      const parameters = operation.parameters ?? [];
      const pathParams = parameters.filter((parameter) => parameter.in === 'path');
      const url = (nulParam?: string) =>
        template.replace(/\{(\w+)\}/g, (_, name: string) =>
          name === nulParam ? encodeURIComponent(NUL) : name === 'type' ? 'member' : SOME_ID,
        );
      const verb = method.toUpperCase();
      for (const parameter of pathParams) {
        probes.push({
          name: `${verb} ${template} params.${parameter.name}`,
          method: verb,
          url: url(parameter.name),
          paths: [`params.${parameter.name}`],
        });
      }
      const query = parameters.filter((parameter) => parameter.in === 'query');
      if (query.length > 0) {
        const search = query.map((parameter) => `${parameter.name}=${encodeURIComponent(NUL)}`).join('&');
        probes.push({
          name: `${verb} ${template} query`,
          method: verb,
          url: `${url()}?${search}`,
          paths: query.map((parameter) => `query.${parameter.name}`),
        });
      }
      const json = operation.requestBody?.content?.['application/json']?.schema;
      const body = nulBody(spec, json, 'body');
      if (body)
        probes.push({
          name: `${verb} ${template} body`,
          method: verb,
          url: url(),
          payload: body.value,
          paths: body.paths,
        });
    }
  }
  return probes;
}

describe('text PostgreSQL cannot store', () => {
  it('names NUL and unpaired surrogates, in values and in keys', () => {
    expect(unstorableText('plain, ünïcode and 👍')).toBeNull();
    expect(unstorableText('a\u0000b')).toMatch(/NUL/);
    expect(unstorableText('cut emoji \ud83d')).toMatch(/surrogate/);
    expect(unstorableText('\udc4d reversed')).toMatch(/surrogate/);
    expect(
      unstorableFields({
        params: { id: 'fine' },
        query: { q: ['ok', 'b\u0000'] },
        body: {
          title: 'ok',
          attributes: { 'colour\u0000': 'red', size: '\ud800' },
          features: ['x', 'y\u0000'],
        },
      }),
    ).toEqual([
      { path: 'query.q.1', message: 'must not contain the NUL character (U+0000)' },
      {
        path: 'body.attributes.colour\ufffd',
        message: 'its name must not contain the NUL character (U+0000)',
      },
      { path: 'body.attributes.size', message: 'must be valid Unicode text (it has an unpaired surrogate)' },
      { path: 'body.features.1', message: 'must not contain the NUL character (U+0000)' },
    ]);
  });

  it('every route with text input (from the OpenAPI document) answers 400 naming the field, never 500', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as Spec;
    const probes = probesOf(spec);
    // The operations the issue found, among many more: the document drives the list.
    const names = probes.map((probe) => probe.name);
    for (const expected of [
      'POST /api/v1/auth/register body',
      'GET /api/v1/search query',
      'GET /api/v1/search/suggestions query',
      'PATCH /api/v1/users/{id} body',
      'PUT /api/v1/users/{id}/seller body',
      'POST /api/v1/listings body',
      'PATCH /api/v1/listings/{id} body',
      'POST /api/v1/search/saved body',
      'POST /api/v1/reviews body',
      'PUT /api/v1/reviews/{id}/response body',
    ]) {
      expect(names).toContain(expected);
    }
    expect(probes.length).toBeGreaterThan(100);
    const wrong: string[] = [];
    for (const probe of probes) {
      for (const headers of [{}, admin.headers]) {
        const response = await t.app.inject({
          method: probe.method as 'GET',
          url: probe.url,
          headers,
          remoteAddress: nextAddress(),
          ...(probe.payload !== undefined ? { payload: probe.payload as object } : {}),
        });
        const problem = String(response.headers['content-type']).startsWith('application/problem+json')
          ? response.json()
          : null;
        const named = (problem?.errors ?? []).map((error: { path: string }) => error.path);
        if (
          response.statusCode !== 400 ||
          problem?.code !== 'validation_failed' ||
          !probe.paths.every((path) => named.includes(path))
        ) {
          wrong.push(
            `${probe.name} (${'authorization' in headers ? 'admin' : 'anonymous'}): ${response.statusCode} ${response.body.slice(0, 160)}`,
          );
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('with otherwise valid input, a NUL is refused and nothing is stored', async () => {
    const fixtures = await listingFixtures(t);
    const seller = await t.signUp();
    const draft = await fixtures.draft(seller, { title: 'Honda Civic 2015' });

    const register = await fixtures.call('POST', '/auth/register', null, {
      email: 'nul@example.test',
      password: 'correct horse battery staple',
      displayName: 'Null\u0000Byte',
    });
    expect(register.statusCode, register.body).toBe(400);
    expect(register.json().errors).toEqual([
      { path: 'body.displayName', message: 'must not contain the NUL character (U+0000)' },
    ]);
    const login = await fixtures.call('POST', '/auth/login', null, {
      email: 'nul@example.test',
      password: 'correct horse battery staple',
    });
    expect(login.statusCode).toBe(401);

    for (const body of [
      { title: 'Honda\u0000Civic' },
      { features: ['Sunroof', 'A/C\u0000'] },
      { title: 'Honda \ud83d' },
    ]) {
      const response = await fixtures.call('PATCH', `/listings/${draft.id}`, seller, body);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().code).toBe('validation_failed');
    }
    const stored = (await fixtures.call('GET', `/listings/${draft.id}`, seller)).json();
    expect(stored.title).toBe('Honda Civic 2015');
    expect(stored.features).toEqual(draft.features);

    for (const url of [
      '/search?q=Honda%00',
      '/search/suggestions?q=Hon%00da',
      `/users/${encodeURIComponent(NUL)}/stats`,
    ]) {
      const response = await fixtures.call('GET', url, null);
      expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
    }
    // The escaped form of the JSON text, as a client sends it.
    const raw = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/listings/${draft.id}`,
      headers: { ...seller.headers, 'content-type': 'application/json' },
      payload: '{"title":"Honda \\u0000 Civic","attributes":{"\\ud800":"x"}}',
    });
    expect(raw.statusCode).toBe(400);
    expect(raw.json().errors.map((error: { path: string }) => error.path)).toEqual([
      'body.title',
      'body.attributes.\ufffd',
    ]);
  });

  it('an import file with such text fails that row, naming the field, and imports the others', async () => {
    await t.app.modules.catalog.seedDemoData();
    const seller = await t.signUp();
    const header =
      'external_id,category,title,description,price,currency,price_type,condition,quantity,city,status';
    const files: [string, string][] = [
      [
        'stock.csv',
        `${header}\nok-1,cars,A good car,Nice car for sale,100,LKR,fixed,used,1,colombo,draft\n` +
          'bad-1,cars,Bad\u0000car,Nice car for sale,100,LKR,fixed,used,1,colombo,draft\n',
      ],
      [
        'stock.jsonl',
        `${JSON.stringify({ external_id: 'bad-2', category: 'cars', title: 'A car', description: 'Nice car for sale', price: 100, currency: 'LKR', price_type: 'fixed', condition: 'used', quantity: 1, city: 'colombo', status: 'draft', attributes: { make: 'to\u0000yota' } })}\n` +
          '{"external_id":"bad-3","category":"cars","title":"Cut \\ud83d emoji","description":"Nice car for sale","price":100,"currency":"LKR","price_type":"fixed","condition":"used","quantity":1,"city":"colombo","status":"draft"}\n',
      ],
    ];
    const outcomes = [];
    for (const [index, [name, content]] of files.entries()) {
      const body = multipart([
        { data: Buffer.from(content), filename: name, type: 'text/plain', field: 'file' },
      ]);
      const response = await t.app.inject({
        method: 'POST',
        // A dry run reads and checks every row as an import does, writing no listing.
        url: '/api/v1/imports?dryRun=true',
        headers: { ...seller.headers, 'content-type': body.contentType },
        payload: body.payload,
        remoteAddress: `10.99.0.${index + 1}`,
      });
      expect(response.statusCode, response.body).toBe(202);
      const id = (response.json() as ImportJob).id;
      // Before, the row's insert failed the whole batch, and storing its failure (quoting the
      // value) failed too: the import never finished and blocked the seller's next one.
      const job = await waitFor(async () => {
        const current: ImportJob = (
          await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: seller.headers })
        ).json();
        return current.status === 'completed' || current.status === 'failed' ? current : null;
      });
      const failures = (
        await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}/failures`, headers: seller.headers })
      ).json();
      outcomes.push({ status: job.status, created: job.progress.created, failed: failures.items });
    }
    expect(outcomes).toEqual([
      {
        status: 'completed',
        created: 1,
        failed: [
          {
            row: 3,
            externalId: null,
            errors: [{ path: 'line', message: 'title: must not contain the NUL character (U+0000)' }],
          },
        ],
      },
      {
        status: 'completed',
        created: 0,
        failed: [
          {
            row: 1,
            externalId: null,
            errors: [
              { path: 'line', message: 'attributes.make: must not contain the NUL character (U+0000)' },
            ],
          },
          {
            row: 2,
            externalId: null,
            errors: [
              { path: 'line', message: 'title: must be valid Unicode text (it has an unpaired surrogate)' },
            ],
          },
        ],
      },
    ]);
  });
});
