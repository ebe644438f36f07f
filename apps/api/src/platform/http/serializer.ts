import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { InvalidSchemaError, ResponseSerializationError } from 'fastify-type-provider-zod';
import { $ZodType, safeEncode } from 'zod/v4/core';

/** Turns a value into what zod's encode would give for it, as far as JSON can tell. */
type Projection = (value: unknown) => unknown;

/**
 * Sentinel of `projectionOf`: the value serializes to the same JSON as zod's output for it
 * (strings, numbers, booleans, null, enums, and arrays or records of them), so it is used as is.
 */
const AS_IS = null;

// Wrappers whose encode output is their inner schema's.
const WRAPPERS = new Set(['default', 'prefault', 'readonly', 'nonoptional']);
const LEAVES = new Set([
  'string',
  'number',
  'int',
  'boolean',
  'null',
  'enum',
  'literal',
  'template_literal',
  'any',
  'unknown',
  'nan',
]);

type Def = {
  type: string;
  innerType?: $ZodType;
  element?: $ZodType;
  shape?: Record<string, $ZodType>;
  catchall?: $ZodType;
  keyType?: $ZodType;
  valueType?: $ZodType;
  options?: $ZodType[];
  discriminator?: string;
};

/** zod's own encode, for the shapes the projection does not cover: validation included. */
function viaZod(schema: $ZodType): Projection {
  return (value) => {
    const result = safeEncode(schema, value);
    if (result.error) throw result.error;
    return result.data;
  };
}

/**
 * What a response schema keeps of a value: objects are rebuilt with exactly the schema's keys
 * in its order (so no unlisted field leaves the server), everything JSON shows as it is passes
 * through. Types the projection does not know (transforms, dates, unions of objects, lazy…)
 * are encoded by zod itself.
 */
export function projectionOf(schema: $ZodType): Projection | typeof AS_IS {
  return projection(schema, new Map());
}

type Memo = Map<$ZodType, Projection | typeof AS_IS | 'pending'>;

function projection(schema: $ZodType, memo: Memo): Projection | typeof AS_IS {
  const known = memo.get(schema);
  if (known === 'pending') {
    // A recursive schema (a category tree): resolved by the time a value reaches it.
    return (value) => {
      const resolved = memo.get(schema);
      return typeof resolved === 'function' ? resolved(value) : value;
    };
  }
  if (known !== undefined) return known;
  memo.set(schema, 'pending');
  const result = build(schema, memo);
  memo.set(schema, result);
  return result;
}

function build(schema: $ZodType, memo: Memo): Projection | typeof AS_IS {
  const projectionOf = (inner: $ZodType) => projection(inner, memo);
  const def = schema._zod.def as unknown as Def;
  if (LEAVES.has(def.type)) return AS_IS;
  if (WRAPPERS.has(def.type) && def.innerType) return projectionOf(def.innerType);
  if ((def.type === 'nullable' || def.type === 'optional') && def.innerType) {
    const inner = projectionOf(def.innerType);
    return inner === AS_IS
      ? AS_IS
      : (value) => (value === null || value === undefined ? value : inner(value));
  }
  if (def.type === 'array' && def.element) {
    const element = projectionOf(def.element);
    return element === AS_IS
      ? AS_IS
      : (value) => (Array.isArray(value) ? value.map((item) => element(item)) : value);
  }
  if (def.type === 'object' && def.shape && (!def.catchall || def.catchall._zod.def.type === 'never')) {
    const fields = Object.entries(def.shape).map(([key, field]) => [key, projectionOf(field)] as const);
    return compiledObjectProjection(fields) ?? loopedObjectProjection(fields);
  }
  if (def.type === 'record' && def.keyType && def.valueType && def.keyType._zod.def.type === 'string') {
    const project = projectionOf(def.valueType);
    if (project === AS_IS) return AS_IS;
    return (value) => {
      if (value === null || typeof value !== 'object') return value;
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(value)) out[key] = project(field);
      return out;
    };
  }
  // A union of plain JSON values shows as the value; a union with objects needs zod to pick.
  if (def.type === 'union' && !def.discriminator && def.options?.every((o) => projectionOf(o) === AS_IS)) {
    return AS_IS;
  }
  return viaZod(schema);
}

