import type { LocationNode } from '@souk/contracts';
import { useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../i18n/use-t';
import { SelectField } from '../../ui/form/select-field';
import { useLocationTree } from '../catalog/catalog-queries';

type CityGroup = { label: string; places: LocationNode[] };

/** The cities of a country grouped under their nearest region (district, emirate…). */
function cityGroups(country: LocationNode): CityGroup[] {
  const groups = new Map<string, CityGroup>();
  function walk(node: LocationNode, region: string) {
    for (const child of node.children) {
      if (child.kind === 'city') {
        const group = groups.get(region) ?? { label: region, places: [] };
        group.places.push(child);
        groups.set(region, group);
      }
      walk(child, child.kind === 'region' ? child.name : region);
    }
  }
  walk(country, country.name);
  return [...groups.values()]
    .map((group) => ({ ...group, places: group.places.toSorted((a, b) => a.name.localeCompare(b.name)) }))
    .toSorted((a, b) => a.label.localeCompare(b.label));
}

function contains(node: LocationNode, id: string): boolean {
  return node.id === id || node.children.some((child) => contains(child, id));
}

type LocationPickerProps = {
  /** The picked location id; the form reads it from a hidden input named `locationId`. */
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string | undefined;
};

export function LocationPicker({ value, onChange, error }: LocationPickerProps) {
  const t = useT();
  const tree = useLocationTree();
  const countries = (tree.data?.items ?? []).filter((node) => node.kind === 'country');
  const pickedCountry = value ? countries.find((country) => contains(country, value)) : undefined;
  const [countryId, setCountryId] = useState<string>('');
  const country = pickedCountry ?? countries.find((candidate) => candidate.id === countryId);

  if (tree.isError) {
    return (
      <p className="text-sm text-red-700">
        <FormattedMessage id="account.locationPicker.weCouldNotLoad" />
      </p>
    );
  }

  return (
    <fieldset className="grid gap-4 sm:grid-cols-2">
      <legend className="sr-only">
        <FormattedMessage id="account.locationPicker.location" />
      </legend>
      <SelectField
        label={t('account.locationPicker.country')}
        value={country?.id ?? ''}
        disabled={tree.isPending}
        onChange={(event) => {
          setCountryId(event.target.value);
          onChange(event.target.value || null);
        }}
      >
        <option value="">{tree.isPending ? t('common.loading') : t('account.locationPicker.notSet')}</option>
        {countries.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('account.locationPicker.city')}
        value={value && value !== country?.id ? value : ''}
        disabled={!country}
        error={error}
        onChange={(event) => onChange(event.target.value || country?.id || null)}
      >
        <option value="">
          {country
            ? t('account.locationPicker.anywhere', { name: country.name })
            : t('account.locationPicker.pickCountryFirst')}
        </option>
        {country &&
          cityGroups(country).map((group) => (
            <optgroup key={group.label} label={group.label}>
              {group.places.map((place) => (
                <option key={place.id} value={place.id}>
                  {place.name}
                </option>
              ))}
            </optgroup>
          ))}
      </SelectField>
    </fieldset>
  );
}
