import type { ResolvedAttribute } from './catalog.js';
import type { FieldError } from './common.js';

/**
 * Attribute rules shared by the server (what it stores and shows on cards) and the web app (the
 * listing page's table), so a value reads the same everywhere: "45,000 km", "1500 kg", "2018".
 */

/** One stored attribute value: a choice or text, a number, a yes/no, or a list of choices. */
export type AttributeValue = string | number | boolean | string[];

/**
 * Checks attribute values against a category's resolved schema: one error per offending field,
 * at `body.attributes.<key>`. `complete` also demands every required attribute (publishing);
 * a draft may leave them out.
 */
export function validateAttributeValues(
  schema: readonly ResolvedAttribute[],
  values: Readonly<Record<string, AttributeValue>>,
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
  values: Readonly<Record<string, AttributeValue>>,
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

const numberFormats = new Map<string, Intl.NumberFormat>();

/**
 * A number as an attribute shows it. Grouping starts at five digits ("min2"): a year or an engine
 * size reads better as 2018 or 1500 cc, a mileage as 45,000 km. The locale is fixed by default
 * so a card formatted by the server and a page formatted in the browser agree.
 */
export function formatAttributeNumber(value: number, locale = 'en-US'): string {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { useGrouping: 'min2', maximumFractionDigits: 6 });
    numberFormats.set(locale, format);
  }
  return format.format(value);
}

/**
 * "Toyota", "45,000 km", "Yes": how a value reads on a card or in the attribute table. Without an
 * attribute (a key the schema no longer has) the value is shown by its own type.
 */
export function formatAttributeValue(
  attribute: ResolvedAttribute | undefined,
  value: unknown,
  locale = 'en-US',
): string {
  if (value === null || value === undefined) return '';
  const withUnit = (text: string) =>
    attribute && 'unit' in attribute && attribute.unit ? `${text} ${attribute.unit}` : text;
  if (!attribute) {
    if (Array.isArray(value)) return value.join(', ');
    if (typeof value === 'boolean') return value ? 'Yes' : 'No';
    if (typeof value === 'number') return formatAttributeNumber(value, locale);
    return String(value);
  }
  switch (attribute.type) {
    case 'enum':
      return attribute.options.find((option) => option.value === value)?.label ?? String(value);
    case 'multi_enum':
      return (Array.isArray(value) ? value : [value])
        .map((item) => attribute.options.find((option) => option.value === item)?.label ?? String(item))
        .join(', ');
    case 'integer':
    case 'decimal':
      return typeof value === 'number' ? withUnit(formatAttributeNumber(value, locale)) : String(value);
    case 'boolean':
      return value === true ? 'Yes' : value === false ? 'No' : String(value);
    case 'text':
      return String(value);
  }
}
