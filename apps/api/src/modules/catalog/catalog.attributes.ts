import type { AttributeDefinition, FieldError, ResolvedAttribute } from '@souk/contracts';

export type SchemaLevel = { slug: string; attributes: AttributeDefinition[] };

/**
 * The effective attribute schema of a category, given its chain from the root down to itself.
 * Inherited attributes come first; an own attribute whose key is inherited replaces that one in
 * place (a child may narrow a parent's options), so the order stays stable down the tree.
 */
export function resolveAttributes(chain: SchemaLevel[]): ResolvedAttribute[] {
  const resolved: ResolvedAttribute[] = [];
  for (const level of chain) {
    for (const attribute of level.attributes) {
      const entry = { ...attribute, definedIn: level.slug } as ResolvedAttribute;
      const existing = resolved.findIndex((item) => item.key === attribute.key);
      if (existing >= 0) resolved[existing] = entry;
      else resolved.push(entry);
    }
  }
  return resolved;
}

/**
 * Rules Zod cannot see on one attribute alone: unique keys and option values, ranges the right
 * way round, and dependent options that point at a real parent option.
 * `path` prefixes each error so it names the field the caller sent.
 */
export function validateAttributeSchema(
  own: AttributeDefinition[],
  inherited: ResolvedAttribute[],
  path = 'body.attributes',
): FieldError[] {
  const errors: FieldError[] = [];
  const seenKeys = new Set<string>();
  const effective = resolveAttributes([
    { slug: 'inherited', attributes: inherited },
    { slug: 'own', attributes: own },
  ]);

  own.forEach((attribute, index) => {
    const at = `${path}.${index}`;
    if (seenKeys.has(attribute.key)) {
      errors.push({ path: `${at}.key`, message: `key "${attribute.key}" is used twice` });
    }
    seenKeys.add(attribute.key);

    if (
      (attribute.type === 'integer' || attribute.type === 'decimal') &&
      attribute.min !== undefined &&
      attribute.max !== undefined &&
      attribute.min > attribute.max
    ) {
      errors.push({ path: `${at}.min`, message: 'min must not be greater than max' });
    }

    if (attribute.type !== 'enum' && attribute.type !== 'multi_enum') return;

    const seenValues = new Set<string>();
    attribute.options.forEach((option, optionIndex) => {
      // A dependent attribute may repeat a value under different parents (two makes, one "sport" trim).
      const identity = `${option.parentValue ?? ''}\u0000${option.value}`;
      if (seenValues.has(identity)) {
        errors.push({
          path: `${at}.options.${optionIndex}.value`,
          message: `option "${option.value}" is listed twice`,
        });
      }
      seenValues.add(identity);
    });

    if (!attribute.dependsOn) {
      const stray = attribute.options.findIndex((option) => option.parentValue !== undefined);
      if (stray >= 0) {
        errors.push({
          path: `${at}.options.${stray}.parentValue`,
          message: 'parentValue needs dependsOn on the attribute',
        });
      }
      return;
    }

    const parent = effective.find((item) => item.key === attribute.dependsOn);
    if (!parent || attribute.dependsOn === attribute.key) {
      errors.push({
        path: `${at}.dependsOn`,
        message: `"${attribute.dependsOn}" is not another attribute of this category`,
      });
      return;
    }
    if (parent.type !== 'enum') {
      errors.push({
        path: `${at}.dependsOn`,
        message: `"${attribute.dependsOn}" must be a single-choice enum`,
      });
      return;
    }
    const parentValues = new Set(parent.options.map((option) => option.value));
    attribute.options.forEach((option, optionIndex) => {
      if (option.parentValue === undefined || !parentValues.has(option.parentValue)) {
        errors.push({
          path: `${at}.options.${optionIndex}.parentValue`,
          message: `must be one of the options of "${attribute.dependsOn}"`,
        });
      }
    });
  });

  return errors;
}
