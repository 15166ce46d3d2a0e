/**
 * docs/CAPACITY.md from the benchmark's figures (docs/performance/results.json): instances,
 * Upstash commands, Firestore reads and writes, model tokens and the monthly bill at 10,000 and
 * 1,000,000 daily users. Every assumption and price is a named constant below and is printed
 * with the report. Run by dev/bench/mix.ts after each benchmark, or on its own:
 *
 *   node dev/bench/capacity.ts [--results docs/performance/results.json] [--out docs/CAPACITY.md]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { highestHeld, type BenchResults, type ProcessFigures, type SweepRow } from './report.ts';

/** List prices in USD, as read on 2026-12-01 (sources in the report). */
export const PRICES = {
  date: '2026-12-01',
  vcpuSecond: 0.000024,
  gibSecond: 0.0000025,
  perMillionRequests: 0.4,
  firestoreReadsPer100k: 0.03,
  firestoreWritesPer100k: 0.09,
  upstashPer100kCommands: 0.2,
  modelInputPerMillion: 0.15,
  modelOutputPerMillion: 0.6,
};

const SOURCES = [
  '- Cloud Run (Cloud Functions 2nd gen is billed as Cloud Run), Tier 1 regions, CPU allocated only during requests: $0.000024 per vCPU-second, $0.0000025 per GiB-second, $0.40 per million requests; free each month 180,000 vCPU-s, 360,000 GiB-s, 2 million requests. https://cloud.google.com/run/pricing (the same figures at https://cloudwebschool.com/tools/cloud-run-cost-calculator/).',
  '- Firestore Standard edition, a US regional location (e.g. us-central1): $0.03 per 100,000 document reads, $0.09 per 100,000 writes (https://airbyte.com/data-engineering-resources/google-firestore-pricing, quoting https://cloud.google.com/firestore/pricing, whose per-location table is not in the stored copy); multi-region (nam5) is twice that ($0.06 / $0.18, the older official table). Free each day: 50,000 reads, 20,000 writes (https://firebase.google.com/docs/firestore/pricing).',
  '- Upstash Redis pay-as-you-go: $0.20 per 100,000 commands; 500,000 commands a month free (https://upstash.com/docs/redis/overall/billing).',
  "- OpenAI gpt-4o-mini: $0.15 per million input tokens, $0.60 per million output tokens (https://openai.com/api/pricing/, as copied into docs.rs openai-models and a PRICING.md verified 2026-05-07; OpenAI's current page no longer lists the 4o family, which stays billable).",
];

/** Requests per daily user and day, by function. */
export const REQUESTS_PER_USER_PER_DAY: Record<string, number> = {
  moodLog: 2,
  moodGet: 6,
  weeklyAnalysis: 1,
  aiHistory: 1,
  allocations: 1,
  aiChat: 4,
};
/** Share of reads served from the cache (the benchmark's uniform users mostly miss; real users reread). */
export const CACHE_HIT_RATE: Record<string, number> = {
  moodGet: 0.7,
  weeklyAnalysis: 0.5,
  allocations: 0.6,
};
/** Share of a day's requests in its busiest hour. */
const PEAK_HOUR_SHARE = 0.12;
/** CPU utilisation an instance is run at (Cloud Run scales out near 60 %). */
const TARGET_CPU_UTILISATION = 0.6;
const CONCURRENCY = 80;
const MEMORY_GIB = 0.25; // 256 MiB, the functions' setting
/** Tokens of one real reply (the fake model's is shorter or longer by chance). */
const CHAT_REPLY_TOKENS = 150;
const INSIGHTS_REPLY_TOKENS = 250;
const PROMPT_TOKENS_FALLBACK = { aiChat: 400, weeklyAnalysis: 500 };

interface Row {
  fn: string;
  perDay: number;
  cpuMs: number;
  latencyS: number;
  redisCommands: number;
  reads: number;
  writes: number;
}

