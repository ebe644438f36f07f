import type { ResolvedAttribute } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../i18n/use-t';
import { fieldControl } from '../../ui/field-styles';
import { SelectField } from '../../ui/form/select-field';
import { TextAreaField } from '../../ui/form/text-area-field';
import type { AttributeFormValue, AttributeFormValues } from '../listings/listing-attributes';
import { AttributeField, Field, RequiredMark } from './attribute-fields';

export type ItemConditionValue = '' | 'new' | 'used' | 'refurbished';

export type DetailsValues = {
  title: string;
  description: string;
  condition: ItemConditionValue;
  attributes: AttributeFormValues;
};

type DetailsStepProps = {
  values: DetailsValues;
  schema: readonly ResolvedAttribute[];
  categoryName: string;
  errors: Readonly<Record<string, string>>;
  onChange: (patch: Partial<DetailsValues>) => void;
  onAttribute: (key: string, value: AttributeFormValue) => void;
};

/** A category that asks for the condition itself (vehicles) needs no second, generic question. */
export function schemaHasCondition(schema: readonly ResolvedAttribute[]): boolean {
  return schema.some((attribute) => attribute.key === 'condition');
}

/** Title, description, condition, and the attribute form generated from the category's schema. */
export function DetailsStep({
  values,
  schema,
  categoryName,
  errors,
  onChange,
  onAttribute,
}: DetailsStepProps) {
  const t = useT();
  const required = schema.filter((attribute) => attribute.required);
  return (
    <div className="space-y-6">
      <p className="text-sm text-stone-600">
        <FormattedMessage id="sell.detailsStep.fieldsMarked" /> <RequiredMark />{' '}
        <FormattedMessage
          id="sell.detailsStep.withAsteriskRequired"
          values={{ span: (chunks) => <span className="sr-only">{chunks}</span> }}
        />
      </p>
      <div className="space-y-5">
        <Field
          label={t('sell.detailsStep.title')}
          required
          help={t('sell.detailsStep.whatFewWordsMake')}
          error={errors.title}
        >
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="title"
              type="text"
              value={values.title}
              onChange={(event) => onChange({ title: event.target.value })}
              maxLength={120}
              aria-required="true"
              aria-invalid={invalid}
              aria-describedby={describedBy}
              className={`mt-1 ${fieldControl} ${invalid ? 'border-red-600' : ''}`}
            />
          )}
        </Field>
        <TextAreaField
          label={t('sell.detailsStep.description')}
          name="description"
          value={values.description}
          onChange={(event) => onChange({ description: event.target.value })}
          rows={6}
          maxLength={10_000}
          hint={t('sell.detailsStep.atLeast10Characters')}
          error={errors.description}
        />
        {!schemaHasCondition(schema) && (
          <SelectField
            label={t('sell.detailsStep.condition')}
            name="condition"
            value={values.condition}
            onChange={(event) => onChange({ condition: event.target.value as ItemConditionValue })}
            error={errors.condition}
          >
            <option value="">{t('sell.detailsStep.notApplicable')}</option>
            <option value="new">{t('sell.detailsStep.new')}</option>
            <option value="used">{t('sell.detailsStep.used')}</option>
            <option value="refurbished">{t('sell.detailsStep.refurbished')}</option>
          </SelectField>
        )}
      </div>

      {schema.length > 0 && (
        <fieldset className="rounded-2xl border border-stone-200 p-4 sm:p-5">
          <legend className="px-1 text-base font-semibold text-stone-900">
            <FormattedMessage id="sell.detailsStep.itemDetails" />
          </legend>
          <p className="mb-4 text-sm text-stone-600">
            <FormattedMessage
              id="sell.detailsStep.whatBuyersLook"
              values={{ categoryName, required: required.length }}
            />
          </p>
          <div className="grid gap-5 sm:grid-cols-2">
            {schema.map((attribute) => (
              <div
                key={attribute.key}
                className={
                  attribute.type === 'multi_enum' || (attribute.type === 'text' && attribute.maxLength > 200)
                    ? 'sm:col-span-2'
                    : ''
                }
              >
                <AttributeField
                  attribute={attribute}
                  schema={schema}
                  values={values.attributes}
                  error={errors[`attributes.${attribute.key}`]}
                  onChange={onAttribute}
                />
              </div>
            ))}
          </div>
        </fieldset>
      )}
    </div>
  );
}
