/**
 * The benchmark's figures (results.json) and how they are shown: the Markdown of
 * docs/PERFORMANCE.md and its two hand-written SVG charts. Pure functions of the figures, so
 * the report can be regenerated and checked without running anything.
 */

export interface FunctionFigures {
  /** Row label: a function, or a function's cache hits or misses ("moodGet (cache hit)"). */
  name: string;
  /** The function (process) it belongs to. */
  fn: string;
  /** The baseline or a model-backed function (not held to the 100 ms target). */
  kind: 'baseline' | 'plain' | 'ai';
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Responses by HTTP status; 0 is a network error or the client's 30 s timeout. */
  statuses: Record<string, number>;
  errors: number;
  /** Time to the first streamed delta (aiChat), median and p95. */
  firstDeltaP50?: number;
  firstDeltaP95?: number;
}

export interface ProcessFigures {
  fn: string;
  requests: number;
  /** Server CPU (user + system, the process's own counters) per request, ms. */
  cpuMsPerRequest: number;
  cpuRatioToBaseline: number | null;
  redisRoundTripsPerRequest: number | null;
  redisCommandsPerRequest: number | null;
  firestoreReadsPerRequest: number | null;
  firestoreWritesPerRequest: number | null;
  firestoreRpcsPerRequest: number | null;
  rssMb: number;
  peakRssMb: number;
}

export interface ColdStart {
  fn: string;
  /** Set on a reference process (what it is): reported, not held to the target. */
  reference?: string;
  /** Spawn to the port accepting connections, median, ms. */
  listeningMs: number;
  /** Spawn to the first response to a real (authenticated, working) request, median, ms. */
  firstResponseMs: number;
  runs: number[];
  ratioToBaseline: number;
}

/**
 * Where one instrumented cold start went (dev/bench/cold-start-profile.cjs), in ms since the
 * process started. `before` and `during`: time loading modules before the first request arrived
 * and while it was served, per group ("runtime": Functions Framework and firebase-functions;
 * "stilla": functions/lib; otherwise the package Stilla's code entered, with what it loads).
 */
export interface ColdProfile {
  fn: string;
  bootMs: number;
  listeningMs: number;
  arrivalMs: number;
  responseMs: number;
  before: Record<string, number>;
  during: Record<string, number>;
}

/** The mix at one rate: whether the targets hold there, and where the machine's cores go. */
export interface SweepRow {
  /** Requests per second to Stilla's functions (the baseline gets 5 % more on top). */
  rate: number;
  seconds: number;
  /** Stilla's responses below 400 per second. */
  answeredPerSecond: number;
  /** Stilla's responses of 400 and above, and network errors or timeouts. */
  errors: number;
  /** The slowest p95 among the non-AI functions. */
  worstPlainP95: { fn: string; ms: number };
  generatorLagMsP99: number;
  /** CPU cores used by each part over the window (functions, emulator, Redis, generator...). */
  cores: { part: string; cores: number }[];
  /** Each function process's CPU time over the window per request sent to it, ms. */
  cpuMsPerRequest?: Record<string, number>;
  /** Median latency per function, ms. */
  p50Ms?: Record<string, number>;
}

export interface BenchResults {
  generatedAt: string;
  mode: 'full' | 'short';
  machine: { cpus: number; cpuModel: string; node: string; loadAverageBefore: number[] };
  /** What else was using the CPU when the run started (ps), for the reader to judge. */
  otherProcesses: string[];
  settings: {
    users: number;
    rate: number;
    baselineRate: number;
    warmupSeconds: number;
    seconds: number;
    mix: Record<string, number>;
    modelLatencyMs: number;
    deltaDelayMs: number;
    replyWords: number;
    cachedPhase: { users: number; rate: number; seconds: number };
  };
  /** Largest delay between a request's scheduled time and its send (the generator's own lag). */
  generatorLagMsMax: number;
  generatorLagMsP99: number;
  /** The lower rates, then the main rate last. Absent in results of older runs. */
  sweep?: SweepRow[];
  mix: FunctionFigures[];
  processes: ProcessFigures[];
  /** Per-second p95 latency per row of `mix` (x: second of the measured window). */
  timeline: Record<string, (number | null)[]>;
  cached: {
    /** `misses`: reads of the phase not answered from the cache (`X-Cache` other than HIT). */
    moodGet: ProcessFigures & FunctionFigures & { misses: number };
    baseline: ProcessFigures & FunctionFigures;
    /**
     * The same reads with STILLA_BENCH_BEFORE=1: the code paths before the CPU work of issue 13
     * (the Upstash SDK's fetch transport, every token verified).
     */
    before?: ProcessFigures & FunctionFigures & { misses: number };
  };
  coldStarts: ColdStart[];
  /** One instrumented cold start per function, apart from the measured ones. */
  coldProfiles: ColdProfile[];
  /** Model tokens per aiChat exchange and per weeklyAnalysis miss, as the fake model counted them. */
  modelTokens: Record<string, { prompt: number; completion: number; calls: number }>;
}

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

