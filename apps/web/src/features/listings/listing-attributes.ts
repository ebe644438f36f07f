import {
  type AttributeValues,
  formatAttributeNumber,
  formatAttributeValue,
  type ResolvedAttribute,
} from '@souk/contracts';
import { activeLocale } from '../../i18n/locale';
import { isChoice, pickValue } from '../filters/attribute-filters';

/** What the attribute form holds: numbers as typed text until they are sent. */
export type AttributeFormValue = string | string[] | boolean;
export type AttributeFormValues = Readonly<Record<string, AttributeFormValue>>;

/** Numbers as attributes show them: the contract's formatter (2018, 1500 cc, 45,000 km), as on cards. */
export function formatNumber(value: number): string {
  return formatAttributeNumber(value, activeLocale());
}

export function withUnit(text: string, unit: string | undefined): string {
  return unit ? `${text} ${unit}` : text;
}

export type AttributeRow = { key: string; label: string; value: string };

/** The listing's attributes in the schema's order, then any the schema no longer knows. */
export function attributeRows(schema: readonly ResolvedAttribute[], values: AttributeValues): AttributeRow[] {
  const rows: AttributeRow[] = [];
  const seen = new Set<string>();
  for (const attribute of schema) {
    seen.add(attribute.key);
    const value = values[attribute.key];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    rows.push({
      key: attribute.key,
      label: attribute.label,
      value: formatAttributeValue(attribute, value, activeLocale()),
    });
  }
  for (const [key, value] of Object.entries(values)) {
    if (seen.has(key)) continue;
    rows.push({ key, label: humanize(key), value: formatAttributeValue(undefined, value, activeLocale()) });
  }
  return rows.filter((row) => row.value !== '');
}

/** mileageKm -> "Mileage km", for an attribute the schema does not describe. */
export function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function toFormValues(values: AttributeValues): Record<string, AttributeFormValue> {
  const result: Record<string, AttributeFormValue> = {};
  for (const [key, value] of Object.entries(values)) {
    result[key] = typeof value === 'number' ? String(value) : value;
  }
  return result;
}

