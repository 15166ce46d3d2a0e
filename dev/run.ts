/** Running commands of the local tooling: inherit output, resolve with the exit code. */
import { spawn } from 'node:child_process';

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Capture stdout (still echoed) and return it. */
  capture?: boolean;
  /** Aborting kills the command (SIGTERM). */
  signal?: AbortSignal;
}

export async function run(
  command: string,
  args: string[],
  options: RunOptions,
): Promise<{ code: number; stdout: string }> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', options.capture ? 'pipe' : 'inherit', 'inherit'],
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    process.stdout.write(chunk);
  });
  const code = await new Promise<number>((resolve) => {
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
    // An abort also ends here (AbortError), after the kill: not a missing command then.
    child.on('error', () => resolve(options.signal?.aborted ? 1 : 127));
  });
  return { code, stdout };
}
