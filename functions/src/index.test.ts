/**
 * What `firebase deploy` would deploy, read from the exported functions' manifests through
 * firebase-functions-test (offline mode), and what loading the code costs: no heavy module.
 */
import functionsTest from 'firebase-functions-test';

const testEnv = functionsTest({ projectId: 'demo-stilla-unit' });
afterAll(() => testEnv.cleanup());

interface Manifest {
  platform: string;
  region: string[];
  httpsTrigger?: { invoker?: string[] };
  eventTrigger?: { eventType: string };
  secretEnvironmentVariables?: { key: string }[];
  concurrency?: number;
}

function manifests(): Record<string, Manifest> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the test env
  const exported = require('./index') as Record<string, { __endpoint: Manifest }>;
  return Object.fromEntries(Object.entries(exported).map(([name, fn]) => [name, fn.__endpoint]));
}

/** Functions that call a language model (insights or moderation) and so read OPENAI_API_KEY. */
const MODEL_USERS = ['aiChat', 'health', 'moodLog', 'weeklyAnalysis'];

describe('deployed functions', () => {
  it('exports the contract functions that exist, as public 2nd-gen HTTPS functions in europe-west1', () => {
    const all = manifests();
    const http = Object.fromEntries(Object.entries(all).filter(([, m]) => m.httpsTrigger));
    expect(Object.keys(http).sort()).toEqual([
      'account',
      'aiChat',
      'aiHistory',
      'allocations',
      'health',
      'moodGet',
      'moodLog',
      'weeklyAnalysis',
    ]);
    for (const manifest of Object.values(http)) {
      expect(manifest.platform).toBe('gcfv2');
      expect(manifest.region).toEqual(['europe-west1']);
      expect(manifest.httpsTrigger?.invoker).toEqual(['public']);
      expect(manifest.concurrency).toBe(80);
    }
  });

  it('binds the shared secrets everywhere and the model key where a model is called', () => {
    for (const [name, manifest] of Object.entries(manifests())) {
      if (!manifest.httpsTrigger) continue;
      const secrets = (manifest.secretEnvironmentVariables ?? []).map((s) => s.key).sort();
      const expected = [
        'SENTRY_DSN',
        'UPSTASH_REDIS_REST_TOKEN',
        ...(MODEL_USERS.includes(name) ? ['OPENAI_API_KEY'] : []),
      ];
      expect({ name, secrets }).toEqual({ name, secrets: expected.sort() });
    }
  });
});

describe('account erase on Auth deletion', () => {
  it('is a 1st-gen Auth user.delete trigger in europe-west1 with the Redis secret', () => {
    const manifest = manifests().eraseOnUserDeleted;
    expect(manifest?.platform).toBe('gcfv1');
    expect(manifest?.region).toEqual(['europe-west1']);
    expect(manifest?.eventTrigger?.eventType).toBe(
      'providers/firebase.auth/eventTypes/user.delete',
    );
    expect((manifest?.secretEnvironmentVariables ?? []).map((s) => s.key)).toEqual([
      'UPSTASH_REDIS_REST_TOKEN',
    ]);
  });
});

describe('lazy loading', () => {
  it('loads none of openai, Sentry or the Firestore client when the code is loaded', () => {
    jest.isolateModules(() => {
      for (const heavy of [
        'openai',
        '@sentry/google-cloud-serverless',
        '@google-cloud/firestore',
      ]) {
        jest.doMock(heavy, () => {
          throw new Error(`${heavy} was loaded at start`);
        });
      }
      expect(() => manifests()).not.toThrow();
    });
  });
});
