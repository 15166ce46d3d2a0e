import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startApiReference } from './server.ts';

const root = resolve(import.meta.dirname, '..', '..');

test('serves the reference page, its local assets and the document under a strict CSP', async () => {
  const reference = await startApiReference({
    root,
    port: 0,
    connectOrigins: ['http://127.0.0.1:5001'],
  });
  try {
    const page = await fetch(reference.url);
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-/);
    assert.match(csp, /connect-src 'self' http:\/\/127\.0\.0\.1:5001/);
    const html = await page.text();
    // Every script and stylesheet is served here (no CDN) and none is inline.
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    assert.deepEqual(assets.sort(), ['/init.js', '/swagger-ui-bundle.js', '/swagger-ui.css']);
    assert.doesNotMatch(html, /<script>|<style>/);
    for (const asset of assets) {
      const res = await fetch(new URL(asset, reference.url));
      assert.equal(res.status, 200, asset);
      assert.ok((await res.arrayBuffer()).byteLength > 0, asset);
    }
    const doc = await fetch(new URL('/openapi.json', reference.url));
    assert.deepEqual(
      await doc.json(),
      JSON.parse(readFileSync(resolve(root, 'docs', 'openapi.json'), 'utf8')),
    );
    assert.equal((await fetch(new URL('/../package.json', reference.url))).status, 404);
  } finally {
    await reference.close();
  }
});
