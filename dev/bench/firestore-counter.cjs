/**
 * Preloaded (`node --require`) into a function's process by dev/bench/chat.ts: counts the
 * Firestore RPCs the process makes and the documents they read and write, through the client
 * library's two entry points (Firestore#request and #requestStream), and serves the counts on
 * 127.0.0.1:$STILLA_BENCH_FIRESTORE_COUNTER_PORT (GET: counts, POST: reset).
 */
'use strict';
const { createRequire } = require('node:module');
const http = require('node:http');

const load = createRequire(`${process.cwd()}/package.json`);
const { Firestore } = load('@google-cloud/firestore');
let counts = {};
const add = (key, n = 1) => {
  counts[key] = (counts[key] ?? 0) + n;
};

const request = Firestore.prototype.request;
Firestore.prototype.request = function (method, body, ...rest) {
  add(`rpc ${method}`);
  if (method === 'commit') add('documents written', body?.writes?.length ?? 0);
  return request.call(this, method, body, ...rest);
};

const requestStream = Firestore.prototype.requestStream;
Firestore.prototype.requestStream = async function (method, bidi, body, ...rest) {
  add(`rpc ${method}`);
  const stream = await requestStream.call(this, method, bidi, body, ...rest);
  // Counted as the library reads them, without changing how it reads the stream.
  const emit = stream.emit;
  stream.emit = function (event, chunk, ...more) {
    if (event === 'data' && chunk) {
      if (method === 'batchGetDocuments' && (chunk.found || chunk.missing)) add('documents read');
      if (method === 'runQuery' && chunk.document) add('documents read');
    }
    return emit.call(this, event, chunk, ...more);
  };
  return stream;
};

http
  .createServer((req, res) => {
    if (req.method === 'POST') counts = {};
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(counts));
  })
  .listen(Number(process.env.STILLA_BENCH_FIRESTORE_COUNTER_PORT), '127.0.0.1');
