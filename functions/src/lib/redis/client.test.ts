import type { Redis } from '@upstash/redis';
import { Circuit } from './circuit';
import { redisCaller } from './client';
import { DeadlineExceededError } from '../util/deadline';

const fakeRedis = {} as Redis;

function setup(redis: Redis | null = fakeRedis) {
  const circuit = new Circuit('test-redis');
  const call = redisCaller({ redis: () => redis, circuit, deadlineMs: () => 30 });
  return { circuit, call };
}

describe('redisCall', () => {
  it('passes the value through onValue and closes the circuit', async () => {
    const { circuit, call } = setup();
    circuit.recordFailure(new Error('earlier'), 0);
    const result = await call(
      'op',
      async () => 41,
      (value) => value + 1,
      () => -1,
    );
    expect(result).toBe(42);
    expect(circuit.isOpen()).toBe(false);
  });

  it('issues the command in the same tick (so commands share a pipeline)', () => {
    const { call } = setup();
    const issued: string[] = [];
    void call(
      'op',
      async () => issued.push('first'),
      () => undefined,
      () => undefined,
    );
    expect(issued).toEqual(['first']);
  });

  it('falls back without calling when Redis is not configured or the circuit is open', async () => {
    const command = jest.fn(async () => 1);
    expect(await setup(null).call('op', command, String, () => 'fallback')).toBe('fallback');
    const open = setup();
    open.circuit.recordFailure(new Error('down'));
    expect(await open.call('op', command, String, () => 'fallback')).toBe('fallback');
    expect(command).not.toHaveBeenCalled();
  });

  it('falls back and opens the circuit on a failure, a synchronous throw or the deadline', async () => {
    const failures: (() => Promise<unknown>)[] = [
      () => Promise.reject(new Error('connection refused')),
      () => {
        throw new Error('thrown at once');
      },
      () => new Promise(() => undefined),
    ];
    for (const command of failures) {
      const { circuit, call } = setup();
      const recordFailure = jest.spyOn(circuit, 'recordFailure');
      expect(await call('op', command, () => 'value', () => 'fallback')).toBe('fallback');
      expect(circuit.isOpen()).toBe(true);
      expect(recordFailure).toHaveBeenCalledTimes(1);
    }
  });

  it('names the operation in the deadline error', async () => {
    const { circuit, call } = setup();
    const recordFailure = jest.spyOn(circuit, 'recordFailure');
    await call('cache read', () => new Promise(() => undefined), String, () => '');
    const error = recordFailure.mock.calls[0]?.[0];
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as DeadlineExceededError).operation).toBe('cache read');
  });
});
