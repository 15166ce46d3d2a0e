import type { Language } from '../../lib/language';
import type { Resource, SafetyLevel } from './types';

const SV_EMERGENCY: Resource = { name: '112 – nödnummer vid akut fara', phone: '112' };
const SV_SUICIDE_LINE: Resource = {
  name: 'Självmordslinjen (Mind)',
  phone: '90101',
  url: 'https://mind.se/hitta-hjalp/sjalvmordslinjen/',
};
const SV_1177: Resource = { name: '1177 Vårdguiden', phone: '1177', url: 'https://www.1177.se' };

// No `phone`: the emergency number depends on the country, so the name carries the common ones.
const EN_EMERGENCY: Resource = {
  name: 'Your local emergency number (112 in Europe, 911 in the US and Canada)',
};
const EN_988: Resource = {
  name: '988 Suicide & Crisis Lifeline (US)',
  phone: '988',
  url: 'https://988lifeline.org',
};
const EN_SAMARITANS: Resource = {
  name: 'Samaritans (UK & Ireland)',
  phone: '116 123',
  url: 'https://www.samaritans.org',
};
const EN_FIND_A_HELPLINE: Resource = {
  name: 'Find A Helpline (helplines in other countries)',
  url: 'https://findahelpline.com',
};

const CRISIS: Record<Language, readonly Resource[]> = {
  en: [EN_EMERGENCY, EN_988, EN_SAMARITANS, EN_FIND_A_HELPLINE],
  sv: [SV_EMERGENCY, SV_SUICIDE_LINE, SV_1177],
};

// Elevated = worrying but not acute: the listening services, without the emergency number, so
// the response stays gentle rather than alarming.
const ELEVATED: Record<Language, readonly Resource[]> = {
  en: [EN_988, EN_SAMARITANS, EN_FIND_A_HELPLINE],
  sv: [SV_SUICIDE_LINE, SV_1177],
};

const copy = (resources: readonly Resource[]): Resource[] => resources.map((r) => ({ ...r }));

/** Crisis resources for a language, emergency number first (fresh copies, safe to mutate). */
export function crisisResources(lang: Language): Resource[] {
  return copy(CRISIS[lang]);
}

/** The gentle set shown for `elevated`: listening services without the emergency number. */
export function elevatedResources(lang: Language): Resource[] {
  return copy(ELEVATED[lang]);
}

/** The resources that go with a level: none, the gentle set, or the crisis set. */
export function resourcesFor(level: SafetyLevel, lang: Language): Resource[] {
  if (level === 'crisis') return crisisResources(lang);
  if (level === 'elevated') return elevatedResources(lang);
  return [];
}

const host = (resource: Resource): string =>
  (resource.url ?? '').replace(/^https?:\/\/(?:www\.)?/, '').replace(/\/.*$/, '');

/**
 * The reply sent instead of the chat model when a message shows crisis: warm, non-clinical,
 * naming the crisis resources for the language (the same data as {@link crisisResources}).
 */
export function supportiveReply(lang: Language): string {
  if (lang === 'sv') {
    return [
      'Jag är så ledsen att du har det så tungt just nu, och jag är glad att du berättar det för mig. ' +
        'Du behöver inte bära det här ensam.',
      `Om du är i akut fara eller riskerar att skada dig själv, ring ${SV_EMERGENCY.phone} direkt.`,
      'Du kan också prata med någon som finns där för att lyssna:\n' +
        `• ${SV_SUICIDE_LINE.name}: ring ${SV_SUICIDE_LINE.phone} eller chatta via ${host(SV_SUICIDE_LINE)}\n` +
        `• ${SV_1177.name}: ring ${SV_1177.phone} för råd om vart du kan vända dig, eller läs mer på ${host(SV_1177)}`,
      'Om du orkar, hör av dig till någon du litar på och berätta hur du mår. ' +
        'Jag finns här och lyssnar.',
    ].join('\n\n');
  }
  return [
    "I'm really sorry you're going through this, and I'm glad you told me. " +
      "You don't have to carry it alone.",
    'If you are in immediate danger or might act on these thoughts, please call your local ' +
      'emergency number now (112 in Europe, 911 in the US and Canada).',
    'You can also talk to someone who is there to listen:\n' +
      `• ${EN_988.name}: call or text ${EN_988.phone}, or visit ${host(EN_988)}\n` +
      `• ${EN_SAMARITANS.name}: call ${EN_SAMARITANS.phone}, or visit ${host(EN_SAMARITANS)}\n` +
      `• Anywhere else: ${host(EN_FIND_A_HELPLINE)} lists free, confidential helplines in your country`,
    "If you can, reach out to someone you trust and let them know how you're feeling. " +
      "I'm here to listen too.",
  ].join('\n\n');
}
