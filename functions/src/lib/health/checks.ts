/** Probes of each dependency for `health`, each with a short deadline of its own. */
import { performance } from 'node:perf_hooks';
import { firestore } from '../firestore/db';
import { HEALTH_PROBE_PATH } from '../firestore/paths';
import { llmConfigured } from '../llm/client';
import { getRedis, redisCircuit } from '../redis/client';
import { withDeadline } from '../util/deadline';

/** A probe of a dependency that must answer. */
export interface DependencyCheck {
  status: 'ok' | 'error';
  latencyMs: number;
}

/** What the probes found, as the contract's health `checks`. */
export interface DependencyChecks {
  firestore: DependencyCheck;
  redis: { status: 'ok' | 'error' | 'disabled'; latencyMs: number | null };
  openai: { status: 'configured' | 'not_configured' };
}

/** Deadline of each probe. */
const HEALTH_CHECK_TIMEOUT_MS = 1_500;

async function timed(
  probe: () => Promise<unknown>,
  name: string,
): Promise<{ ok: boolean; latencyMs: number }> {
  const started = performance.now();
  let ok = true;
  try {
    await withDeadline(probe(), HEALTH_CHECK_TIMEOUT_MS, name);
  } catch {
    ok = false;
  }
  return { ok, latencyMs: Math.round(performance.now() - started) };
}

export async function checkFirestore(): Promise<DependencyChecks['firestore']> {
  // Reading a document that never exists: the cheapest round trip that proves the service answers.
  const result = await timed(
    async () => (await firestore()).doc(HEALTH_PROBE_PATH).get(),
    'firestore probe',
  );
  return { status: result.ok ? 'ok' : 'error', latencyMs: result.latencyMs };
}

export async function checkRedis(): Promise<DependencyChecks['redis']> {
  const redis = getRedis();
  if (!redis) return { status: 'disabled', latencyMs: null };
  const result = await timed(() => redis.ping(), 'redis probe');
  if (result.ok) redisCircuit.recordSuccess();
  return { status: result.ok ? 'ok' : 'error', latencyMs: result.latencyMs };
}

export function checkOpenAi(): DependencyChecks['openai'] {
  return { status: llmConfigured() ? 'configured' : 'not_configured' };
}
