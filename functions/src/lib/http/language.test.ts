import { preferredLanguage } from './language';

describe('preferredLanguage', () => {
  it.each([
    [undefined, 'en'],
    ['sv', 'sv'],
    ['sv-SE,sv;q=0.9,en;q=0.8', 'sv'],
    ['en-GB,sv;q=0.5', 'en'],
    ['de-DE,sv;q=0.4', 'sv'],
    ['en;q=0.2,sv;q=0.9', 'sv'],
    ['fr', 'en'],
  ])('%j -> %s', (header, expected) => {
    expect(preferredLanguage(header === undefined ? {} : { 'accept-language': header })).toBe(
      expected,
    );
  });
});
