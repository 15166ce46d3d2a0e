/**
 * An unsigned (`alg: none`) Firebase ID token for `sub` in `project`, as the Auth emulator
 * issues: the benchmarks' servers run with the emulator's trust settings.
 */
export function unsignedToken(project: string, sub: string): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({
    iss: `https://securetoken.google.com/${project}`,
    aud: project,
    sub,
    iat: now - 5,
    exp: now + 3600,
  })}.`;
}
