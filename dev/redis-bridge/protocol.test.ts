/** Unit tests of the pure protocol and script helpers (no Redis, no HTTP). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import {
  BridgeCommandError,
  encodeEntry,
  encodeReply,
  routeCommand,
  toRedisArgs,
  wantsBase64,
} from './protocol.ts';
import { scriptSha, ScriptShaMap, stripUnsupportedScriptFlags } from './scripts.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('toRedisArgs', () => {
  it('keeps strings and stringifies numbers and booleans as the SDK sends them', () => {
    assert.deepEqual(toRedisArgs(['SET', 'k', 1.5, true, '']), ['SET', 'k', '1.5', 'true', '']);
  });
  it('rejects non-arrays, empty commands and nested values', () => {
    assert.throws(() => toRedisArgs('GET k'), BridgeCommandError);
    assert.throws(() => toRedisArgs([]), BridgeCommandError);
    assert.throws(() => toRedisArgs(['SET', 'k', { a: 1 }]), BridgeCommandError);
    assert.throws(() => toRedisArgs(['SET', 'k', null]), BridgeCommandError);
  });
});

describe('routeCommand', () => {
  it('routes ordinary commands to the shared connection', () => {
    assert.equal(routeCommand(['get', 'k']), 'shared');
    assert.equal(routeCommand(['EVALSHA', 'abc', '0']), 'shared');
    assert.equal(routeCommand(['XREAD', 'STREAMS', 's', '0']), 'shared');
    assert.equal(routeCommand(['CLIENT', 'ID']), 'shared');
  });
  it('isolates blocking commands', () => {
    assert.equal(routeCommand(['blpop', 'k', '1']), 'isolated');
    assert.equal(routeCommand(['XREAD', 'block', '100', 'STREAMS', 's', '$']), 'isolated');
  });
  it('refuses commands that change connection state', () => {
    for (const command of [
      ['MULTI'],
      ['select', '2'],
      ['SUBSCRIBE', 'c'],
      ['CLIENT', 'reply', 'off'],
      ['QUIT'],
    ]) {
      assert.throws(() => routeCommand(command), /not supported/);
    }
  });
});

describe('encodeReply', () => {
  it('base64-encodes every string at any depth, keeps integers and nulls', () => {
    const reply = [Buffer.from('a'), '12', null, [Buffer.from('b'), ['-3', Buffer.from('')]]];
    assert.equal(encodeReply(reply, true), `["${b64('a')}",12,null,["${b64('b')}",[-3,""]]]`);
  });
  it('plain mode writes UTF-8 strings as JSON strings', () => {
    assert.equal(
      encodeReply([Buffer.from('hé "q"'), Buffer.from('OK')], false),
      '["hé \\"q\\"","OK"]',
    );
  });
  it('writes 64-bit integers from their digits', () => {
    assert.equal(encodeReply('-9223372036854775808', true), '-9223372036854775808');
  });
  it('turns a nested error into its message and null/undefined into null', () => {
    assert.equal(encodeReply([new Error('ERR x')], false), '["ERR x"]');
    assert.equal(encodeReply(null, true), 'null');
    assert.equal(encodeReply(undefined, true), 'null');
  });
  it('encodes entries', () => {
    assert.equal(encodeEntry({ reply: null }, true), '{"result":null}');
    assert.equal(encodeEntry({ error: 'ERR "bad"' }, true), '{"error":"ERR \\"bad\\""}');
  });
  it('reads the Upstash-Encoding header in any case', () => {
    assert.equal(wantsBase64('base64'), true);
    assert.equal(wantsBase64('BASE64'), true);
    assert.equal(wantsBase64(undefined), false);
    assert.equal(wantsBase64('identity'), false);
  });
});

describe('script flags', () => {
  it('strips allow-key-locking and keeps flags Redis knows', () => {
    assert.equal(
      stripUnsupportedScriptFlags('#!lua flags=allow-key-locking\nreturn 1'),
      '#!lua\nreturn 1',
    );
    assert.equal(
      stripUnsupportedScriptFlags('#!lua flags=no-writes,allow-key-locking\nreturn 1'),
      '#!lua flags=no-writes\nreturn 1',
    );
  });
  it('leaves scripts without unknown flags untouched', () => {
    for (const script of ['return 1', '#!lua\nreturn 1', '#!lua flags=no-writes\nreturn 1']) {
      assert.equal(stripUnsupportedScriptFlags(script), script);
    }
  });
  it('the SDK hashes are the SHA1 of its original script text', () => {
    // Guards the mapping's premise: if a new @upstash/ratelimit stopped hashing
    // its script text, EVALSHA would never hit and every limit() would pay an extra round trip.
    const require = createRequire(import.meta.url);
    const source = readFileSync(
      require.resolve('@upstash/ratelimit').replace(/index\.js$/, 'index.mjs'),
      'utf8',
    );
    const fixedWindow = /var fixedWindowLimitScript = `([\s\S]*?)`;/.exec(source)?.[1];
    assert.ok(fixedWindow !== undefined, 'fixedWindowLimitScript not found in the SDK bundle');
    assert.ok(fixedWindow.startsWith('#!lua flags=allow-key-locking'));
    assert.match(
      source,
      new RegExp(`script: fixedWindowLimitScript,\\s*hash: "${scriptSha(fixedWindow)}"`),
    );
  });
});

describe('ScriptShaMap', () => {
  const original = '#!lua flags=allow-key-locking\nreturn 1';
  const stripped = '#!lua\nreturn 1';

  it('EVAL strips the flag and teaches EVALSHA the new hash', () => {
    const map = new ScriptShaMap();
    // Before any EVAL the hash passes through (and Redis answers NOSCRIPT).
    assert.deepEqual(map.rewrite(['EVALSHA', scriptSha(original), '0']).args, [
      'EVALSHA',
      scriptSha(original),
      '0',
    ]);
    assert.deepEqual(map.rewrite(['eval', original, '1', 'k', 'a']).args, [
      'eval',
      stripped,
      '1',
      'k',
      'a',
    ]);
    assert.deepEqual(map.rewrite(['EVALSHA_RO', scriptSha(original).toUpperCase(), '0']).args, [
      'EVALSHA_RO',
      scriptSha(stripped),
      '0',
    ]);
    assert.deepEqual(map.rewrite(['SCRIPT', 'EXISTS', scriptSha(original), 'ffff']).args, [
      'SCRIPT',
      'EXISTS',
      scriptSha(stripped),
      'ffff',
    ]);
  });

  it('SCRIPT LOAD answers with the client-side hash', () => {
    const map = new ScriptShaMap();
    const rewrite = map.rewrite(['SCRIPT', 'LOAD', original]);
    assert.deepEqual(rewrite.args, ['SCRIPT', 'LOAD', stripped]);
    assert.deepEqual(
      rewrite.mapReply?.(Buffer.from(scriptSha(stripped))),
      Buffer.from(scriptSha(original)),
    );
    assert.equal(map.rewrite(['SCRIPT', 'LOAD', 'return 2']).mapReply, undefined);
  });

  it('is bounded', () => {
    const map = new ScriptShaMap(2);
    for (let i = 0; i < 5; i++)
      map.rewrite(['EVAL', `#!lua flags=allow-key-locking\nreturn ${i}`, '0']);
    assert.equal(map.size, 2);
  });
});
