import { defineEndpoint, method } from '../lib/http/endpoint';
import { OPENAI_API_KEY } from '../lib/config/params';
import { checkFirestore, checkOpenAi, checkRedis } from '../lib/health/checks';
import { version } from '../lib/version';
import { healthStatus, type HealthReport } from '../domain/health';
import { unavailable } from '../lib/http/errors';

export const health = defineEndpoint({
  name: 'health',
  auth: 'none',
  rateLimit: 'health',
  secrets: [OPENAI_API_KEY],
  methods: {
    GET: method({
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
