/** Replies that need no model: when it is not configured, slow, failing or over budget (pure). */
import type { Language } from '../../lib/language';

const FALLBACK: Record<Language, string> = {
  en:
    "I'm sorry, I can't answer properly right now, but I'm glad you wrote. " +
    'Take a slow breath, and try again in a little while. ' +
    'If things feel heavy, talking to someone you trust can help too.',
  sv:
    'Förlåt, jag kan inte svara ordentligt just nu, men jag är glad att du skrev. ' +
    'Ta ett lugnt andetag och försök igen om en liten stund. ' +
    'Om det känns tungt kan det också hjälpa att prata med någon du litar på.',
};

const CONTINUATION: Record<Language, string> = {
  en: "I'm sorry, I lost my train of thought there. Could you send your message again in a little while?",
  sv: 'Förlåt, jag tappade tråden där. Kan du skicka ditt meddelande igen om en liten stund?',
};

/** A kind reply for when the model gave no usable answer. */
export function fallbackReply(lang: Language): string {
  return FALLBACK[lang];
}

/**
 * What follows the text a model had already streamed when it failed: the deltas sent so far
 * stay, and this ends the reply (so the concatenated deltas are always the stored reply).
 */
export function fallbackContinuation(partial: string, lang: Language): string {
  if (partial.trim() === '') return FALLBACK[lang];
  return `${/\s$/.test(partial) ? '' : ' '}…\n\n${CONTINUATION[lang]}`;
}
