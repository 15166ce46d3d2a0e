import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DeadlineExceededError, deadlineSignal, withDeadline } from './deadline';

/** Blocks the event loop for `ms`, as a synchronous require of a large SDK does. */
function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const never = () => new Promise<never>(() => undefined);

describe('withDeadline', () => {
  it('settles like the promise when it settles first', async () => {
    await expect(withDeadline(Promise.resolve('v'), 50, 'op')).resolves.toBe('v');
    await expect(withDeadline(Promise.reject(new Error('e')), 50, 'op')).rejects.toThrow('e');
  });

  it('rejects with DeadlineExceededError when the promise does not settle', async () => {
    await expect(withDeadline(never(), 20, 'redis GET')).rejects.toEqual(
      new DeadlineExceededError('redis GET', 20),
    );
  });

  it('lets an answer that was waiting when the process stalled win over the late timer', async () => {
    // Settles on the loop's next turn, as an answer read from a socket does.
    const answer = nextTurn().then(() => 'v');
    const raced = withDeadline(answer, 30, 'op');
    stall(150);
    await expect(raced).resolves.toBe('v');
  });

  it('reads what arrived during a stall longer than its cap before it expires', async () => {
    const answer = nextTurn().then(() => 'v');
    const raced = withDeadline(answer, 20, 'op');
    stall(150); // over 3 x 20 ms
    await expect(raced).resolves.toBe('v');
  });

  it('still expires after a stall when the promise never settles', async () => {
    const raced = withDeadline(never(), 30, 'op');
    stall(150);
    await expect(raced).rejects.toBeInstanceOf(DeadlineExceededError);
  });
});

describe('deadlineSignal', () => {
  it('aborts with a TimeoutError after the deadline', async () => {
    const { signal } = deadlineSignal(20);
    await new Promise((done) => signal.addEventListener('abort', done));
    expect(signal.reason).toMatchObject({ name: 'TimeoutError' });
  });

  it('never aborts once cleared', async () => {
    const { signal, clear } = deadlineSignal(10);
    clear();
    await new Promise((done) => setTimeout(done, 40));
    expect(signal.aborted).toBe(false);
  });
});
