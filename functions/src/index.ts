import { onRequest } from 'firebase-functions/v2/https';
import { defineString, defineSecret, defineInt } from 'firebase-functions/params';
const greeting = defineString('GREETING', { default: 'hi' });
const lim = defineInt('LIM', { default: 5 });
const secret = defineSecret('OPENAI_API_KEY');
export const probe = onRequest({ region: 'europe-west1', secrets: [secret] }, (req, res) => {
  res.json({
    greeting: greeting.value(), lim: lim.value(), secret: secret.value() ? 'set' : 'unset',
    env: { X: process.env.STILLA_PROBE, FS: process.env.FIRESTORE_EMULATOR_HOST, AUTH: process.env.FIREBASE_AUTH_EMULATOR_HOST, EMU: process.env.FUNCTIONS_EMULATOR, node: process.version },
    body: req.body, raw: req.rawBody?.length, ct: req.headers['content-type'],
  });
});
