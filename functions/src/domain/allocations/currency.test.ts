import { EXCLUDED_CURRENCIES, isSupportedCurrency, supportedCurrencies } from './currency';

describe('currencies', () => {
  it.each(['SEK', 'EUR', 'USD', 'JPY', 'NOK', 'XOF', 'XAF'])('accepts %s', (code) => {
    expect(isSupportedCurrency(code)).toBe(true);
  });

  it.each(['sek', 'ABC', 'XAU', 'XAG', 'XDR', 'XSU', 'XTS', 'XXX', 'CHE', 'SEKK', ''])(
    'refuses %j',
    (code) => {
      expect(isSupportedCurrency(code)).toBe(false);
    },
  );

  it('is a real list: over 100 three-letter codes from ICU, none of the excluded ones', () => {
    const codes = [...supportedCurrencies()];
    expect(codes.length).toBeGreaterThan(100);
    for (const code of codes) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect(EXCLUDED_CURRENCIES.has(code)).toBe(false);
    }
  });
});
