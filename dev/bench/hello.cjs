// Baseline for dev/bench/load.ts: the smallest firebase-functions onRequest function, served by
// the same Functions Framework, so the load test shows what Stilla's pipeline costs on top.
const { createRequire } = require('node:module');
const { join } = require('node:path');
const functionsRequire = createRequire(join(__dirname, '..', '..', 'functions', 'package.json'));
const { onRequest } = functionsRequire('firebase-functions/v2/https');

exports.hello = onRequest((_req, res) => {
  res.json({ ok: true });
});
