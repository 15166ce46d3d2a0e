import { ifMatchAllows, ifNoneMatchMatches, parseEntityTags } from './conditional';

describe('parseEntityTags', () => {
  it('reads the wildcard, lists, weak tags and unquoted tags', () => {
    expect(parseEntityTags(' * ')).toBe('*');
    expect(parseEntityTags('"a", W/"b",c ,')).toEqual([
      { weak: false, opaque: 'a' },
      { weak: true, opaque: 'b' },
      { weak: false, opaque: 'c' },
    ]);
    expect(parseEntityTags('')).toEqual([]);
  });
});

describe('ifMatchAllows', () => {
  it('matches the current strong tag, in a list too', () => {
    expect(ifMatchAllows('"v2"', '"v2"', true)).toBe(true);
    expect(ifMatchAllows('"v1", "v2"', '"v2"', true)).toBe(true);
    expect(ifMatchAllows('v2', '"v2"', true)).toBe(true);
  });

  it('refuses a stale tag, a weak tag and an empty value', () => {
    expect(ifMatchAllows('"v1"', '"v2"', true)).toBe(false);
    expect(ifMatchAllows('W/"v2"', '"v2"', true)).toBe(false);
    expect(ifMatchAllows('', '"v2"', true)).toBe(false);
  });

  it('lets * match only what exists', () => {
    expect(ifMatchAllows('*', '"v2"', true)).toBe(true);
    expect(ifMatchAllows('*', '"unset"', false)).toBe(false);
  });
});

describe('ifNoneMatchMatches', () => {
  it('compares weakly, accepts * and is false without the header', () => {
    expect(ifNoneMatchMatches({ 'if-none-match': 'W/"v2"' }, '"v2"')).toBe(true);
    expect(ifNoneMatchMatches({ 'if-none-match': '"v1", "v2"' }, '"v2"')).toBe(true);
    expect(ifNoneMatchMatches({ 'if-none-match': '*' }, '"v2"')).toBe(true);
    expect(ifNoneMatchMatches({ 'if-none-match': '"v1"' }, '"v2"')).toBe(false);
    expect(ifNoneMatchMatches({}, '"v2"')).toBe(false);
  });
});
