import { resolveRequestId } from './request-id';

describe('resolveRequestId', () => {
  it('keeps 1-64 characters of [A-Za-z0-9._-]', () => {
    expect(resolveRequestId('abc.DEF_1-2')).toBe('abc.DEF_1-2');
    expect(resolveRequestId('x'.repeat(64))).toBe('x'.repeat(64));
  });
  it.each([undefined, '', 'x'.repeat(65), 'a b', 'a/b', 'å'])(
    'replaces %j with a new UUID',
    (value) => {
      expect(resolveRequestId(value)).toMatch(/^[0-9a-f-]{36}$/);
    },
  );
});
