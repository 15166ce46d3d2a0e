import { estimateMessageTokens } from '../../lib/llm/tokens';
import {
  buildModelMessages,
  chatSystemPrompt,
  fallbackContinuation,
  fallbackReply,
  messagePreview,
  sessionTitle,
  shorten,
  TITLE_MAX_CHARS,
} from '.';

describe('session labels', () => {
  it('keeps a short first message as the title, on one line', () => {
    expect(sessionTitle('  Hard day\n\nat   work ')).toBe('Hard day at work');
  });

  it('shortens at a word boundary with an ellipsis', () => {
    const title = sessionTitle(`${'word '.repeat(30)}end`);
    expect(title.length).toBeLessThanOrEqual(TITLE_MAX_CHARS);
    expect(title).toMatch(/^(word )+?word…$/);
  });

  it('cuts a long word hard, never inside a surrogate pair', () => {
    expect(shorten('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    const cut = shorten('😀'.repeat(20), 10);
    expect(cut).toBe(`${'😀'.repeat(4)}…`);
    expect(messagePreview('short')).toBe('short');
  });
});

describe('fallbacks', () => {
  it('answers in the requested language', () => {
    expect(fallbackReply('en')).toMatch(/sorry/i);
    expect(fallbackReply('sv')).toMatch(/förlåt/i);
  });

  it('ends a partial answer with an apology, and replaces an empty one', () => {
    expect(fallbackContinuation('', 'sv')).toBe(fallbackReply('sv'));
    expect(fallbackContinuation('  ', 'en')).toBe(fallbackReply('en'));
    const ending = fallbackContinuation('I think that', 'en');
    expect(ending.startsWith(' …\n\n')).toBe(true);
    expect(ending).toMatch(/lost my train of thought/);
    expect(fallbackContinuation('Jag tror ', 'sv').startsWith('…')).toBe(true);
  });
});

describe('chatSystemPrompt', () => {
  it('is supportive, non-clinical, and names the language', () => {
    const en = chatSystemPrompt('en', 'none');
    expect(en).toMatch(/warm/i);
    expect(en).toMatch(/never diagnose/i);
    expect(en).toMatch(/professional/i);
    expect(en).toMatch(/language the user writes in.*English/);
    expect(chatSystemPrompt('sv', 'none')).toMatch(/Swedish/);
  });

  it('asks for extra care only when the level is elevated', () => {
    expect(chatSystemPrompt('en', 'elevated')).toMatch(/strong distress/);
    expect(chatSystemPrompt('en', 'none')).not.toMatch(/strong distress/);
  });
});

describe('buildModelMessages', () => {
  const turn = (n: number, chars = 40) => ({
    role: (n % 2 ? 'assistant' : 'user') as 'user' | 'assistant',
    content: `${n}:`.padEnd(chars, 'x'),
  });

  it('sends the system prompt and every message when they fit, in order', () => {
    const history = [turn(0), turn(1), turn(2)];
    expect(buildModelMessages('SYS', history, 1_000)).toEqual([
      { role: 'system', content: 'SYS' },
      ...history,
    ]);
  });

  it('keeps the most recent messages that fit the budget', () => {
    const history = Array.from({ length: 10 }, (_, n) => turn(n, 400));
    const cost = estimateMessageTokens(history[0]!.content);
    const messages = buildModelMessages('SYS', history, cost * 3 + 1);
    expect(messages.slice(1)).toEqual(history.slice(7));
  });

  it('always sends the newest message, even over the budget, and skips empty ones', () => {
    const huge = { role: 'user' as const, content: 'y'.repeat(20_000) };
    expect(buildModelMessages('SYS', [turn(0), huge], 100).slice(1)).toEqual([huge]);
    const empty = { role: 'assistant' as const, content: '' };
    expect(buildModelMessages('SYS', [turn(0), empty, turn(2)], 1_000).slice(1)).toEqual([
      turn(0),
      turn(2),
    ]);
  });
});