const ms = (n: number | undefined | null) =>
  n === undefined || n === null || Number.isNaN(n) ? '–' : n < 10 ? n.toFixed(1) : n.toFixed(0);
const num = (n: number | null, digits = 2) =>
  n === null || Number.isNaN(n) ? '–' : n.toFixed(digits);
const statuses = (s: Record<string, number>) =>
  Object.entries(s)
    .map(([code, count]) => `${code}: ${count}`)
    .join(', ');

/** Palette for chart lines, one per row (colour-blind friendly, Okabe-Ito). */
const COLOURS = ['#000000', '#E69F00', '#56B4E9', '#009E73', '#D55E00', '#0072B2', '#CC79A7'];
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Per-second p95 of every row, on a log scale from 1 ms to 10 s. */
export function latencySvg(timeline: BenchResults['timeline']): string {
  const width = 760;
  const height = 340;
  const left = 60;
  const right = 190;
  const top = 20;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const seconds = Math.max(1, ...Object.values(timeline).map((xs) => xs.length));
  const minLog = 0; // 1 ms
  const maxLog = 4; // 10 s
  const x = (i: number) => left + (seconds <= 1 ? 0 : (i / (seconds - 1)) * plotW);
  const y = (value: number) => {
    const log = Math.min(maxLog, Math.max(minLog, Math.log10(Math.max(value, 1))));
    return top + plotH - ((log - minLog) / (maxLog - minLog)) * plotH;
  };
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="12" font-size="12">p95 latency per second of the measured window (log scale)</text>`,
  ];
  for (const tick of [1, 10, 100, 1000, 10000]) {
    const ty = y(tick).toFixed(1);
    parts.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${ty}" y2="${ty}" stroke="#dddddd"/>`,
      `<text x="${left - 6}" y="${ty}" text-anchor="end" dominant-baseline="middle">${tick >= 1000 ? `${tick / 1000} s` : `${tick} ms`}</text>`,
    );
  }
  const step = Math.max(1, Math.ceil(seconds / 10));
  for (let i = 0; i < seconds; i += step) {
    parts.push(
      `<text x="${x(i).toFixed(1)}" y="${top + plotH + 16}" text-anchor="middle">${i}</text>`,
    );
  }
  parts.push(
    `<text x="${left + plotW / 2}" y="${height - 6}" text-anchor="middle">second</text>`,
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888888"/>`,
  );
  Object.entries(timeline).forEach(([name, values], index) => {
    const colour = COLOURS[index % COLOURS.length] as string;
    const points = values
      .map((value, i) => (value === null ? null : `${x(i).toFixed(1)},${y(value).toFixed(1)}`))
      .filter((p): p is string => p !== null);
    if (points.length > 0) {
      parts.push(
        `<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${points.join(' ')}"/>`,
      );
    }
    const ly = top + 10 + index * 16;
    parts.push(
      `<line x1="${left + plotW + 12}" x2="${left + plotW + 30}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="3"/>`,
      `<text x="${left + plotW + 36}" y="${ly}" dominant-baseline="middle">${escape(name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** Server CPU per request of every process, as horizontal bars, with the ratio to the baseline. */
export function cpuSvg(rows: { name: string; cpuMs: number; ratio: number | null }[]): string {
  const width = 760;
  const barH = 20;
  const gap = 8;
  const left = 230;
  const right = 120;
  const top = 30;
  const height = top + rows.length * (barH + gap) + 20;
  const max = Math.max(0.001, ...rows.map((r) => r.cpuMs));
  const plotW = width - left - right;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="16" font-size="12">Server CPU time per request (user + system, ms), ratio to the baseline</text>`,
  ];
  rows.forEach((row, i) => {
    const y = top + i * (barH + gap);
    const w = (row.cpuMs / max) * plotW;
    parts.push(
      `<text x="${left - 8}" y="${y + barH / 2}" text-anchor="end" dominant-baseline="middle">${escape(row.name)}</text>`,
      `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${i === 0 ? '#999999' : '#0072B2'}"/>`,
      `<text x="${(left + w + 6).toFixed(1)}" y="${y + barH / 2}" dominant-baseline="middle">${row.cpuMs.toFixed(2)} ms${row.ratio === null ? '' : ` (${row.ratio.toFixed(1)}x)`}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

export interface Verdict {
  target: string;
  met: boolean;
  detail: string;
}

/** The issue's targets, checked against the figures. */
export function verdicts(r: BenchResults): Verdict[] {
  const out: Verdict[] = [];
  const functionRows = r.mix.filter((row) => row.name === row.fn && row.kind !== 'baseline');
  const errors = functionRows.reduce((sum, row) => sum + row.errors, 0);
  out.push({
    target: '0 errors in the mix',
    met: errors === 0,
    detail: `${errors} error responses`,
  });
  const limited = functionRows.reduce((sum, row) => sum + (row.statuses['429'] ?? 0), 0);
  out.push({ target: '0 unexpected 429s', met: limited === 0, detail: `${limited} 429s` });
  const plain = functionRows.filter((row) => row.kind === 'plain');
  const slow = plain.filter((row) => !(row.p95 < 100));
  out.push({
    target: 'p95 < 100 ms on every non-AI function',
    met: slow.length === 0,
    detail: plain.map((row) => `${row.name} ${ms(row.p95)} ms`).join(', '),
  });
  const cachedRatio = r.cached.moodGet.cpuRatioToBaseline;
  out.push({
    target: 'CPU per cached moodGet <= 2.5x the baseline',
    met: cachedRatio !== null && cachedRatio <= 2.5,
    detail: `${num(r.cached.moodGet.cpuMsPerRequest, 3)} ms against ${num(r.cached.baseline.cpuMsPerRequest, 3)} ms: ${num(cachedRatio, 1)}x`,
  });
  out.push({
    target: 'a cached read is 1 Redis round trip and 0 Firestore reads',
    met:
      r.cached.moodGet.redisRoundTripsPerRequest !== null &&
      r.cached.moodGet.redisRoundTripsPerRequest <= 1.0 &&
      r.cached.moodGet.firestoreReadsPerRequest === 0 &&
      // A query that finds nothing is still billed as one read: count the calls too.
      r.cached.moodGet.firestoreRpcsPerRequest === 0,
    detail: `${num(r.cached.moodGet.redisRoundTripsPerRequest)} round trips, ${num(r.cached.moodGet.firestoreReadsPerRequest)} Firestore documents read and ${num(r.cached.moodGet.firestoreRpcsPerRequest)} Firestore calls per request (${r.cached.moodGet.misses} of ${r.cached.moodGet.requests} reads not hits)`,
  });
  const baseline = r.coldStarts.find((c) => c.fn === 'hello');
  const shipped = r.coldStarts.filter((c) => c.fn !== 'hello' && c.reference === undefined);
  const slowStarts = shipped.filter((c) => c.ratioToBaseline > 1.3);
  const floor = r.coldStarts.find((c) => c.reference !== undefined);
  out.push({
    target: 'every cold start <= 1.3x the baseline',
    met: slowStarts.length === 0,
    detail: `baseline ${ms(baseline?.firstResponseMs)} ms; ${shipped
      .map((c) => `${c.fn} ${c.ratioToBaseline.toFixed(2)}x`)
      .join(', ')}${floor ? `; ${floor.reference} ${floor.ratioToBaseline.toFixed(2)}x` : ''}`,
  });
  return out;
}

/** A sweep row holds the targets: no errors, every non-AI p95 under 100 ms. */
export function holds(row: SweepRow): boolean {
  return row.errors === 0 && row.worstPlainP95.ms < 100;
}

/** The highest rate of the sweep that held the targets, if any did. */
export function highestHeld(sweep: readonly SweepRow[]): SweepRow | undefined {
  return sweep
    .filter(holds)
    .reduce<SweepRow | undefined>(
      (best, row) => (!best || row.rate > best.rate ? row : best),
      undefined,
    );
}

/** The rate sweep: where the targets hold on this machine, and where its cores go at each rate. */
export function sweepMarkdown(sweep: SweepRow[]): string[] {
  const best = highestHeld(sweep);
  const lines = [
    '## Where this machine holds the targets',
    '',
    `The same mix at lower rates first (each after a short warm-up), then the main rate. ${
      best
        ? `**The highest rate that held 0 errors and p95 < 100 ms on every non-AI function: ${best.rate} req/s.**`
        : '**No rate held 0 errors and p95 < 100 ms on every non-AI function.**'
    } Cores are CPU time over the window from each process's own counters (2 cores on this machine: a total near 2 means the machine, not a function, is the limit).`,
    '',
    '| req/s sent | seconds | answered/s | errors | slowest non-AI p95 ms | generator lag p99 ms | cores used | held |',
    '|---:|---:|---:|---:|---|---:|---:|---|',
  ];
  for (const row of sweep) {
    const total = row.cores.reduce((sum, c) => sum + c.cores, 0);
    lines.push(
      `| ${row.rate} | ${row.seconds} | ${row.answeredPerSecond.toFixed(0)} | ${row.errors} | ${row.worstPlainP95.fn} ${ms(row.worstPlainP95.ms)} | ${ms(row.generatorLagMsP99)} | ${total.toFixed(2)} | ${holds(row) ? 'yes' : '**no**'} |`,
    );
  }
  const parts = [...new Set(sweep.flatMap((row) => row.cores.map((c) => c.part)))];
  const at = (row: SweepRow, part: string) => row.cores.find((c) => c.part === part)?.cores ?? 0;
  parts.sort((a, b) => at(sweep.at(-1)!, b) - at(sweep.at(-1)!, a));
  lines.push(
    '',
    '### Where the cores go',
    '',
    `| part | ${sweep.map((row) => `${row.rate} req/s`).join(' | ')} |`,
    `|---|${sweep.map(() => '---:').join('|')}|`,
  );
  for (const part of parts) {
    lines.push(`| ${part} | ${sweep.map((row) => at(row, part).toFixed(2)).join(' | ')} |`);
  }
  return lines;
}

/** docs/PERFORMANCE.md. */
export function markdown(r: BenchResults, charts: { latency: string; cpu: string }): string {
  const s = r.settings;
  const lines: string[] = [];
  lines.push(
    '# Performance',
    '',
    `Generated by \`npm run bench\` (dev/bench/mix.ts) on ${r.generatedAt}; do not edit by hand.` +
      (r.mode === 'short' ? ' **Short run (smoke): the figures are not meaningful.**' : ''),
    '',
    `Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}; load average before the run ${r.machine.loadAverageBefore.map((n) => n.toFixed(2)).join(' / ')}. ` +
      'Servers, Firestore emulator, Redis, the Upstash bridges, the fake model and the load generator all share these cores.',
    '',
    '## How it is measured',
    '',
    `- Every function is served by its own Functions Framework process (the 2nd-gen runtime) from functions/lib, so each process's CPU counters (/proc/<pid>/stat utime + stime) belong to one function. The baseline is a bare firebase-functions \`onRequest\` (dev/bench/hello.cjs) on the same runtime, in the same run.`,
    `- ${s.users.toLocaleString('en')} distinct users, each with a real RS256-signed ID token from a local key set (STILLA_AUTH_JWKS_URL, honoured only with FUNCTIONS_EMULATOR=true, set for the benchmark's processes only); every request is verified as in production.`,
    `- Open-loop arrivals: ${s.rate} req/s to Stilla's functions plus ${s.baselineRate} req/s to the baseline, sent on schedule whatever the servers do; latency counts from the scheduled time (the generator's own lag: p99 ${ms(r.generatorLagMsP99)} ms, max ${ms(r.generatorLagMsMax)} ms). ${s.warmupSeconds} s warm-up (not counted), then ${s.seconds} s measured.`,
    `- Mix: ${Object.entries(s.mix)
      .map(([fn, w]) => `${fn} ${(w * 100).toFixed(0)} %`)
      .join(
        ', ',
      )}. Users are picked uniformly, so most moodGet and weeklyAnalysis reads in the mix miss the cache (the cached path is measured on its own below).`,
    `- Real Firestore emulator (Node), real Redis behind the Upstash REST bridge (one bridge per function, so Redis round trips are attributable; a round trip is one HTTP request to the bridge), the fake OpenAI server answering after ${s.modelLatencyMs} ms and streaming a ${s.replyWords}-word reply at one word per ${s.deltaDelayMs} ms (~30 tokens/s). Firestore RPCs and documents are counted inside each function process (dev/bench/firestore-counter.cjs).`,
    '- Rate limits: the local params (functions/.env.demo-stilla) already allow far more per user and hour than this run sends (about 3-5 requests per user per function), so no limit is raised for the benchmark; every 429 would be a failure.',
    '',
  );
  lines.push('## Targets', '', '| target | met | measured |', '|---|---|---|');
  for (const v of verdicts(r))
    lines.push(`| ${v.target} | ${v.met ? 'yes' : '**no**'} | ${v.detail} |`);
  if (r.sweep && r.sweep.length > 0) lines.push('', ...sweepMarkdown(r.sweep));
  lines.push(
    '',
    '## The mix',
    '',
    '| function | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | statuses | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---|---:|',
  );
  for (const row of r.mix) {
    const label = row.kind === 'baseline' ? `${row.name} (baseline)` : row.name;
    lines.push(
      `| ${label} | ${row.requests} | ${row.perSecond.toFixed(1)} | ${ms(row.p50)} | ${ms(row.p95)} | ${ms(row.p99)} | ${ms(row.max)} | ${statuses(row.statuses)} | ${row.errors} |`,
    );
  }
  const chat = r.mix.find((row) => row.firstDeltaP50 !== undefined);
  if (chat) {
    lines.push(
      '',
      `aiChat is streamed: its latency is to the end of the stream (the model's ${s.modelLatencyMs} ms plus ${s.replyWords} words); the first delta arrived after ${ms(chat.firstDeltaP50)} ms (median), ${ms(chat.firstDeltaP95)} ms (p95). weeklyAnalysis calls the model on a cache miss (insights), so both are model-bound and not held to the 100 ms target.`,
    );
  }
  lines.push(
    '',
    `![p95 latency per second](${charts.latency})`,
    '',
    '## Cost per request (server process)',
    '',
    "CPU is what an instance pays for; it is the process's own user + system time over the measured window divided by its requests (so it includes the runtime, JSON, auth, gRPC and HTTP clients). Redis round trips are HTTP requests to the Upstash endpoint (each may carry several commands); Firestore reads and writes are documents.",
    '',
    '| process | requests | CPU ms/request | × baseline | Redis round trips | Redis commands | Firestore reads | Firestore writes | Firestore RPCs | RSS MB (peak) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  const processRow = (name: string, p: ProcessFigures) =>
    `| ${name} | ${p.requests} | ${num(p.cpuMsPerRequest, 3)} | ${num(p.cpuRatioToBaseline, 1)} | ${num(p.redisRoundTripsPerRequest)} | ${num(p.redisCommandsPerRequest)} | ${num(p.firestoreReadsPerRequest)} | ${num(p.firestoreWritesPerRequest)} | ${num(p.firestoreRpcsPerRequest)} | ${p.rssMb.toFixed(0)} (${p.peakRssMb.toFixed(0)}) |`;
  for (const p of r.processes)
    lines.push(processRow(p.fn === 'hello' ? 'hello (baseline)' : p.fn, p));
  const c = r.cached;
  lines.push(
    '',
    `### Cached reads, on their own`,
    '',
    `${c.moodGet.requests} moodGet reads of ${s.cachedPhase.users} users whose lists were just read through both moodGet processes (not answered from the cache: ${c.moodGet.misses}${c.before ? `, before: ${c.before.misses}` : ''}), at ${s.cachedPhase.rate} req/s for ${s.cachedPhase.seconds} s, beside the baseline at the same rate, in the same processes as above.`,
    '',
    '| process | requests | p50 ms | p95 ms | p99 ms | statuses | CPU ms/request | × baseline | Redis round trips | Firestore reads |',
    '|---|---:|---:|---:|---:|---|---:|---:|---:|---:|',
  );
  for (const [name, p] of [
    ['hello (baseline)', c.baseline],
    ['moodGet, cache hit', c.moodGet],
    ...(c.before
      ? ([
          ['moodGet, cache hit, before (SDK fetch transport, every token verified)', c.before],
        ] as const)
      : []),
  ] as const) {
    lines.push(
      `| ${name} | ${p.requests} | ${ms(p.p50)} | ${ms(p.p95)} | ${ms(p.p99)} | ${statuses(p.statuses)} | ${num(p.cpuMsPerRequest, 3)} | ${num(p.cpuRatioToBaseline, 1)} | ${num(p.redisRoundTripsPerRequest)} | ${num(p.firestoreReadsPerRequest)} |`,
    );
  }
  lines.push(
    '',
    `![CPU per request](${charts.cpu})`,
    '',
    '## Cold starts',
    '',
    'Spawn of a fresh Functions Framework process to: the port accepting connections, and the first response to a real request (authenticated, doing its work: Firestore, Redis, and for the AI functions the model, which answers at once in this phase). Medians of alternating runs; the first, unmeasured run warms the OS file cache.',
    '',
    '*hello + one Firestore read (floor)* is the baseline plus one document read through firebase-admin, loaded on first use as Stilla loads it (dev/bench/hello-firestore.cjs): what any function that reads Firestore pays, whatever its own code. Loading the Firestore client (google-gax, gRPC, its service definitions built from the bundled protos) and opening its channel is most of it. REST instead of gRPC (`FIRESTORE_PREFER_REST=true`) answers the first read about 12 % sooner but costs about 29 % more CPU on every Firestore call afterwards (dev/bench/firestore-transport.ts), so the functions stay on gRPC.',
    '',
    '| function | listening ms | first response ms | × baseline | runs (first response) |',
    '|---|---:|---:|---:|---|',
  );
  for (const cs of r.coldStarts) {
    lines.push(
      `| ${cs.fn === 'hello' ? 'hello (baseline)' : (cs.reference ?? cs.fn)} | ${ms(cs.listeningMs)} | ${ms(cs.firstResponseMs)} | ${cs.ratioToBaseline.toFixed(2)} | ${cs.runs.map((x) => x.toFixed(0)).join(', ')} |`,
    );
  }
  lines.push(...coldProfileLines(r.coldProfiles));
  lines.push(
    '',
    '## What else was running',
    '',
    'The busiest other processes on the machine when the run started (ps: %CPU, command), excluding this benchmark:',
    '',
    '```',
    ...(r.otherProcesses.length > 0 ? r.otherProcesses : ['(none above 1 % CPU)']),
    '```',
    '',
  );
  return lines.join('\n');
}

function coldProfileLines(profiles: ColdProfile[]): string[] {
  const sum = (totals: Record<string, number>) =>
    Object.values(totals).reduce((total, ms) => total + ms, 0);
  const lines = [
    '',
    '### Where a cold start goes',
    '',
    "One more cold start per function with every `require` timed (dev/bench/cold-start-profile.cjs; the timers make it a little slower than the medians above). Module loading is charged to the package Stilla's code entered, with everything that package loads in turn (google-gax and protobufjs count as firebase-admin); *runtime* is the Functions Framework and firebase-functions, which the baseline loads too. ms since the process started.",
    '',
    '| function | node ready | runtime modules | Stilla modules | other modules before listening | listening | modules loaded by the first request | the first request, the rest | response | largest packages (ms) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const p of profiles) {
    const other = sum(p.before) - (p.before.runtime ?? 0) - (p.before.stilla ?? 0);
    const during = sum(p.during);
    const packages = new Map<string, number>();
    for (const totals of [p.before, p.during]) {
      for (const [group, ms] of Object.entries(totals)) {
        if (group !== 'runtime' && group !== 'stilla') {
          packages.set(group, (packages.get(group) ?? 0) + ms);
        }
      }
    }
    const largest = [...packages]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .filter(([, ms]) => ms >= 1)
      .map(([group, ms]) => `${group} ${ms.toFixed(0)}`)
      .join(', ');
    lines.push(
      `| ${p.fn === 'hello' ? 'hello (baseline)' : p.fn} | ${ms(p.bootMs)} | ${ms(p.before.runtime ?? 0)} | ${ms(p.before.stilla ?? 0)} | ${ms(other)} | ${ms(p.listeningMs)} | ${ms(during)} | ${ms(p.responseMs - p.arrivalMs - during)} | ${ms(p.responseMs)} | ${largest || '–'} |`,
    );
  }
  return lines;
}
