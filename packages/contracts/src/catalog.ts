import { z } from 'zod';
import { Id, IsoDateTime, Slug } from './common.js';

// ---------------------------------------------------------------------------------------------
// Attribute schemas: what a listing in a category must or may say about itself (a car's make,
// model, year, mileage...). A category's effective schema is its ancestors' attributes followed
// by its own; an own attribute with an inherited key replaces the inherited one.
// ---------------------------------------------------------------------------------------------

export const AttributeKey = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z][a-zA-Z0-9]*$/, 'use a camelCase key such as mileageKm');

export const OptionValue = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/, 'use lowercase letters, digits, and - _ . between them');

export const EnumOption = z.object({
  value: OptionValue,
  label: z.string().min(1).max(120),
  /** For an attribute that `dependsOn` another: the value of that other attribute this option belongs to. */
  parentValue: OptionValue.optional(),
});
export type EnumOption = z.infer<typeof EnumOption>;

const attributeBase = {
  key: AttributeKey,
  label: z.string().min(1).max(80),
  required: z.boolean().default(false),
  filterable: z.boolean().default(false),
  shownInCard: z.boolean().default(false),
  help: z.string().max(300).optional(),
};

const MAX_OPTIONS = 5000;

export const EnumAttribute = z.object({
  ...attributeBase,
  type: z.literal('enum'),
  options: z.array(EnumOption).min(1).max(MAX_OPTIONS),
  /** Key of another enum attribute whose chosen value narrows these options (model depends on make). */
  dependsOn: AttributeKey.optional(),
});

export const MultiEnumAttribute = z.object({
  ...attributeBase,
  type: z.literal('multi_enum'),
  options: z.array(EnumOption).min(1).max(MAX_OPTIONS),
  dependsOn: AttributeKey.optional(),
});

export const IntegerAttribute = z.object({
  ...attributeBase,
  type: z.literal('integer'),
  unit: z.string().min(1).max(16).optional(),
  min: z.number().int().safe().optional(),
  max: z.number().int().safe().optional(),
});

export const DecimalAttribute = z.object({
  ...attributeBase,
  type: z.literal('decimal'),
  unit: z.string().min(1).max(16).optional(),
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  /** Digits after the decimal point a value may carry. */
  scale: z.number().int().min(0).max(6).default(2),
});

export const TextAttribute = z.object({
  ...attributeBase,
  type: z.literal('text'),
  maxLength: z.number().int().min(1).max(5000).default(200),
});

export const BooleanAttribute = z.object({
  ...attributeBase,
  type: z.literal('boolean'),
});

export const AttributeDefinition = z
  .discriminatedUnion('type', [
    EnumAttribute,
    MultiEnumAttribute,
    IntegerAttribute,
    DecimalAttribute,
    TextAttribute,
    BooleanAttribute,
  ])
  .meta({ id: 'AttributeDefinition' });
export type AttributeDefinition = z.infer<typeof AttributeDefinition>;
/** What an attribute definition may look like on input (defaults not yet applied). */
export type AttributeDefinitionInput = z.input<typeof AttributeDefinition>;
export type AttributeType = AttributeDefinition['type'];

export const ResolvedAttribute = z
  .intersection(
    AttributeDefinition,
    z.object({ definedIn: Slug.describe('Slug of the category that defines it') }),
  )
  .meta({ id: 'ResolvedAttribute' });
export type ResolvedAttribute = z.infer<typeof ResolvedAttribute>;

// ---------------------------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------------------------

const categoryFields = {
  id: Id,
  parentId: Id.nullable(),
  slug: Slug,
  name: z.string(),
  description: z.string().nullable(),
  icon: z.string().nullable(),
  position: z.number().int(),
};

export const Category = z
  .object({
    ...categoryFields,
    attributes: z.array(AttributeDefinition).describe('Attributes this category defines itself'),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'Category' });
export type Category = z.infer<typeof Category>;

