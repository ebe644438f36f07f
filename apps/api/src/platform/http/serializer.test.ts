import { Listing } from '@souk/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createResponseSerializerCompiler } from './serializer.js';

const compile = (schema: unknown, check: boolean) =>
  createResponseSerializerCompiler({ check })({ schema, method: 'GET', url: '/x', httpStatus: '200' });

type Node = { name: string; children: Node[] };
const Tree: z.ZodType<Node> = z.object({
  name: z.string(),
  get children() {
    return z.array(Tree);
  },
});

const Schema = z.object({
  id: z.uuid(),
  title: z.string(),
  price: z.object({ amount: z.number().int().nullable(), currency: z.enum(['LKR', 'USD']) }).nullable(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
  owners: z.record(z.string(), z.object({ name: z.string() })),
  choice: z.union([z.object({ a: z.string() }), z.object({ b: z.number() })]),
  note: z.string().optional(),
  flags: z.object({ on: z.boolean().default(true) }),
  at: z.date(),
  tree: Tree,
});

const value = {
  id: '01a1ff2f-6a5b-7202-8800-0954cc3cf25d',
  title: 'A "quoted" title\n',
  price: { amount: 1200, currency: 'LKR', secretCost: 3 },
  attributes: { year: 2019, colour: 'red', used: false, extras: ['a', 'b'] },
  owners: { first: { name: 'Amaya', passwordHash: 'x' } },
  choice: { b: 2, leaked: true },
  flags: { on: false, internal: 1 },
  at: new Date('2026-01-02T03:04:05.000Z'),
  tree: { name: 'root', children: [{ name: 'leaf', children: [], depth: 1 }], extra: 'no' },
  sellerEmail: 'private@example.test',
};

describe('response serializer', () => {
  it('sends exactly the JSON zod would, without fields the schema does not list', () => {
    const zodJson = JSON.stringify(z.encode(Schema, value as never));
    for (const check of [false, true]) {
      const json = compile(Schema, check)(value);
      expect(json).toBe(zodJson);
      expect(json).not.toContain('secretCost');
      expect(json).not.toContain('passwordHash');
      expect(json).not.toContain('private@example.test');
      expect(json).not.toContain('leaked');
      expect(json).not.toContain('depth');
    }
  });

  it('gives a listing the same bytes as zod', () => {
    const listing = {
      id: '01a1ff2f-6a5b-7202-8800-0954cc3cf25d',
      kind: 'classified',
      status: 'active',
      title: 'Toyota Aqua 2016',
      price: { type: 'fixed', amount: 450000000, currency: 'LKR' },
      condition: 'used',
      category: { id: '01a1ff2f-6a5b-7202-8800-0954cc3cf25e', slug: 'cars', name: 'Cars' },
      location: null,
      primaryImage: null,
      publishedAt: '2026-01-02T03:04:05.000Z',
      featured: false,
      viewCount: 3,
      cardAttributes: [],
      description: 'Well kept.',
      quantity: 1,
      attributes: { make: 'toyota', year: 2016, hybrid: true, extras: ['ac'] },
      features: [],
      contact: { messages: true, phone: false, offers: true },
      coordinates: { latitude: 6.93, longitude: 79.85 },
      images: [],
      seller: {
        id: '01a1ff2f-6a5b-7202-8800-0954cc3cf25f',
        displayName: 'A',
        avatarUrl: null,
        memberSince: '2026-01-02T03:04:05.000Z',
      },
      expiresAt: null,
      featuredFrom: null,
      featuredUntil: null,
      createdAt: '2026-01-02T03:04:05.000Z',
      updatedAt: '2026-01-02T03:04:05.000Z',
    };
    expect(compile(Listing, false)(listing)).toBe(JSON.stringify(z.encode(Listing, listing as never)));
  });

  it('still refuses a response that breaks its schema when checking (tests, development)', () => {
    expect(() => compile(Schema, true)({ ...value, id: 'not-a-uuid' })).toThrow(/Response doesn't match/);
  });
});
