import type { FieldError, ResolvedAttribute } from '@souk/contracts';
import type { AttributeValue } from './listings.schema.js';

/**
 * Checks attribute values against a category's resolved schema: one error per offending field,
 * at `body.attributes.<key>`. `complete` also demands every required attribute (publishing);
 * a draft may leave them out.
 */
export function validateAttributeValues(
  schema: ResolvedAttribute[],
  values: Record<string, AttributeValue>,
  options: { complete: boolean },
): FieldError[] {
  const errors: FieldError[] = [];
  const byKey = new Map(schema.map((attribute) => [attribute.key, attribute]));
  const at = (key: string) => `body.attributes.${key}`;

  for (const key of Object.keys(values)) {
    if (!byKey.has(key)) errors.push({ path: at(key), message: 'is not an attribute of this category' });
  }

  for (const attribute of schema) {
    const value = values[attribute.key];
    if (value === undefined) {
      if (options.complete && attribute.required)
        errors.push({ path: at(attribute.key), message: `${attribute.label} is required` });
      continue;
    }
    const problem = checkValue(attribute, value, values);
    if (problem) errors.push({ path: at(attribute.key), message: problem });
  }
  return errors;
}

function checkValue(
  attribute: ResolvedAttribute,
  value: AttributeValue,
  values: Record<string, AttributeValue>,
): string | null {
  switch (attribute.type) {
    case 'enum': {
      if (typeof value !== 'string') return 'must be one of the options';
      const option = attribute.options.find((candidate) => candidate.value === value);
      if (!option) return `"${value}" is not one of the options`;
      if (attribute.dependsOn) {
        const parent = values[attribute.dependsOn];
        if (parent === undefined) return `choose ${attribute.dependsOn} first`;
        const fits = attribute.options.some(
          (candidate) => candidate.value === value && candidate.parentValue === parent,
        );
        if (!fits) return `"${value}" does not belong to ${attribute.dependsOn} "${String(parent)}"`;
      }
      return null;
    }
    case 'multi_enum': {
      if (!Array.isArray(value)) return 'must be a list of options';
      if (new Set(value).size !== value.length) return 'lists an option twice';
      const unknown = value.find((item) => !attribute.options.some((option) => option.value === item));
      return unknown === undefined ? null : `"${unknown}" is not one of the options`;
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return 'must be a whole number';
      return rangeProblem(value, attribute.min, attribute.max, attribute.unit);
    case 'decimal': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      const decimals = (String(value).split('.')[1] ?? '').length;
      if (decimals > attribute.scale) return `use at most ${attribute.scale} decimals`;
      return rangeProblem(value, attribute.min, attribute.max, attribute.unit);
    }
    case 'text':
      if (typeof value !== 'string') return 'must be text';
      if (value.trim().length === 0) return 'must not be empty';
      return value.length > attribute.maxLength ? `use at most ${attribute.maxLength} characters` : null;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
  }
}

function rangeProblem(value: number, min?: number, max?: number, unit?: string): string | null {
  const suffix = unit ? ` ${unit}` : '';
  if (min !== undefined && value < min) return `must be at least ${min}${suffix}`;
  if (max !== undefined && value > max) return `must be at most ${max}${suffix}`;
  return null;
}

/** "Toyota", "45,000 km", "Yes": how a value reads on a card or in the attribute table. */
export function formatAttributeValue(attribute: ResolvedAttribute, value: AttributeValue): string {
  switch (attribute.type) {
    case 'enum':
      return attribute.options.find((option) => option.value === value)?.label ?? String(value);
    case 'multi_enum':
      return (Array.isArray(value) ? value : [])
        .map((item) => attribute.options.find((option) => option.value === item)?.label ?? item)
        .join(', ');
    case 'integer':
    case 'decimal':
      // Quantities with a unit read better grouped (45,000 km); bare numbers such as a year do not.
      return attribute.unit ? `${Number(value).toLocaleString('en-US')} ${attribute.unit}` : String(value);
    case 'boolean':
      return value ? 'Yes' : 'No';
    case 'text':
      return String(value);
  }
}
