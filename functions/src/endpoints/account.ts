import { defineEndpoint, method } from '../lib/http/endpoint';
import { CACHE_SCOPES, invalidateCache } from '../lib/cache/response-cache';
import {
  assertAccountReadable,
  eraseAccount,
  moodsSection,
  writeAccountExport,
} from '../data/account';

/** A uid as a safe file-name part (Firebase uids are already; tokens from elsewhere may not be). */
const fileSafe = (uid: string): string => uid.replace(/[^A-Za-z0-9_-]/g, '_');

export const account = defineEndpoint({
  name: 'account',
  auth: 'user',
  rateLimit: 'account',
  // A large export streams for a while; an erase deletes page by page.
  timeoutSeconds: 300,
  methods: {
    GET: method({
      handler: async ({ uid }) => {
        await assertAccountReadable(uid);
        const now = new Date();
        const filename = `stilla-export-${fileSafe(uid)}-${now.toISOString().slice(0, 10)}.json`;
        return {
          contentType: 'application/json; charset=utf-8',
          headers: {
            'Content-Disposition': `attachment; filename="${filename}"`,
            'Cache-Control': 'private, no-store',
          },
          body: (out) => writeAccountExport(uid, out, [moodsSection], now),
        };
      },
    }),
    DELETE: method({
      handler: async ({ uid }) => {
        await eraseAccount(uid);
        await invalidateCache(uid, CACHE_SCOPES);
        return { status: 204 };
      },
    }),
  },
});
