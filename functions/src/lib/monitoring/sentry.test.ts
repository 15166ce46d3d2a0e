/**
 * Proves that nothing a user wrote reaches Sentry: the real SDK, initialised by our code, with a
 * transport that captures the envelopes it would send.
 */
import * as Sentry from '@sentry/google-cloud-serverless';
import { initSentry, scrubEvent } from './sentry';

describe('Sentry', () => {
  const sent: string[] = [];
  beforeAll(() => {
    initSentry(Sentry, 'https://public@sentry.invalid/1', {
      transport: () => ({
        send: async (envelope: unknown) => {
          sent.push(JSON.stringify(envelope));
          return {};
        },
        flush: async () => true,
      }),
    });
  });

  it('sends the error but none of the request body, query, headers or breadcrumbs', async () => {
    const note = 'I felt awful after the meeting with my therapist';
    const token = 'eyJhbGciOiJSUzI1NiJ9.secret-token-payload.sig';
    Sentry.addBreadcrumb({ message: `console: ${note}` });
    Sentry.withScope((scope) => {
      scope.setExtra('body', { note });
      scope.setUser({ id: 'u1', email: 'person@example.com' });
      scope.setContext('request_body', { note });
      scope.addEventProcessor((event) => ({
        ...event,
        request: {
          method: 'POST',
          url: 'https://x/moodLog?note=secret',
          data: { note },
          headers: { authorization: `Bearer ${token}` },
          cookies: { session: token },
          query_string: `note=${note}`,
        },
      }));
      Sentry.captureException(new Error('database exploded'));
    });
    await Sentry.flush(2000);
    const all = sent.join('\n');
    expect(all).toContain('database exploded');
    expect(all).not.toContain(note);
    expect(all).not.toContain('secret-token-payload');
    expect(all).not.toContain('person@example.com');
    expect(all).not.toContain('note=secret');
  });

  it('scrubEvent keeps only method and path of the request', () => {
    const event = scrubEvent({
      type: undefined,
      request: {
        method: 'GET',
        url: 'https://x/moodGet?tag=private',
        data: 'x',
        headers: { a: 'b' },
      },
      user: { id: 'u' },
      extra: { a: 1 },
      breadcrumbs: [{ message: 'x' }],
      contexts: { os: { name: 'linux' }, custom: { note: 'x' } },
    });
    expect(event.request).toEqual({ method: 'GET', url: 'https://x/moodGet' });
    expect(event.user).toBeUndefined();
    expect(event.extra).toBeUndefined();
    expect(event.breadcrumbs).toBeUndefined();
    expect(event.contexts).toEqual({ os: { name: 'linux' } });
  });
});
