import { defineInt } from 'firebase-functions/params';
import { z } from 'zod';
import { defineEndpoint, method } from '../lib/http/endpoint';
import { OPENAI_API_KEY } from '../lib/config/params';
import { checkFirestore, checkOpenAi, checkRedis } from '../lib/health/checks';
import { version } from '../lib/version';
import { healthStatus, type HealthReport } from '../domain/health';
import { unavailable } from '../lib/http/errors';

const dependencyCheck = z
  .object({
    status: z.enum(['ok', 'error']),
    latencyMs: z
      .int()
      .min(0)
      .describe('Round trip of the probe (each probe has a 1.5 s deadline).'),
  })
  .meta({ id: 'DependencyCheck' });

const healthChecks = z
  .object({
    firestore: dependencyCheck,
    redis: z.object({
      status: z
        .enum(['ok', 'error', 'disabled'])
        .describe('`disabled` when the deployment has no Redis configured.'),
      latencyMs: z.int().min(0).nullable().describe('`null` when disabled.'),
    }),
    openai: z.object({
      status: z
        .enum(['configured', 'not_configured'])
        .describe('Whether a model key is configured (it is not called).'),
    }),
  })
  .meta({ id: 'HealthChecks' });

function healthReport(id: string, statuses: [HealthReport['status'], ...HealthReport['status'][]]) {
  return z
    .object({
      status: z
        .enum(statuses)
        .describe(
          '`ok`; `degraded` when Redis is unreachable (the API still serves, with per-instance rate limits and no shared cache); `down` (answered with `503`) when Firestore is unreachable.',
        ),
      version: z.string().meta({
        description:
          'The deployed version: the package version, plus `+<Cloud Run revision>` when there is one.',
        examples: ['1.0.0+health-00007-xuz'],
      }),
      checks: healthChecks,
    })
    .meta({ id, description: "The service's health. Never contains a secret." });
}

const noStore = {
  'Cache-Control': {
    description: 'Health is never cached.',
    schema: z.literal('no-store'),
  },
};

/** Requests one client IP may make a minute: generous, so a 1 req/s load-balancer probe never sees a 429. */
const RATE_LIMIT_PER_MINUTE = defineInt('RATE_LIMIT_HEALTH_PER_MINUTE', { default: 600 });

export const health = defineEndpoint({
  name: 'health',
  tag: 'service',
  auth: 'none',
  rateLimit: { limit: RATE_LIMIT_PER_MINUTE, window: 'minute' },
  secrets: [OPENAI_API_KEY],
  methods: {
    GET: method({
      docs: {
        summary: 'Health of the service and its dependencies',
        description:
          'No token. Rate-limited per client IP (600 a minute by default, so a load balancer probing once a second is never limited); the `RateLimit-*` headers describe that per-IP window. Takes no query parameters (any is `400`). Each dependency probe has its own 1.5 s deadline.',
        responses: {
          200: {
            description: '`ok`, or `degraded` when Redis is unreachable (the API still serves).',
            body: healthReport('Health', ['ok', 'degraded']),
            headers: noStore,
            example: {
              status: 'ok',
              version: '1.0.0',
              checks: {
                firestore: { status: 'ok', latencyMs: 12 },
                redis: { status: 'ok', latencyMs: 4 },
                openai: { status: 'configured' },
              },
            },
          },
          503: {
            description:
              'Firestore is unreachable: the health document with `status: "down"` (not the Error body), with `Retry-After`.',
            body: healthReport('HealthDown', ['down']),
            headers: {
              ...noStore,
              'Retry-After': {
                description: 'Seconds to wait before retrying.',
                schema: z.int().min(1),
              },
            },
            example: {
              status: 'down',
              version: '1.0.0',
              checks: {
                firestore: { status: 'error', latencyMs: 1500 },
                redis: { status: 'ok', latencyMs: 5 },
                openai: { status: 'not_configured' },
              },
            },
          },
        },
      },
      handler: async () => {
        const [firestore, redis] = await Promise.all([checkFirestore(), checkRedis()]);
        const checks = { firestore, redis, openai: checkOpenAi() };
        const report: HealthReport = { status: healthStatus(checks), version: version(), checks };
        return {
          status: report.status === 'down' ? 503 : 200,
          headers: {
            'Cache-Control': 'no-store',
            ...(report.status === 'down' ? unavailable('').headers : {}),
          },
          body: report,
        };
      },
    }),
  },
});
