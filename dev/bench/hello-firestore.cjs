// Reference for the cold starts of dev/bench/mix.ts: the hello baseline plus one Firestore read
// through firebase-admin, loaded on first use as Stilla loads it. What any function that reads
// Firestore pays on a cold start, whatever its own code: the floor under Stilla's functions.
const { createRequire } = require('node:module');
const { join } = require('node:path');
const functionsRequire = createRequire(join(__dirname, '..', '..', 'functions', 'package.json'));
const { onRequest } = functionsRequire('firebase-functions/v2/https');

let db;
exports.helloFirestore = onRequest(async (_req, res) => {
  if (!db) {
    const { getApps, initializeApp } = functionsRequire('firebase-admin/app');
    const { getFirestore } = functionsRequire('firebase-admin/firestore');
    db = getFirestore(getApps()[0] ?? initializeApp());
  }
  const snapshot = await db.doc('bench-floor/one').get();
  res.json({ ok: true, exists: snapshot.exists });
});