function isEmpty(value: AttributeFormValue | undefined): boolean {
  return (
    value === undefined ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

function rangeMessage(min: number | undefined, max: number | undefined, unit: string | undefined): string {
  const show = (value: number) => withUnit(formatNumber(value), unit);
  if (min !== undefined && max !== undefined) return `must be between ${show(min)} and ${show(max)}`;
  if (min !== undefined) return `must be at least ${show(min)}`;
  return `must be at most ${show(max ?? 0)}`;
}

export type AttributeCheck = { values: AttributeValues; errors: Record<string, string> };

/**
 * Turns the form into what the API takes, checking what the schema says (required, numbers in
 * range, options that exist) so most mistakes show before a round trip.
 */
export function checkAttributes(
  schema: readonly ResolvedAttribute[],
  form: AttributeFormValues,
): AttributeCheck {
  const values: Record<string, AttributeValues[string]> = {};
  const errors: Record<string, string> = {};
  for (const attribute of schema) {
    const raw = form[attribute.key];
    if (isEmpty(raw)) {
      if (attribute.required && attribute.type !== 'boolean') {
        errors[attribute.key] = 'is required';
      }
      continue;
    }
    switch (attribute.type) {
      case 'enum': {
        if (typeof raw !== 'string' || !attribute.options.some((option) => option.value === raw)) {
          errors[attribute.key] = 'pick one of the options';
        } else values[attribute.key] = raw;
        break;
      }
      case 'multi_enum': {
        const list = Array.isArray(raw) ? raw : [String(raw)];
        values[attribute.key] = list.filter((item) =>
          attribute.options.some((option) => option.value === item),
        );
        break;
      }
      case 'integer':
      case 'decimal': {
        const text = String(raw).trim().replace(/,/g, '');
        const pattern = attribute.type === 'integer' ? /^-?\d+$/ : /^-?\d+(?:\.\d+)?$/;
        if (!pattern.test(text)) {
          errors[attribute.key] = attribute.type === 'integer' ? 'use a whole number' : 'use a number';
          break;
        }
        const decimals = text.split('.')[1]?.length ?? 0;
        if (attribute.type === 'decimal' && decimals > attribute.scale) {
          errors[attribute.key] = `use at most ${attribute.scale} digits after the dot`;
          break;
        }
        const number = Number(text);
        if (
          !Number.isFinite(number) ||
          (attribute.min !== undefined && number < attribute.min) ||
          (attribute.max !== undefined && number > attribute.max)
        ) {
          errors[attribute.key] = rangeMessage(attribute.min, attribute.max, attribute.unit);
          break;
        }
        values[attribute.key] = number;
        break;
      }
      case 'text': {
        const text = String(raw).trim();
        if (text.length > attribute.maxLength)
          errors[attribute.key] = `use at most ${attribute.maxLength} characters`;
        else values[attribute.key] = text;
        break;
      }
      case 'boolean':
        values[attribute.key] = raw === true;
        break;
    }
  }
  return { values, errors };
}

/**
 * What survives a change of category: values whose key the new schema has and that still fit it
 * (an option that exists, a value of the right type).
 */
export function keepFitting(
  schema: readonly ResolvedAttribute[],
  form: AttributeFormValues,
): Record<string, AttributeFormValue> {
  const result: Record<string, AttributeFormValue> = {};
  for (const attribute of schema) {
    const value = form[attribute.key];
    if (value === undefined) continue;
    if (attribute.type === 'enum') {
      if (typeof value === 'string' && attribute.options.some((option) => option.value === value)) {
        result[attribute.key] = value;
      }
    } else if (attribute.type === 'multi_enum') {
      if (Array.isArray(value)) {
        const kept = value.filter((item) => attribute.options.some((option) => option.value === item));
        if (kept.length > 0) result[attribute.key] = kept;
      }
    } else if (attribute.type === 'boolean') {
      if (typeof value === 'boolean') result[attribute.key] = value;
    } else if (typeof value === 'string') {
      result[attribute.key] = value;
    }
  }
  // Dependent picks must still agree (a model of the make that is picked).
  const picks: Record<string, string> = {};
  for (const attribute of schema) {
    const value = result[attribute.key];
    if (attribute.type === 'enum' && typeof value === 'string') picks[attribute.key] = value;
  }
  let consistent: Record<string, string> = { ...picks };
  for (const [key, value] of Object.entries(picks)) consistent = pickValue(schema, consistent, key, value);
  for (const attribute of schema) {
    if (attribute.type === 'enum' && !(attribute.key in consistent)) delete result[attribute.key];
  }
  return result;
}

/**
 * Sets one attribute in the form. For an enum this keeps dependent picks consistent (changing the
 * make drops a model of another make; picking a model first fills in its make), and narrows a
 * dependent multi-choice to the options of the new parent value.
 */
export function setAttribute(
  schema: readonly ResolvedAttribute[],
  form: AttributeFormValues,
  key: string,
  value: AttributeFormValue,
): Record<string, AttributeFormValue> {
  const attribute = schema.find((candidate) => candidate.key === key);
  const next: Record<string, AttributeFormValue> = { ...form };
  if (attribute?.type !== 'enum' || typeof value !== 'string') {
    if (isEmpty(value) && typeof value !== 'boolean') delete next[key];
    else next[key] = value;
    return next;
  }
  const picks: Record<string, string> = {};
  for (const candidate of schema) {
    const current = form[candidate.key];
    if (candidate.type === 'enum' && typeof current === 'string') picks[candidate.key] = current;
  }
  const picked = pickValue(schema, picks, key, value);
  for (const candidate of schema) {
    if (candidate.type !== 'enum') continue;
    const pick = picked[candidate.key];
    if (pick === undefined) delete next[candidate.key];
    else next[candidate.key] = pick;
  }
  for (const candidate of schema) {
    if (!isChoice(candidate) || candidate.type !== 'multi_enum' || !candidate.dependsOn) continue;
    const parentValue = picked[candidate.dependsOn];
    const current = next[candidate.key];
    if (!parentValue || !Array.isArray(current)) continue;
    const kept = current.filter(
      (item) => candidate.options.find((option) => option.value === item)?.parentValue === parentValue,
    );
    if (kept.length > 0) next[candidate.key] = kept;
    else delete next[candidate.key];
  }
  return next;
}