type Field = readonly [key: string, project: Projection | typeof AS_IS];

/** The object projection as a loop over the schema's keys (where code cannot be generated). */
function loopedObjectProjection(fields: readonly Field[]): Projection {
  return (value) => {
    if (value === null || typeof value !== 'object') return value;
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, project] of fields) {
      const field = source[key];
      if (field !== undefined) out[key] = project === AS_IS ? field : project(field);
    }
    return out;
  };
}

/**
 * The same projection compiled once into one object literal with the schema's keys
 * (`{ "id": v["id"], "price": p[1](v["price"]), … }`): V8 then builds every answer with one
 * fixed shape instead of adding keys one at a time, which made the loop cost about as much as
 * `JSON.stringify` itself on a listing page. A key whose value is undefined is written as
 * undefined, which JSON leaves out, as the loop does. The keys come from our own schemas and
 * are quoted with JSON.stringify. Null when code generation is off (`--disallow-code-generation-
 * from-strings`).
 */
function compiledObjectProjection(fields: readonly Field[]): Projection | null {
  const entries = fields.map(([key, project], index) => {
    const name = JSON.stringify(key);
    return project === AS_IS
      ? `${name}: v[${name}]`
      : `${name}: (x = v[${name}]) === undefined ? undefined : p[${index}](x)`;
  });
  try {
    const build = new Function(
      'p',
      `return function project(v) {
        if (v === null || typeof v !== 'object') return v;
        let x;
        return { ${entries.join(',\n')} };
      };`,
    ) as (projections: readonly (Projection | typeof AS_IS)[]) => Projection;
    return build(fields.map(([, project]) => project));
  } catch {
    return null;
  }
}

/**
 * The response serializer of every route, in place of fastify-type-provider-zod's: the
 * response schema decides which fields leave the server, as before, but the value is
 * projected onto the schema and handed to JSON.stringify without zod validating each field,
 * which cost about a tenth of a listing page's CPU (docs/decisions/013).
 *
 * With `check` (every environment but production, so every test) zod still encodes each
 * response: an invalid one fails as it did (ResponseSerializationError, a 500), and a projection
 * whose JSON differs from zod's by a byte throws, so the test suite proves the fast path.
 */
export function createResponseSerializerCompiler(options: {
  check: boolean;
}): FastifySerializerCompiler<unknown> {
  return ({ schema: declared, method, url }) => {
    const schema = zodSchemaOf(declared);
    const project = projectionOf(schema);
    const fast = (data: unknown) => JSON.stringify(project === AS_IS ? data : project(data));
    if (!options.check) {
      return (data) => {
        try {
          return fast(data);
        } catch (error) {
          throw new ResponseSerializationError(method, url, { cause: error as never });
        }
      };
    }
    return (data) => {
      const result = safeEncode(schema, data);
      if (result.error) throw new ResponseSerializationError(method, url, { cause: result.error });
      const expected = JSON.stringify(result.data);
      const actual = fast(data);
      if (actual !== expected) {
        throw new Error(
          `fast response serializer differs from zod for ${method} ${url}:\n${actual}\n${expected}`,
        );
      }
      return actual;
    };
  };
}

/** The zod schema of a response, as fastify-type-provider-zod accepts it (bare or as `properties`). */
function zodSchemaOf(declared: unknown): $ZodType {
  if (declared instanceof $ZodType) return declared;
  const properties = (declared as { properties?: unknown } | null)?.properties;
  if (properties instanceof $ZodType) return properties;
  throw new InvalidSchemaError(JSON.stringify(declared));
}
