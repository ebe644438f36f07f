// The bare baseline of bench/listing.bench.ts: plain Fastify (no schemas, no hooks, no plugins)
// and the database driver, answering GET /api/v1/listings/:id with the same SQL statements Souk
// sends for it and the same JSON. Run as a child process, like the Souk server it is compared with.
//
//   DATABASE_URL=postgres://… PORT=0 node bench/listing-baseline.mjs    # pg Pool (max POOL_MAX, 10)
//   PGLITE_DIR=/tmp/copy/pglite PORT=0 node bench/listing-baseline.mjs  # PGlite in this process
//
// What Souk does per request for an anonymous viewer of an active listing (listings.service.ts
// `get` and `toListing`, listings.repository.ts, media.service.ts `imagesOf`, users.service.ts
// `cardsOf`), statement by statement:
//   1. select the listing row by id;
//   2. insert the view (listing, viewer, day) on conflict do nothing returning listing_id;
//   3. only when that inserted a row: update listings set view_count = view_count + 1;
//   4. at the same time: select the listing's images and the seller's profile.
// Category and location names come from Souk's in-memory catalog cache (reloaded at most once a
// minute), so they are loaded once here. bench/listing.bench.ts counts the statements per request
// of both servers and reports when they differ.
//
// When listening, the server writes one line `listening <port>` to stdout.
import { createHash } from 'node:crypto';
import Fastify from 'fastify';

const listingColumns = [
  'id',
  'seller_id',
  'category_id',
  'location_id',
  'external_id',
  'kind',
  'status',
  'title',
  'description',
  'price_type',
  'price_amount',
  'currency',
  'condition',
  'quantity',
  'attributes',
  'features',
  'contact',
  'latitude',
  'longitude',
  'view_count',
  'featured_from',
  'featured_until',
  'published_at',
  'expires_at',
  'sold_at',
  'deleted_at',
  'created_at',
  'updated_at',
];
const profileColumns = [
  'user_id',
  'display_name',
  'bio',
  'avatar_key',
  'location_id',
  'phone',
  'seller_business_name',
  'seller_description',
  'seller_website',
  'seller_opening_hours',
  'preferences',
  'created_at',
  'updated_at',
];
const quoted = (columns) => columns.map((column) => `"${column}"`).join(', ');
// The statements as drizzle writes them (same text, same parameters). Souk sends them as named
// prepared statements (apps/api/src/platform/db/prepared.ts, same names), parsed and planned once
// per connection; so does this server, through pg's `name` option.
const SELECT_LISTING = `select ${quoted(listingColumns)} from "listings" where "listings"."id" = $1`;
const INSERT_VIEW =
  'insert into "listing_views" ("listing_id", "viewer", "day", "viewed_at") values ($1, $2, $3, default) on conflict do nothing returning "listing_id"';
const COUNT_VIEW =
  'update "listings" set "view_count" = "listings"."view_count" + 1 where "listings"."id" = $1';
const SELECT_PROFILES = `select ${quoted(profileColumns)} from "profiles" where "profiles"."user_id" = any($1::uuid[])`;
const imageColumns = [
  'id',
  'owner_id',
  'listing_id',
  'message_id',
  'storage_prefix',
  'variant_widths',
  'width',
  'height',
  'bytes',
  'placeholder',
  'source',
  'position',
  'is_primary',
  'created_at',
  'deleted_at',
];
const SELECT_IMAGES = `select ${quoted(imageColumns)} from "media_images" where ("media_images"."listing_id" = any($1::uuid[]) and "media_images"."deleted_at" is null) order by "media_images"."listing_id" asc, "media_images"."position" asc, "media_images"."id" asc`;

async function connect() {
  if (process.env.DATABASE_URL) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({
      connectionString: process.env.DATABASE_URL,
      max: Number(process.env.POOL_MAX ?? 10),
      application_name: 'souk-bench-baseline',
    });
    return {
      query: async (text, values, name) => (await pool.query({ name, text, values })).rows,
      close: () => pool.end(),
    };
  }
  if (process.env.PGLITE_DIR) {
    const { PGlite } = await import('@electric-sql/pglite');
    // The same extensions as Souk's (platform/db/database.ts): the data directory's indexes need them.
    const contrib = ['btree_gin', 'citext', 'cube', 'earthdistance', 'ltree', 'pg_trgm', 'unaccent'];
    const extensions = {};
    for (const name of contrib) {
      extensions[name] = (await import(`@electric-sql/pglite/contrib/${name}`))[name];
    }
    const db = await PGlite.create(process.env.PGLITE_DIR, { extensions });
    return {
      query: async (text, values) => (await db.query(text, values)).rows,
      close: () => db.close(),
    };
  }
  console.error('set DATABASE_URL or PGLITE_DIR');
  process.exit(2);
}

