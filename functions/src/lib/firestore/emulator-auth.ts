/**
 * Credentials for the local Firestore emulator over REST.
 *
 * The Firestore client marks its calls to an emulator as an admin's ("Bearer owner") by
 * itself, but its REST transport first asks Google's auth library for application default
 * credentials, which a developer's machine or CI does not have, and fails without them. This
 * stands in for them: it adds nothing to a request and sends it with Node's fetch. Used only
 * when FIRESTORE_EMULATOR_HOST is set; in production the client uses the instance's service
 * account.
 */

/** The part of a google-auth-library client that google-gax's REST transport calls. */
interface RestAuthClient {
  getRequestHeaders(): Promise<Headers>;
  fetch(url: string, init: RestRequestInit): Promise<Response>;
}

/** What google-gax passes to `fetch` (gaxios options); only these are needed here. */
interface RestRequestInit {
  method?: string;
  headers?: Headers | Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
}

export const emulatorAuthClient: RestAuthClient = {
  getRequestHeaders: () => Promise.resolve(new Headers()),
  fetch: (url, { method, headers, body, signal }) =>
    fetch(url, { method, headers, body, signal: signal ?? null }),
};
