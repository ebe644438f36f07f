import type { CategoryDetail, CategoryNode, LocationNode } from '@souk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';

let t: TestApp;
let asAdmin: TestUser;
let asMember: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  asAdmin = await t.signUp({ role: 'admin' });
  asMember = await t.signUp();
});
afterAll(() => t.close());

const get = (url: string) => t.call('GET', url, null);
const tree = async () => (await get('/categories')).json().items as CategoryNode[];
const flatten = (nodes: CategoryNode[]): CategoryNode[] =>
  nodes.flatMap((node) => [node, ...flatten(node.children)]);

const create = (body: unknown, who: TestUser | null = asAdmin) => t.call('POST', '/categories', who, body);
const update = (id: string, body: unknown, who: TestUser = asAdmin) =>
  t.call('PATCH', `/categories/${id}`, who, body);

describe('empty catalog', () => {
  it('lists no categories before any exist', async () => {
    const response = await get('/categories');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ items: [] });
  });
});

describe('demo data', () => {
  beforeAll(async () => {
    await t.app.modules.catalog.seedDemoData();
  });

  it('has the demo taxonomy in order, with attribute schemas', async () => {
    const items = await tree();
    expect(items.map((node) => node.slug)).toEqual([
      'vehicles',
      'property',
      'electronics',
      'home-garden',
      'fashion',
      'collectibles',
      'services',
      'showcase',
    ]);
    const vehicles = items[0] as CategoryNode;
    expect(vehicles.attributes.map((attribute) => attribute.key)).toEqual(
      expect.arrayContaining(['year', 'mileageKm', 'fuel', 'colour', 'condition']),
    );
    expect(vehicles.children.map((child) => child.slug)).toEqual(
      expect.arrayContaining(['cars', 'motorcycles', 'vans']),
    );
  });

  it('resolves a car’s attributes: inherited from Vehicles first, then its own, with real makes and models', async () => {
    const response = await get('/categories/cars');
    expect(response.statusCode).toBe(200);
    const cars = response.json() as CategoryDetail;
    expect(cars.ancestors.map((ancestor) => ancestor.slug)).toEqual(['vehicles']);
    const keys = cars.attributes.map((attribute) => attribute.key);
    expect(keys.slice(0, 5)).toEqual(['year', 'mileageKm', 'fuel', 'colour', 'condition']);
    expect(keys).toEqual(expect.arrayContaining(['make', 'model', 'transmission', 'bodyType', 'engineCc']));
    const year = cars.attributes.find((attribute) => attribute.key === 'year');
    expect(year).toMatchObject({ type: 'integer', definedIn: 'vehicles', required: true, filterable: true });
    const mileage = cars.attributes.find((attribute) => attribute.key === 'mileageKm');
    expect(mileage).toMatchObject({ unit: 'km' });

    const make = cars.attributes.find((attribute) => attribute.key === 'make');
    const model = cars.attributes.find((attribute) => attribute.key === 'model');
    if (make?.type !== 'enum' || model?.type !== 'enum') throw new Error('make and model must be enums');
    expect(make.options.length).toBeGreaterThanOrEqual(40);
    expect(model.options.length).toBeGreaterThanOrEqual(300);
    expect(model.dependsOn).toBe('make');
    const makes = new Set(make.options.map((option) => option.value));
    expect(model.options.every((option) => option.parentValue && makes.has(option.parentValue))).toBe(true);
    expect(model.options).toContainEqual(
      expect.objectContaining({ value: 'corolla', parentValue: 'toyota' }),
    );
  });

  it('loads locations for Sri Lanka, Saudi Arabia and the UAE with coordinates', async () => {
    const all = (await get('/locations')).json().items as LocationNode[];
    expect(all.map((country) => country.countryCode).sort()).toEqual(['AE', 'LK', 'SA']);

    const response = await get('/locations?country=LK');
    expect(response.statusCode).toBe(200);
    const [lanka] = response.json().items as LocationNode[];
    expect(lanka?.name).toBe('Sri Lanka');
    expect(lanka?.children).toHaveLength(9); // provinces
    const districts = lanka?.children.flatMap((province) => province.children) ?? [];
    expect(districts).toHaveLength(25);
    const cities = districts.flatMap((district) => district.children);
    const colombo = cities.find((city) => city.name === 'Colombo');
    expect(colombo).toMatchObject({ kind: 'city', countryCode: 'LK' });
    expect(colombo?.latitude).toBeCloseTo(6.93, 1);
    expect(colombo?.longitude).toBeCloseTo(79.85, 1);
  });

  it('refuses a malformed country filter and answers an unknown one with nothing', async () => {
    const bad = await get('/locations?country=lka');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'querystring.country' }],
    });
    const none = await get('/locations?country=US');
    expect(none.json()).toEqual({ items: [] });
  });

  it('seeding again adds nothing', async () => {
    const before = flatten(await tree());
    const report = await t.app.modules.catalog.seedDemoData();
    expect(report.categories.added).toBe(0);
    expect(report.locations.added).toBe(0);
    const after = flatten(await tree());
    expect(after.map((node) => node.id)).toEqual(before.map((node) => node.id));
  });

  it('answers an unknown slug with 404 and a malformed one with 400', async () => {
    const missing = await get('/categories/no-such-category');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'category_not_found', status: 404 });
    const malformed = await get('/categories/Not%20A%20Slug');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'params.slug' }] });
  });
});

