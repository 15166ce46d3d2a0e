/**
 * Lifecycle of the long-running dev commands (`npm start`, dev/watch.ts): every signal that
 * stops a process from outside ends all that it started. SIGINT is Ctrl-C; SIGTERM comes from
 * `kill`, a process manager or a container stop; SIGHUP from a closed terminal.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * Runs `stop` on the first stop signal, then exits with `exitCode`. Later signals are ignored
 * while it runs: a signal sent to the whole process group arrives twice (directly and forwarded
 * by dev/bootstrap.mjs), and exiting on the second one would leave children behind.
 */
export function onStopSignal(stop: (signal: StopSignal) => Promise<void>, exitCode = 0): void {
  let stopping = false;
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      // After SIGHUP the terminal is gone: a failed write must not end the cleanup.
      for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
      void stop(signal)
        .catch((error: unknown) => console.error(error))
        .finally(() => process.exit(exitCode));
    });
  }
}

export interface TscWatchOptions {
  /** Directory of the TypeScript project. */
  cwd: string;
  /** tsconfig file, relative to `cwd`. */
  project: string;
  /** Where tsc's own output goes: `ignore` (npm start keeps its terminal for itself) or `inherit`. */
  stdout: 'ignore' | 'inherit';
}

/**
 * `tsc --watch` in a process group of its own, so that Ctrl-C does not stop it behind the
 * owner's back; the owner ends it with stopProcess (dev/stack.ts) when it stops.
 */
export function startTscWatch(tsc: string, options: TscWatchOptions): ChildProcess {
  return spawn(tsc, ['-p', options.project, '--watch', '--preserveWatchOutput'], {
    cwd: options.cwd,
    stdio: ['ignore', options.stdout, 'inherit'],
    detached: true,
  });
}