const db = await connect();
const categories = new Map(
  (await db.query('select "id", "slug", "name" from "categories"', [])).map((row) => [
    row.id,
    { id: row.id, slug: row.slug, name: row.name },
  ]),
);
const locations = new Map(
  (await db.query('select "id", "name", "country_code" from "locations"', [])).map((row) => [
    row.id,
    { id: row.id, name: row.name, countryCode: row.country_code },
  ]),
);

const iso = (date) => (date ? new Date(date).toISOString() : null);
const round = (value) => Number(value.toFixed(2));
const notFound = JSON.stringify({
  type: 'urn:souk:problem:listing_not_found',
  title: 'Listing not found',
  status: 404,
  code: 'listing_not_found',
});

function priceOf(row) {
  if (!row.price_type) return null;
  if (row.price_type === 'free') return { type: 'free', amount: null, currency: null };
  return {
    type: row.price_type,
    amount: row.price_amount === null ? null : Number(row.price_amount),
    currency: row.currency,
  };
}

/** Local disk storage's URLs (the bench runs Souk without S3). */
const imagesOf = (rows) =>
  rows.map((row) => ({
    id: row.id,
    position: row.position,
    primary: row.is_primary,
    width: row.width,
    height: row.height,
    placeholder: row.placeholder,
    variants: row.variant_widths.map((width) => ({
      width,
      url: `/media/${row.storage_prefix}/${width}.webp`,
    })),
  }));

const app = Fastify({ logger: false });

app.get('/api/v1/listings/:id', async (request, reply) => {
  const { id } = request.params;
  const [row] = await db.query(SELECT_LISTING, [id], 'listings_by_id');
  if (!row || row.deleted_at || row.status === 'draft' || row.status === 'removed') {
    return reply.code(404).type('application/problem+json').send(notFound);
  }
  let viewCount = row.view_count;
  if (row.status === 'active') {
    const userAgent =
      typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null;
    const viewer = `anon:${createHash('sha256').update(`${request.ip}|${userAgent}`).digest('base64url').slice(0, 22)}`;
    const day = new Date().toISOString().slice(0, 10);
    const inserted = await db.query(INSERT_VIEW, [id, viewer, day], 'listing_views_insert');
    if (inserted.length > 0) {
      await db.query(COUNT_VIEW, [id], 'listings_count_view');
      viewCount += 1;
    }
  }
  const [imageRows, [profile]] = await Promise.all([
    db.query(SELECT_IMAGES, [[id]], 'media_images_of_listings'),
    db.query(SELECT_PROFILES, [[row.seller_id]], 'profiles_by_ids'),
  ]);
  const images = imagesOf(imageRows);
  const now = new Date();
  const location = row.location_id ? locations.get(row.location_id) : undefined;
  const featuredFrom = row.featured_from ? new Date(row.featured_from) : null;
  const featuredUntil = row.featured_until ? new Date(row.featured_until) : null;
  const contact = row.contact;
  const body = {
    id: row.id,
    kind: row.kind,
    status: row.status,
    title: row.title,
    price: priceOf(row),
    condition: row.condition ?? null,
    category: categories.get(row.category_id) ?? { id: row.category_id, slug: 'unknown', name: 'Unknown' },
    location: location ?? null,
    primaryImage: images.find((image) => image.primary) ?? images[0] ?? null,
    publishedAt: iso(row.published_at),
    featured: Boolean(featuredFrom && featuredUntil && featuredFrom <= now && featuredUntil > now),
    viewCount,
    description: row.description,
    quantity: row.quantity,
    attributes: row.attributes,
    features: row.features,
    contact: { messages: contact.messages, phone: contact.phone, offers: contact.offers },
    coordinates:
      row.latitude === null || row.longitude === null
        ? null
        : { latitude: round(row.latitude), longitude: round(row.longitude) },
    images,
    seller: {
      id: row.seller_id,
      displayName: profile?.display_name ?? 'Deleted user',
      avatarUrl: profile?.avatar_key ? `/media/${profile.avatar_key}` : null,
      memberSince: iso(profile?.created_at ?? row.created_at),
    },
    expiresAt: iso(row.expires_at),
    featuredFrom: iso(featuredFrom),
    featuredUntil: iso(featuredUntil),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
});

const address = await app.listen({
  port: Number(process.env.PORT ?? 0),
  host: process.env.HOST ?? '127.0.0.1',
});
process.stdout.write(`listening ${new URL(address).port}\n`);

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    setTimeout(() => process.exit(0), 2000).unref();
    app
      .close()
      .then(() => db.close())
      .finally(() => process.exit(0));
  });
}