export type CategoryNode = {
  id: string;
  parentId: string | null;
  slug: string;
  name: string;
  description: string | null;
  icon: string | null;
  position: number;
  attributes: AttributeDefinition[];
  children: CategoryNode[];
};

export const CategoryNode: z.ZodType<CategoryNode> = z
  .object({
    ...categoryFields,
    attributes: z.array(AttributeDefinition).describe('Attributes this category defines itself'),
    get children(): z.ZodArray<z.ZodType<CategoryNode>> {
      return z.array(CategoryNode);
    },
  })
  .meta({ id: 'CategoryNode' });

export const CategoryTree = z.object({ items: z.array(CategoryNode) });
export type CategoryTree = z.infer<typeof CategoryTree>;

export const CategoryRef = z.object({ id: Id, slug: Slug, name: z.string(), icon: z.string().nullable() });
export type CategoryRef = z.infer<typeof CategoryRef>;

export const CategoryDetail = z
  .object({
    ...categoryFields,
    ancestors: z.array(CategoryRef).describe('From the root down to the parent'),
    children: z.array(CategoryRef.extend({ position: z.number().int() })),
    attributes: z.array(ResolvedAttribute).describe('Inherited attributes first, then own ones'),
  })
  .meta({ id: 'CategoryDetail' });
export type CategoryDetail = z.infer<typeof CategoryDetail>;

export const CategoryChildren = z.object({
  items: z.array(CategoryRef.extend({ position: z.number().int() })),
});
export type CategoryChildren = z.infer<typeof CategoryChildren>;

export const CategorySlugParams = z.object({ slug: Slug });
export const CategoryIdParams = z.object({ id: Id });

export const CreateCategoryBody = z
  .object({
    parentId: Id.nullable().default(null),
    slug: Slug,
    name: z.string().trim().min(1).max(80),
    description: z.string().trim().max(500).nullable().optional(),
    icon: z.string().trim().min(1).max(64).nullable().optional(),
    attributes: z.array(AttributeDefinition).max(100).default([]),
  })
  .strict();
export type CreateCategoryBody = z.input<typeof CreateCategoryBody>;

export const UpdateCategoryBody = z
  .object({
    parentId: Id.nullable(),
    slug: Slug,
    name: z.string().trim().min(1).max(80),
    description: z.string().trim().max(500).nullable(),
    icon: z.string().trim().min(1).max(64).nullable(),
    attributes: z.array(AttributeDefinition).max(100),
  })
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'send at least one field to change');
export type UpdateCategoryBody = z.input<typeof UpdateCategoryBody>;

export const ReorderCategoriesBody = z
  .object({
    parentId: Id.nullable().describe('Whose children to reorder; null for the top level'),
    orderedIds: z.array(Id).min(1).max(1000).describe('Every child id, in the new order'),
  })
  .strict();
export type ReorderCategoriesBody = z.input<typeof ReorderCategoriesBody>;

// ---------------------------------------------------------------------------------------------
// Locations: country > region (> region ...) > city
// ---------------------------------------------------------------------------------------------

export const LocationKind = z.enum(['country', 'region', 'city']);
export type LocationKind = z.infer<typeof LocationKind>;

export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'use an ISO 3166-1 alpha-2 code such as LK');

export type LocationNode = {
  id: string;
  parentId: string | null;
  kind: LocationKind;
  slug: string;
  name: string;
  countryCode: string;
  latitude: number | null;
  longitude: number | null;
  children: LocationNode[];
};

export const LocationNode: z.ZodType<LocationNode> = z
  .object({
    id: Id,
    parentId: Id.nullable(),
    kind: LocationKind,
    slug: Slug,
    name: z.string(),
    countryCode: CountryCode,
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    get children(): z.ZodArray<z.ZodType<LocationNode>> {
      return z.array(LocationNode);
    },
  })
  .meta({ id: 'LocationNode' });

export const LocationsQuery = z.object({
  country: CountryCode.optional().describe('Only this country'),
});
export const LocationTree = z.object({ items: z.array(LocationNode) });
export type LocationTree = z.infer<typeof LocationTree>;
