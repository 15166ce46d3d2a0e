/** How a session is labelled in the session list (pure). */

export const TITLE_MAX_CHARS = 60;
const PREVIEW_MAX_CHARS = 120;

/** Whitespace runs (newlines included) as one space, trimmed. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * `text` on one line, at most `max` UTF-16 units: cut at the last space in its second half when
 * there is one (a word is not split), never inside a surrogate pair, ending with `…`.
 */
export function shorten(text: string, max: number): string {
  const line = oneLine(text);
  if (line.length <= max) return line;
  let cut = line.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(' ');
  if (space >= max / 2) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}

/** A session's title: its first message, on one line, shortened. */
export function sessionTitle(firstMessage: string): string {
  return shorten(firstMessage, TITLE_MAX_CHARS);
}

/** The preview of a session's last message. */
export function messagePreview(content: string): string {
  return shorten(content, PREVIEW_MAX_CHARS);
}
