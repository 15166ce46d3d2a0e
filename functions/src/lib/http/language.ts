import type { IncomingHttpHeaders } from 'node:http';
import type { Language } from '../language';

/**
 * The client's language from `Accept-Language` where a request has no `lang` of its own:
 * Swedish when Swedish is preferred over English, else English.
 */
export function preferredLanguage(headers: IncomingHttpHeaders): Language {
  const header = headers['accept-language'];
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find(Boolean);
      return { lang: tag.split('-')[0], q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.lang === 'sv' || entry.lang === 'en')
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.lang === 'sv' ? 'sv' : 'en';
}
