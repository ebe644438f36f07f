import { describe, expect, it } from 'vitest';
import { formatMoney, minorDigits, minorToMajorInput, parseMajorAmount, priceLabel } from './money';

describe('money in the web app', () => {
  it('formats minor units by the contract, without ".00" on a round amount', () => {
    expect(formatMoney(245_000_000, 'LKR')).toMatch(/^LKR\s2,450,000$/);
    expect(formatMoney(1_050, 'USD')).toBe('$10.50');
    expect(formatMoney(1_234_567, 'JPY')).toBe('¥1,234,567');
  });

  it('parses what a seller types into minor units, by string arithmetic', () => {
    expect(parseMajorAmount('1,250,000.50', 'LKR')).toEqual({ ok: true, minor: 125_000_050 });
    expect(parseMajorAmount('10.505', 'USD').ok).toBe(false);
    expect(parseMajorAmount('500', 'JPY')).toEqual({ ok: true, minor: 500 });
    expect(minorDigits('KWD')).toBe(3);
    expect(minorToMajorInput(125_000_050, 'LKR')).toBe('1250000.50');
  });

  it('says what a price is on a card', () => {
    expect(priceLabel(null)).toEqual({ main: 'Price not set', note: null });
    expect(priceLabel({ type: 'negotiable', amount: 100_000, currency: 'USD' })).toEqual({
      main: '$1,000',
      note: 'Negotiable',
    });
  });
});