/** The sweep row whose per-function costs the model uses: the highest rate that held. */
export function costRow(r: BenchResults): SweepRow | undefined {
  return highestHeld((r.sweep ?? []).filter((row) => row.cpuMsPerRequest));
}

/** Per-request costs of each function from the figures, cache hits and misses blended. */
function perRequest(r: BenchResults): Row[] {
  const proc = (fn: string) => r.processes.find((p) => p.fn === fn);
  const mixRow = (name: string) => r.mix.find((m) => m.name === name);
  // CPU and latency of a miss from the highest rate that held the targets (an overloaded run's
  // requests are abandoned half done and its latency is queueing); else from the main mix.
  const held = costRow(r);
  const rows: Row[] = [];
  for (const [fn, perUser] of Object.entries(REQUESTS_PER_USER_PER_DAY)) {
    const p = proc(fn);
    if (!p) continue;
    const hit = CACHE_HIT_RATE[fn] ?? 0;
    const measured = (key: keyof ProcessFigures) => (p[key] as number | null) ?? 0;
    // A hit costs what a cached moodGet costs (measured on its own); the mix row is mostly misses.
    const c = r.cached.moodGet;
    const blend = (hitValue: number, missValue: number) => hit * hitValue + (1 - hit) * missValue;
    const latency = (held?.p50Ms?.[fn] ?? mixRow(fn)?.p50 ?? 0) / 1000;
    const missCpu = held?.cpuMsPerRequest?.[fn] ?? measured('cpuMsPerRequest');
    rows.push({
      fn,
      perDay: perUser,
      cpuMs: blend(c.cpuMsPerRequest, missCpu),
      latencyS: blend((c.p50 ?? 0) / 1000, latency),
      redisCommands: blend(c.redisCommandsPerRequest ?? 1, measured('redisCommandsPerRequest')),
      reads: blend(0, measured('firestoreReadsPerRequest')),
      writes: measured('firestoreWritesPerRequest'),
    });
  }
  return rows;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const usd = (n: number) => `$${fmt(n, n < 100 ? 2 : 0)}`;

export function capacityMarkdown(r: BenchResults): string {
  const rows = perRequest(r);
  const held = costRow(r);
  const tokens = (fn: 'aiChat' | 'weeklyAnalysis') => {
    const t = r.modelTokens[fn];
    return t && t.calls > 0 ? t.prompt / t.calls : PROMPT_TOKENS_FALLBACK[fn];
  };
  const chatPrompt = tokens('aiChat');
  const insightsPrompt = tokens('weeklyAnalysis');
  const scenario = (users: number) => {
    let requests = 0;
    let cpuSeconds = 0;
    let instances = 0;
    let instanceSeconds = 0;
    let commands = 0;
    let reads = 0;
    let writes = 0;
    const perFunction: string[] = [];
    for (const row of rows) {
      const n = users * row.perDay;
      const peakRps = (n * PEAK_HOUR_SHARE) / 3600;
      const cpuBound = (peakRps * row.cpuMs) / 1000 / TARGET_CPU_UTILISATION;
      const concurrencyBound = (peakRps * row.latencyS) / CONCURRENCY;
      const peakInstances = Math.max(1, Math.ceil(Math.max(cpuBound, concurrencyBound)));
      // Billed while serving: the CPU it needs at the target utilisation, or the time requests
      // hold an instance (at half its concurrency on average), whichever is larger.
      const billed = Math.max(
        (n * row.cpuMs) / 1000 / TARGET_CPU_UTILISATION,
        (n * row.latencyS) / (CONCURRENCY / 2),
      );
      requests += n;
      cpuSeconds += (n * row.cpuMs) / 1000;
      instances += peakInstances;
      instanceSeconds += billed;
      commands += n * row.redisCommands;
      reads += n * row.reads;
      writes += n * row.writes;
      perFunction.push(
        `| ${row.fn} | ${fmt(n)} | ${fmt(peakRps, 1)} | ${fmt(row.cpuMs, 2)} | ${peakInstances} | ${fmt(n * row.redisCommands)} | ${fmt(n * row.reads)} | ${fmt(n * row.writes)} |`,
      );
    }
    const chats = users * (REQUESTS_PER_USER_PER_DAY.aiChat ?? 0);
    const insights =
      users *
      (REQUESTS_PER_USER_PER_DAY.weeklyAnalysis ?? 0) *
      (1 - (CACHE_HIT_RATE.weeklyAnalysis ?? 0));
    const inputTokens = chats * chatPrompt + insights * insightsPrompt;
    const outputTokens = chats * CHAT_REPLY_TOKENS + insights * INSIGHTS_REPLY_TOKENS;
    const month = 30;
    const cost = {
      compute:
        Math.max(0, instanceSeconds * month - 180_000) * PRICES.vcpuSecond +
        Math.max(0, instanceSeconds * MEMORY_GIB * month - 360_000) * PRICES.gibSecond,
      requests: (Math.max(0, requests * month - 2_000_000) / 1e6) * PRICES.perMillionRequests,
      firestore:
        (Math.max(0, (reads - 50_000) * month) / 1e5) * PRICES.firestoreReadsPer100k +
        (Math.max(0, (writes - 20_000) * month) / 1e5) * PRICES.firestoreWritesPer100k,
      upstash: (Math.max(0, commands * month - 500_000) / 1e5) * PRICES.upstashPer100kCommands,
      model:
        ((inputTokens * month) / 1e6) * PRICES.modelInputPerMillion +
        ((outputTokens * month) / 1e6) * PRICES.modelOutputPerMillion,
    };
    const total = Object.values(cost).reduce((a, b) => a + b, 0);
    return {
      users,
      requests,
      cpuSeconds,
      instances,
      instanceSeconds,
      commands,
      reads,
      writes,
      inputTokens,
      outputTokens,
      cost,
      total,
      perFunction,
    };
  };
  const scenarios = [scenario(10_000), scenario(1_000_000)];
  const lines: string[] = [
    '# Capacity',
    '',
    `Generated by dev/bench/capacity.ts from the benchmark run of ${r.generatedAt} (docs/performance/results.json, docs/PERFORMANCE.md); do not edit by hand.` +
      (r.mode === 'short' ? ' **From a short (smoke) run: not meaningful.**' : ''),
    '',
    '## Assumptions',
    '',
    `- Requests per daily user and day: ${Object.entries(REQUESTS_PER_USER_PER_DAY)
      .filter(([fn]) => rows.some((row) => row.fn === fn))
      .map(([fn, n]) => `${fn} ${n}`)
      .join(', ')}.`,
    `- Cache hit rates: ${Object.entries(CACHE_HIT_RATE)
      .filter(([fn]) => rows.some((row) => row.fn === fn))
      .map(([fn, h]) => `${fn} ${(h * 100).toFixed(0)} %`)
      .join(
        ', ',
      )}. A hit costs what the benchmark's cached moodGet cost (CPU, Redis commands, no Firestore read); a miss what the function cost per request at the highest rate of the sweep that held the targets (else in the mix, mostly misses).`,
    `- The busiest hour carries ${(PEAK_HOUR_SHARE * 100).toFixed(0)} % of a day's requests. Each function is its own service (2nd gen), 1 vCPU and 256 MiB per instance, concurrency ${CONCURRENCY}, run at ${(TARGET_CPU_UTILISATION * 100).toFixed(0)} % CPU.`,
    `- Model tokens: prompts as measured in the run (${fmt(chatPrompt)} tokens per chat exchange, ${fmt(insightsPrompt)} per weekly insight, ~4 characters a token); replies assumed ${CHAT_REPLY_TOKENS} tokens (chat) and ${INSIGHTS_REPLY_TOKENS} (insights). Only weeklyAnalysis cache misses call the model.`,
    '- CPU on these shared benchmark cores is slower than a dedicated Cloud Run vCPU under no contention; the figures err high.',
    '',
    '## Formulas',
    '',
    '- requests/day (per function) = daily users × requests per user per day',
    `- CPU ms per request = hit rate × cached-read CPU + (1 − hit rate) × the function's CPU per request ${held ? `at ${held.rate} req/s, the highest rate of the sweep that held the targets` : 'in the mix'} (same blend for latency; Redis commands the same blend of the cached read and the mix; Firestore reads only on misses)`,
    `- peak instances (per function) = ceil(max(peak req/s × CPU s per request ÷ ${TARGET_CPU_UTILISATION}, peak req/s × p50 latency ÷ ${CONCURRENCY})), at least 1; peak req/s = requests/day × ${PEAK_HOUR_SHARE} ÷ 3600`,
    `- billed instance-seconds/day = Σ max(requests × CPU s ÷ ${TARGET_CPU_UTILISATION}, requests × p50 latency ÷ ${CONCURRENCY / 2}) (an instance is billed while it serves; on average half full)`,
    '- monthly (30 days) = (billed vCPU-s − free) × vCPU price + (GiB-s − free) × GiB price + (requests − free) × request price + Firestore reads/writes beyond the daily free quota + Upstash commands beyond 500k + tokens × model prices',
    '',
    '## Per function (per day)',
    '',
  ];
  for (const s of scenarios) {
    lines.push(
      `### ${fmt(s.users)} daily users`,
      '',
      '| function | requests | peak req/s | CPU ms/request | peak instances | Upstash commands | Firestore reads | Firestore writes |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...s.perFunction,
      '',
    );
  }
  lines.push(
    '## Totals',
    '',
    '| | 10,000 daily users | 1,000,000 daily users |',
    '|---|---:|---:|',
  );
  const [a, b] = scenarios as [ReturnType<typeof scenario>, ReturnType<typeof scenario>];
  const row = (label: string, f: (s: typeof a) => string) =>
    lines.push(`| ${label} | ${f(a)} | ${f(b)} |`);
  row('requests per day', (s) => fmt(s.requests));
  row('server CPU-seconds per day', (s) => fmt(s.cpuSeconds));
  row('instances at the peak (all functions)', (s) => fmt(s.instances));
  row('billed instance-seconds per day', (s) => fmt(s.instanceSeconds));
  row('Upstash commands per day', (s) => fmt(s.commands));
  row('Firestore reads per day', (s) => fmt(s.reads));
  row('Firestore writes per day', (s) => fmt(s.writes));
  row('model input tokens per day', (s) => fmt(s.inputTokens));
  row('model output tokens per day', (s) => fmt(s.outputTokens));
  row('monthly: compute (vCPU + memory)', (s) => usd(s.cost.compute));
  row('monthly: requests', (s) => usd(s.cost.requests));
  row('monthly: Firestore', (s) => usd(s.cost.firestore));
  row('monthly: Upstash', (s) => usd(s.cost.upstash));
  row('monthly: OpenAI', (s) => usd(s.cost.model));
  row('**monthly total**', (s) => `**${usd(s.total)}**`);
  lines.push(
    '',
    `## Prices (USD, list, read ${PRICES.date})`,
    '',
    ...SOURCES,
    '',
    'Not included: Firestore storage and index reads beyond documents, network egress, Sentry, Secret Manager access, minimum instances (none are set).',
    '',
  );
  return lines.join('\n');
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { results: { type: 'string' }, out: { type: 'string' } },
  });
  const docs = resolve(import.meta.dirname, '..', '..', 'docs');
  const results = JSON.parse(
    readFileSync(values.results ?? join(docs, 'performance', 'results.json'), 'utf8'),
  ) as BenchResults;
  const out = values.out ?? join(docs, 'CAPACITY.md');
  writeFileSync(out, capacityMarkdown(results));
  console.log(`capacity: wrote ${out}`);
}
