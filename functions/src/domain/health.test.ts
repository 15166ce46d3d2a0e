import { healthStatus } from './health';

describe('healthStatus', () => {
  const ok = { status: 'ok' as const, latencyMs: 3 };
  const openai = { status: 'configured' as const };

  it('is ok when Firestore and Redis answer, or Redis is not configured', () => {
    expect(healthStatus({ firestore: ok, redis: { status: 'ok', latencyMs: 1 }, openai })).toBe(
      'ok',
    );
    expect(
      healthStatus({ firestore: ok, redis: { status: 'disabled', latencyMs: null }, openai }),
    ).toBe('ok');
  });

  it('is degraded when only Redis fails: the API still serves', () => {
    expect(
      healthStatus({ firestore: ok, redis: { status: 'error', latencyMs: 250 }, openai }),
    ).toBe('degraded');
  });

  it('is down when Firestore fails, whatever Redis does', () => {
    const down = { status: 'error' as const, latencyMs: 1500 };
    expect(healthStatus({ firestore: down, redis: { status: 'ok', latencyMs: 1 }, openai })).toBe(
      'down',
    );
    expect(
      healthStatus({ firestore: down, redis: { status: 'error', latencyMs: 1 }, openai }),
    ).toBe('down');
  });
});
