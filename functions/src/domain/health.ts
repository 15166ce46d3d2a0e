/** The health report of the contract, assembled from the individual checks (pure). */
import type { DependencyChecks } from '../lib/health/checks';

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  version: string;
  checks: DependencyChecks;
}

/** Firestore down: the API cannot serve (`down`, 503). Redis down: it serves without (`degraded`). */
export function healthStatus(checks: HealthReport['checks']): HealthReport['status'] {
  if (checks.firestore.status === 'error') return 'down';
  if (checks.redis.status === 'error') return 'degraded';
  return 'ok';
}
