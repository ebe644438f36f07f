import type { ResolvedAttribute } from '@souk/contracts';
import { useEffect, useId, useState } from 'react';
import { useT } from '../../i18n/use-t';
import { fieldControl, fieldHelp, fieldLabel } from '../../ui/field-styles';
import {
  type ChoiceAttribute,
  groupedOptions,
  isChoice,
  type PickedValues,
  pickValue,
} from './attribute-filters';
import { EnumOptions } from './enum-options';
import { attributeParam, type UpdateFilters } from './filter-params';

/** Make and model: choices that narrow each other, so each is one pick from a list. */
export function isLinkedChoice(
  attribute: ResolvedAttribute,
  attributes: readonly ResolvedAttribute[],
): attribute is ChoiceAttribute {
  return (
    isChoice(attribute) &&
    (Boolean(attribute.dependsOn) ||
      attributes.some((other) => isChoice(other) && other.dependsOn === attribute.key))
  );
}

/** The single picks of the linked choices, read from the URL. */
function linkedPicks(params: URLSearchParams, attributes: readonly ResolvedAttribute[]): PickedValues {
  const picks: Record<string, string> = {};
  for (const attribute of attributes) {
    const value = params.get(attributeParam(attribute.key));
    if (value && isLinkedChoice(attribute, attributes)) picks[attribute.key] = value;
  }
  return picks;
}

type EnumFilterProps = {
  attribute: ChoiceAttribute;
  attributes: readonly ResolvedAttribute[];
  params: URLSearchParams;
  update: UpdateFilters;
};

export function EnumFilter({ attribute, attributes, params, update }: EnumFilterProps) {
  const t = useT();
  const id = useId();
  const helpId = `${id}-help`;
  const fromUrl = linkedPicks(params, attributes);
  // The URL changes a moment after the pick (a navigation); until then the select shows the pick,
  // not the old value, so it never flickers back.
  const [pending, setPending] = useState<PickedValues | null>(null);
  const urlPicks = JSON.stringify(fromUrl);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new URL is what ends the pending pick.
  useEffect(() => setPending(null), [urlPicks]);
  const picked = pending ?? fromUrl;
  const groups = groupedOptions(attribute, attributes, picked);
  const parent = attribute.dependsOn
    ? attributes.find((candidate) => candidate.key === attribute.dependsOn)
    : undefined;
  const help =
    attribute.help ??
    (groups && parent ? t('filters.enum.narrow', { parent: parent.label.toLowerCase() }) : undefined);

  // A model picked first implies its make; a new make drops a model of another one.
  function pick(value: string) {
    const next = pickValue(attributes, picked, attribute.key, value);
    setPending(next);
    const changes: Record<string, string | null> = {};
    for (const key of new Set([...Object.keys(picked), ...Object.keys(next)])) {
      changes[attributeParam(key)] = next[key] ?? null;
    }
    update(changes);
  }

  return (
    <div>
      <label htmlFor={id} className={fieldLabel}>
        {attribute.label}
      </label>
      <select
        id={id}
        value={picked[attribute.key] ?? ''}
        onChange={(event) => pick(event.target.value)}
        aria-describedby={help ? helpId : undefined}
        className={`${fieldControl} mt-1`}
      >
        <option value="">{t('filters.enum.any')}</option>
        <EnumOptions attribute={attribute} schema={attributes} picked={picked} />
      </select>
      {help && (
        <p id={helpId} className={fieldHelp}>
          {help}
        </p>
      )}
    </div>
  );
}