describe('admin writes', () => {
  let root: { id: string };
  let child: { id: string };

  it('refuses anonymous callers (401) and members (403), and writes nothing', async () => {
    const body = { slug: 'boats', name: 'Boats' };
    const anonymous = await create(body, null);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('unauthenticated');
    const member = await create(body, asMember);
    expect(member.statusCode).toBe(403);
    expect(member.json().code).toBe('forbidden');
    expect((await get('/categories/boats')).statusCode).toBe(404);
  });

  it('creates a category at the end of its level, and a child that inherits its attributes', async () => {
    const created = await create({
      slug: 'boats',
      name: '  Boats ',
      icon: '⛵',
      attributes: [
        { key: 'lengthM', label: 'Length', type: 'decimal', unit: 'm', min: 1, max: 100, filterable: true },
        {
          key: 'hull',
          label: 'Hull',
          type: 'enum',
          options: [
            { value: 'fibreglass', label: 'Fibreglass' },
            { value: 'wood', label: 'Wood' },
          ],
        },
      ],
    });
    expect(created.statusCode).toBe(201);
    root = created.json();
    expect(root).toMatchObject({ slug: 'boats', name: 'Boats', parentId: null, position: 8 });
    expect(created.json().attributes[0]).toMatchObject({ scale: 2, required: false, shownInCard: false });

    const sub = await create({
      parentId: root.id,
      slug: 'sailboats',
      name: 'Sailboats',
      attributes: [{ key: 'masts', label: 'Masts', type: 'integer', min: 1, max: 5 }],
    });
    expect(sub.statusCode).toBe(201);
    child = sub.json();
    const detail = (await get('/categories/sailboats')).json() as CategoryDetail;
    expect(detail.ancestors.map((ancestor) => ancestor.slug)).toEqual(['boats']);
    expect(detail.attributes.map((attribute) => [attribute.key, attribute.definedIn])).toEqual([
      ['lengthM', 'boats'],
      ['hull', 'boats'],
      ['masts', 'sailboats'],
    ]);
    // The cached tree was dropped by the write.
    expect((await tree()).map((node) => node.slug)).toContain('boats');
  });

  it('lets a child narrow an inherited attribute by redefining its key', async () => {
    const response = await create({
      parentId: root.id,
      slug: 'wooden-boats',
      name: 'Wooden boats',
      attributes: [{ key: 'hull', label: 'Hull', type: 'enum', options: [{ value: 'wood', label: 'Wood' }] }],
    });
    expect(response.statusCode).toBe(201);
    const detail = (await get('/categories/wooden-boats')).json() as CategoryDetail;
    const hull = detail.attributes.find((attribute) => attribute.key === 'hull');
    expect(hull).toMatchObject({ definedIn: 'wooden-boats', options: [{ value: 'wood' }] });
    expect(detail.attributes.map((attribute) => attribute.key)).toEqual(['lengthM', 'hull']);
  });

  it('refuses an invalid attribute schema with field errors and writes nothing', async () => {
    const response = await create({
      slug: 'bad-schema',
      name: 'Bad',
      attributes: [
        { key: 'size', label: 'Size', type: 'integer', min: 10, max: 1 },
        { key: 'size', label: 'Size again', type: 'boolean' },
        {
          key: 'model',
          label: 'Model',
          type: 'enum',
          dependsOn: 'brand',
          options: [{ value: 'x', label: 'X', parentValue: 'acme' }],
        },
      ],
    });
    expect(response.statusCode).toBe(400);
    const problem = response.json();
    expect(problem.code).toBe('invalid_attribute_schema');
    expect(problem.errors.map((error: { path: string }) => error.path)).toEqual([
      'body.attributes.0.min',
      'body.attributes.1.key',
      'body.attributes.2.dependsOn',
    ]);
    expect((await get('/categories/bad-schema')).statusCode).toBe(404);
  });

  it('refuses a dependent option whose parent value does not exist', async () => {
    const response = await create({
      parentId: root.id,
      slug: 'motorboats',
      name: 'Motorboats',
      attributes: [
        {
          key: 'engine',
          label: 'Engine',
          type: 'enum',
          dependsOn: 'hull',
          options: [
            { value: 'inboard', label: 'Inboard', parentValue: 'wood' },
            { value: 'outboard', label: 'Outboard', parentValue: 'steel' },
          ],
        },
      ],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { path: 'body.attributes.0.options.1.parentValue', message: 'must be one of the options of "hull"' },
    ]);
  });

  it('refuses wrong types, unknown fields, server-owned fields and huge values', async () => {
    const cases: unknown[] = [
      { slug: 'x' }, // name missing
      { slug: 'Has Spaces', name: 'X' },
      { slug: 'x', name: 42 },
      { slug: 'x', name: 'X', position: 0 }, // the server decides the position
      { slug: 'x', name: 'X', id: '01900000-0000-7000-8000-000000000001' },
      { slug: 'x', name: 'x'.repeat(81) },
      { slug: 'x', name: 'X', attributes: [{ key: 'a', label: 'A', type: 'colour' }] },
      {
        slug: 'x',
        name: 'X',
        attributes: Array.from({ length: 101 }, (_, i) => ({ key: `k${i}`, label: 'K', type: 'boolean' })),
      },
      { slug: 'x', name: 'X', parentId: 'not-a-uuid' },
      [],
    ];
    for (const body of cases) {
      const response = await create(body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.json().code).toBe('validation_failed');
      expect(response.json().errors.length).toBeGreaterThan(0);
    }
    expect((await get('/categories/x')).statusCode).toBe(404);
  });

  it('refuses a taken slug with 409, also when two admins race for it', async () => {
    const taken = await create({ slug: 'cars', name: 'Cars again' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('category_slug_taken');

    const racers = await Promise.all([
      create({ slug: 'kayaks', name: 'Kayaks' }),
      create({ slug: 'kayaks', name: 'Kayaks' }),
    ]);
    expect(racers.map((response) => response.statusCode).sort()).toEqual([201, 409]);
    expect(flatten(await tree()).filter((node) => node.slug === 'kayaks')).toHaveLength(1);
  });

  it('refuses an unknown parent', async () => {
    const response = await create({
      parentId: '01900000-0000-7000-8000-0000000000ff',
      slug: 'orphan',
      name: 'Orphan',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('parent_category_not_found');
  });

  it('renames and moves a category, and refuses moving it under its own descendant', async () => {
    const renamed = await update(child.id, { name: 'Sailing boats', slug: 'sailing-boats' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Sailing boats', slug: 'sailing-boats' });
    expect((await get('/categories/sailboats')).statusCode).toBe(404);

    const cycle = await update(root.id, { parentId: child.id });
    expect(cycle.statusCode).toBe(409);
    expect(cycle.json().code).toBe('category_cycle');
    const self = await update(root.id, { parentId: root.id });
    expect(self.statusCode).toBe(409);

    const vehicles = flatten(await tree()).find((node) => node.slug === 'vehicles') as CategoryNode;
    const moved = await update(root.id, { parentId: vehicles.id });
    expect(moved.statusCode).toBe(200);
    const detail = (await get('/categories/sailing-boats')).json() as CategoryDetail;
    expect(detail.ancestors.map((ancestor) => ancestor.slug)).toEqual(['vehicles', 'boats']);
    // Now under Vehicles, sailing boats inherit year and mileage as well.
    expect(detail.attributes.map((attribute) => attribute.key)).toContain('year');
  });

  it('refuses a parent change that would break a descendant’s dependent attribute', async () => {
    const cars = flatten(await tree()).find((node) => node.slug === 'cars') as CategoryNode;
    const electronics = flatten(await tree()).find((node) => node.slug === 'electronics') as CategoryNode;
    const response = await t.call('PATCH', `/categories/${cars.id}`, asAdmin, {
      attributes: [{ key: 'seats', label: 'Seats', type: 'integer' }],
    });
    // Cars has no children, so dropping make/model from Cars itself is allowed...
    expect(response.statusCode).toBe(200);
    // ...but a parent may not drop an attribute a child depends on.
    const phones = await create({
      parentId: electronics.id,
      slug: 'smart-watches',
      name: 'Smart watches',
      attributes: [
        {
          key: 'series',
          label: 'Series',
          type: 'enum',
          dependsOn: 'watchBrand',
          options: [{ value: 'series-9', label: 'Series 9', parentValue: 'apple' }],
        },
      ],
    });
    expect(phones.statusCode).toBe(400);
    const withBrand = await update(electronics.id, {
      attributes: [
        ...electronics.attributes,
        { key: 'watchBrand', label: 'Brand', type: 'enum', options: [{ value: 'apple', label: 'Apple' }] },
      ],
    });
    expect(withBrand.statusCode).toBe(200);
    expect(
      (
        await create({
          parentId: electronics.id,
          slug: 'smart-watches',
          name: 'Smart watches',
          attributes: [
            {
              key: 'series',
              label: 'Series',
              type: 'enum',
              dependsOn: 'watchBrand',
              options: [{ value: 'series-9', label: 'Series 9', parentValue: 'apple' }],
            },
          ],
        })
      ).statusCode,
    ).toBe(201);
    const breaking = await update(electronics.id, { attributes: electronics.attributes });
    expect(breaking.statusCode).toBe(400);
    expect(breaking.json().code).toBe('invalid_attribute_schema');
    expect(breaking.json().detail).toContain('smart-watches');
  });

  it('answers an empty or unknown update with 400 and an unknown id with 404', async () => {
    expect((await update(root.id, {})).statusCode).toBe(400);
    expect((await update(root.id, { colour: 'red' })).statusCode).toBe(400);
    const missing = await update('01900000-0000-7000-8000-0000000000ff', { name: 'Ghost' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('category_not_found');
  });

  it('reorders the children of a category, refusing a list that is not exactly them', async () => {
    const boats = flatten(await tree()).find((node) => node.slug === 'boats') as CategoryNode;
    const ids = boats.children.map((node) => node.id);
    expect(ids).toHaveLength(2);
    const reorder = (body: object) => t.call('POST', '/categories/reorder', asAdmin, body);

    for (const orderedIds of [[ids[0]], [ids[0], ids[0]], [...ids, root.id]]) {
      const response = await reorder({ parentId: boats.id, orderedIds });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('reorder_mismatch');
    }
    const reversed = [...ids].reverse();
    const response = await reorder({ parentId: boats.id, orderedIds: reversed });
    expect(response.statusCode).toBe(200);
    expect(response.json().items.map((item: { id: string }) => item.id)).toEqual(reversed);
    const after = flatten(await tree()).find((node) => node.slug === 'boats') as CategoryNode;
    expect(after.children.map((node) => node.id)).toEqual(reversed);

    const anonymous = await t.call('POST', '/categories/reorder', null, {
      parentId: boats.id,
      orderedIds: ids,
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('deletes a leaf, refuses a category with children', async () => {
    const refused = await t.call('DELETE', `/categories/${root.id}`, asAdmin);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('category_has_children');

    const byMember = await t.call('DELETE', `/categories/${child.id}`, asMember);
    expect(byMember.statusCode).toBe(403);

    const deleted = await t.call('DELETE', `/categories/${child.id}`, asAdmin);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await get('/categories/sailing-boats')).statusCode).toBe(404);
    const again = await t.call('DELETE', `/categories/${child.id}`, asAdmin);
    expect(again.statusCode).toBe(404);
  });
});

describe('the category tree over HTTP', () => {
  it('sends an ETag and answers a matching If-None-Match with 304, until the catalog changes', async () => {
    const first = await get('/categories');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await t.call('GET', '/categories', null, undefined, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    await create({ slug: 'etag-probe', name: 'ETag probe' });
    const changed = await t.call('GET', '/categories', null, undefined, { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.json().items.map((node: CategoryNode) => node.slug)).toContain('etag-probe');
  });

  it('compresses the tree for clients that accept gzip', async () => {
    const response = await t.call('GET', '/categories', null, undefined, { 'accept-encoding': 'gzip' });
    expect(response.headers['content-encoding']).toBe('gzip');
  });
});
