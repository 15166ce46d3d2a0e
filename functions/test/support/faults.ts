/**
 * The fault switches of the test stack's services (the Firestore proxy, the Upstash bridge, the
 * key server): each takes `POST …/__fault` with a JSON body naming the mode.
 */
export type FaultMode = 'ok' | 'down' | 'hang';

/** Sets a service's fault: `url` is its `/__fault` endpoint, `settings` at least `{mode}`. */
export async function setFault(
  url: string,
  settings: { mode: FaultMode } & Record<string, unknown>,
): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(settings),
  });
  expect(res.status).toBe(200);
}
