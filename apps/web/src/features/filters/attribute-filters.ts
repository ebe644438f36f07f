import type { EnumOption, ResolvedAttribute } from '@souk/contracts';

export type PickedValues = Readonly<Record<string, string>>;
export type ChoiceAttribute = Extract<ResolvedAttribute, { type: 'enum' | 'multi_enum' }>;
export type OptionGroup = { label: string; options: EnumOption[] };

export function isChoice(attribute: ResolvedAttribute): attribute is ChoiceAttribute {
  return attribute.type === 'enum' || attribute.type === 'multi_enum';
}

/** The options that fit what is picked in the attribute this one depends on; all of them when nothing is. */
export function visibleOptions(attribute: ChoiceAttribute, picked: PickedValues): EnumOption[] {
  const parentValue = attribute.dependsOn ? picked[attribute.dependsOn] : undefined;
  if (!parentValue) return attribute.options;
  return attribute.options.filter((option) => option.parentValue === parentValue);
}

/**
 * Options grouped under their parent's labels (models under makes), for a dependent attribute whose
 * parent is not picked yet; null when there is nothing to group by.
 */
export function groupedOptions(
  attribute: ChoiceAttribute,
  attributes: readonly ResolvedAttribute[],
  picked: PickedValues,
): OptionGroup[] | null {
  if (!attribute.dependsOn || picked[attribute.dependsOn]) return null;
  const parent = attributes.find((candidate) => candidate.key === attribute.dependsOn);
  if (!parent || !isChoice(parent)) return null;

  const groups: OptionGroup[] = parent.options.map((option) => ({
    label: option.label,
    options: attribute.options.filter((child) => child.parentValue === option.value),
  }));
  const orphans = attribute.options.filter(
    (child) => !parent.options.some((option) => option.value === child.parentValue),
  );
  if (orphans.length > 0) groups.push({ label: 'Other', options: orphans });
  return groups.filter((group) => group.options.length > 0);
}

/**
 * Picks `value` for `key` and keeps the picks consistent: a model picked before its make implies the
 * make, and changing a make drops a model that belongs to another one.
 */
export function pickValue(
  attributes: readonly ResolvedAttribute[],
  picked: PickedValues,
  key: string,
  value: string,
): Record<string, string> {
  const next: Record<string, string> = { ...picked };
  if (value) next[key] = value;
  else delete next[key];

  let childKey = key;
  // Bounded by the attribute count so a cyclic `dependsOn` in bad data cannot loop forever.
  for (let step = 0; step < attributes.length; step += 1) {
    const child = attributes.find((candidate) => candidate.key === childKey);
    const childValue = next[childKey];
    if (!child || !isChoice(child) || !child.dependsOn || !childValue || next[child.dependsOn]) break;
    const parentValue = child.options.find((option) => option.value === childValue)?.parentValue;
    if (!parentValue) break;
    next[child.dependsOn] = parentValue;
    childKey = child.dependsOn;
  }

  dropMismatchedDependents(attributes, next, key);
  return next;
}

function dropMismatchedDependents(
  attributes: readonly ResolvedAttribute[],
  picked: Record<string, string>,
  parentKey: string,
): void {
  const parentValue = picked[parentKey];
  for (const attribute of attributes) {
    if (!isChoice(attribute) || attribute.dependsOn !== parentKey) continue;
    const value = picked[attribute.key];
    if (value === undefined) continue;
    const option = attribute.options.find((candidate) => candidate.value === value);
    if (parentValue && option?.parentValue === parentValue) continue;
    delete picked[attribute.key];
    dropMismatchedDependents(attributes, picked, attribute.key);
  }
}
