import type { ResolvedAttribute } from '@souk/contracts';
import { type ReactNode, useId } from 'react';
import { useT } from '../../i18n/use-t';
import { fieldControl, fieldHelp, fieldLabel } from '../../ui/field-styles';
import { fieldMessage } from '../../ui/form/field-message';
import { FieldError } from '../../ui/form/text-field';
import { groupedOptions, type PickedValues, visibleOptions } from '../filters/attribute-filters';
import { EnumOptions } from '../filters/enum-options';
import {
  type AttributeFormValue,
  type AttributeFormValues,
  formatNumber,
  withUnit,
} from '../listings/listing-attributes';

export function RequiredMark() {
  return (
    <span aria-hidden="true" className="ml-0.5 text-red-700">
      *
    </span>
  );
}

export type ControlIds = { id: string; describedBy: string | undefined; invalid: true | undefined };

/** Label, control, help and error, wired together for assistive technology. */
export function Field({
  label,
  required,
  help,
  error,
  children,
}: {
  label: string;
  required: boolean;
  help: string | undefined;
  error: string | undefined;
  children: (ids: ControlIds) => ReactNode;
}) {
  const id = useId();
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const describedBy = [help ? helpId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div>
      {/* The mark sits outside the label so the control's name stays exactly the label. */}
      <div className="flex items-baseline">
        <label htmlFor={id} className={fieldLabel}>
          {label}
        </label>
        {required && <RequiredMark />}
      </div>
      {children({ id, describedBy, invalid: error ? true : undefined })}
      {help && (
        <p id={helpId} className={fieldHelp}>
          {help}
        </p>
      )}
      {error && <FieldError id={errorId} message={fieldMessage(label, error)} />}
    </div>
  );
}

function picksOf(values: AttributeFormValues): PickedValues {
  const picks: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (typeof value === 'string') picks[key] = value;
  return picks;
}

function rangeHelp(
  min: number | undefined,
  max: number | undefined,
  unit: string | undefined,
): string | undefined {
  const show = (value: number) => withUnit(formatNumber(value), unit);
  if (min !== undefined && max !== undefined) return `${show(min)} to ${show(max)}`;
  if (min !== undefined) return `At least ${show(min)}`;
  if (max !== undefined) return `At most ${show(max)}`;
  return unit ? `In ${unit}` : undefined;
}

type AttributeFieldProps = {
  attribute: ResolvedAttribute;
  schema: readonly ResolvedAttribute[];
  values: AttributeFormValues;
  error: string | undefined;
  onChange: (key: string, value: AttributeFormValue) => void;
};

