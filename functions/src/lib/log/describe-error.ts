/**
 * An error of infrastructure as one log string: name and message, optionally the first stack
 * frames. Callers only pass errors that carry no user text (SDK, network, database errors).
 *
 * @param options.maxLength - cap on the name-and-message part (default 300)
 * @param options.stackFrames - stack frames to append (default 0)
 */
export function describeError(
  error: unknown,
  { maxLength = 300, stackFrames = 0 }: { maxLength?: number; stackFrames?: number } = {},
): string {
  if (!(error instanceof Error)) return String(error).slice(0, maxLength);
  const head = `${error.name}: ${error.message}`.slice(0, maxLength);
  if (stackFrames === 0 || !error.stack) return head;
  return `${head}\n${error.stack
    .split('\n')
    .slice(1, 1 + stackFrames)
    .join('\n')}`;
}
