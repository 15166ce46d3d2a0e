/**
 * ISO 4217 currency codes a budget may be kept in: the codes the runtime's ICU data knows
 * (`Intl.supportedValuesOf('currency')`, which lists real, current codes only) minus the codes
 * that are not money a person budgets in: special drawing rights and other units of account,
 * precious metals, bond-market units, fund codes and the testing/"no currency" codes. They are
 * excluded explicitly so that a newer ICU listing one of them changes nothing.
 */
export const EXCLUDED_CURRENCIES: ReadonlySet<string> = new Set([
  // Units of account and supranational settlement units.
  'XDR', 'XSU', 'XUA', 'XBA', 'XBB', 'XBC', 'XBD',
  // Precious metals.
  'XAU', 'XAG', 'XPT', 'XPD',
  // Testing and "no currency".
  'XTS', 'XXX',
  // Fund codes (indexed units, next-day money).
  'BOV', 'CHE', 'CHW', 'CLF', 'COU', 'MXV', 'USN', 'UYI', 'UYW',
]); // prettier-ignore

let supported: ReadonlySet<string> | undefined;

/** The accepted codes (upper-case, three letters). */
export function supportedCurrencies(): ReadonlySet<string> {
  supported ??= new Set(
    Intl.supportedValuesOf('currency').filter((code) => !EXCLUDED_CURRENCIES.has(code)),
  );
  return supported;
}

/** Whether `code` is an accepted ISO 4217 code, exactly as written (upper-case). */
export function isSupportedCurrency(code: string): boolean {
  return supportedCurrencies().has(code);
}