/** One control for one attribute of the category's schema, chosen by its type. */
export function AttributeField({ attribute, schema, values, error, onChange }: AttributeFieldProps) {
  const t = useT();
  const value = values[attribute.key];
  const groupId = useId();
  const invalidClass = error ? 'border-red-600' : '';

  switch (attribute.type) {
    case 'enum': {
      const picks = picksOf(values);
      const groups = groupedOptions(attribute, schema, picks);
      const parent = attribute.dependsOn
        ? schema.find((candidate) => candidate.key === attribute.dependsOn)
        : undefined;
      const help =
        attribute.help ??
        (groups && parent ? `Pick the ${parent.label.toLowerCase()} first to narrow this list.` : undefined);
      return (
        <Field label={attribute.label} required={attribute.required} help={help} error={error}>
          {({ id, describedBy, invalid }) => (
            <select
              id={id}
              value={typeof value === 'string' ? value : ''}
              onChange={(event) => onChange(attribute.key, event.target.value)}
              aria-required={attribute.required || undefined}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              className={`mt-1 ${fieldControl} ${invalidClass}`}
            >
              <option value="">{t('sell.attributeFields.choose')}</option>
              <EnumOptions attribute={attribute} schema={schema} picked={picks} />
            </select>
          )}
        </Field>
      );
    }

    case 'multi_enum': {
      const checked = Array.isArray(value) ? value : [];
      const options = visibleOptions(attribute, picksOf(values));
      const helpId = `${groupId}-help`;
      const errorId = `${groupId}-error`;
      const describedBy =
        [attribute.help ? helpId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
      return (
        <fieldset aria-describedby={describedBy} aria-invalid={error ? true : undefined}>
          <legend className={fieldLabel}>
            {attribute.label}
            {attribute.required && <RequiredMark />}
          </legend>
          <div className="mt-2 grid grid-cols-2 gap-x-4 gap-y-2 sm:grid-cols-3">
            {options.map((option) => (
              <label key={option.value} className="flex items-center gap-2 text-sm text-stone-800">
                <input
                  type="checkbox"
                  checked={checked.includes(option.value)}
                  onChange={(event) =>
                    onChange(
                      attribute.key,
                      event.target.checked
                        ? [...checked, option.value]
                        : checked.filter((item) => item !== option.value),
                    )
                  }
                  className="size-4 accent-brand-600"
                />
                {option.label}
              </label>
            ))}
          </div>
          {attribute.help && (
            <p id={helpId} className={fieldHelp}>
              {attribute.help}
            </p>
          )}
          {error && <FieldError id={errorId} message={fieldMessage(attribute.label, error)} />}
        </fieldset>
      );
    }

    case 'integer':
    case 'decimal': {
      const range = rangeHelp(attribute.min, attribute.max, attribute.unit);
      const help = [attribute.help, range].filter(Boolean).join(' · ') || undefined;
      const step = attribute.type === 'integer' ? 1 : 10 ** -attribute.scale;
      return (
        <Field label={attribute.label} required={attribute.required} help={help} error={error}>
          {({ id, describedBy, invalid }) => (
            <div className="relative mt-1">
              <input
                id={id}
                type="number"
                inputMode={attribute.type === 'integer' ? 'numeric' : 'decimal'}
                step={step}
                min={attribute.min}
                max={attribute.max}
                value={typeof value === 'string' ? value : ''}
                onChange={(event) => onChange(attribute.key, event.target.value)}
                aria-required={attribute.required || undefined}
                aria-invalid={invalid}
                aria-describedby={describedBy}
                className={`${fieldControl} ${attribute.unit ? 'pr-16' : ''} ${invalidClass}`}
              />
              {attribute.unit && (
                <span
                  aria-hidden="true"
                  className="pointer-events-none absolute inset-y-0 right-3 flex items-center text-sm text-stone-500"
                >
                  {attribute.unit}
                </span>
              )}
            </div>
          )}
        </Field>
      );
    }

    case 'text': {
      const long = attribute.maxLength > 200;
      return (
        <Field label={attribute.label} required={attribute.required} help={attribute.help} error={error}>
          {({ id, describedBy, invalid }) =>
            long ? (
              <textarea
                id={id}
                rows={3}
                maxLength={attribute.maxLength}
                value={typeof value === 'string' ? value : ''}
                onChange={(event) => onChange(attribute.key, event.target.value)}
                aria-required={attribute.required || undefined}
                aria-invalid={invalid}
                aria-describedby={describedBy}
                className={`mt-1 ${fieldControl} ${invalidClass}`}
              />
            ) : (
              <input
                id={id}
                type="text"
                maxLength={attribute.maxLength}
                value={typeof value === 'string' ? value : ''}
                onChange={(event) => onChange(attribute.key, event.target.value)}
                aria-required={attribute.required || undefined}
                aria-invalid={invalid}
                aria-describedby={describedBy}
                className={`mt-1 ${fieldControl} ${invalidClass}`}
              />
            )
          }
        </Field>
      );
    }

    case 'boolean': {
      const helpId = `${groupId}-help`;
      const errorId = `${groupId}-error`;
      const describedBy =
        [attribute.help ? helpId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
      return (
        <div>
          <label className="flex items-center gap-2 text-sm font-medium text-stone-800">
            <input
              type="checkbox"
              checked={value === true}
              onChange={(event) => onChange(attribute.key, event.target.checked)}
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy}
              className="size-4 accent-brand-600"
            />
            {attribute.label}
          </label>
          {attribute.help && (
            <p id={helpId} className={`${fieldHelp} ml-6`}>
              {attribute.help}
            </p>
          )}
          {error && <FieldError id={errorId} message={fieldMessage(attribute.label, error)} />}
        </div>
      );
    }
  }
}
