/** The languages Stilla speaks: chat and fallback replies, insights, crisis resources. */
export const LANGUAGES = ['en', 'sv'] as const;
export type Language = (typeof LANGUAGES)[number];
