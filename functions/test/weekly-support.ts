/**
 * Helpers of the weeklyAnalysis tests: seeding moods straight into the Firestore emulator, and
 * driving the fake OpenAI server of the test stack (rules and recorded requests).
 */
import { randomBytes } from 'node:crypto';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getFirestore, Timestamp, type Firestore } from 'firebase-admin/firestore';
import { callFunction, requireEnv, type CallResult } from './support/api';
import type { TestUser } from './support/auth';

/** A tag no other test uses: fake-OpenAI rules that match it touch only this test's prompts. */
export function uniqueTag(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/** A mood as the moods endpoints store it. */
export interface SeedMood {
  score: number;
  recordedAt: string;
  tags?: string[];
  note?: string | null;
}

let app: App | undefined;

/** The test process's own firebase-admin client of the emulator. */
export function adminDb(): Firestore {
  requireEnv('FIRESTORE_EMULATOR_HOST');
  app ??= initializeApp({ projectId: requireEnv('STILLA_PROJECT_ID') }, `weekly-${uniqueTag()}`);
  return getFirestore(app);
}

export async function closeAdminDb(): Promise<void> {
  if (!app) return;
  await getFirestore(app).terminate();
  await deleteApp(app);
  app = undefined;
}

/** Writes moods directly (no cache invalidation: only moodLog invalidates the cache). */
export async function seedMoods(uid: string, moods: SeedMood[]): Promise<void> {
  const db = adminDb();
  const batch = db.batch();
  for (const mood of moods) {
    const at = Timestamp.fromDate(new Date(mood.recordedAt));
    batch.set(db.collection(`users/${uid}/moods`).doc(), {
      score: mood.score,
      note: mood.note ?? null,
      tags: mood.tags ?? [],
      recordedAt: at,
      createdAt: at,
    });
  }
  await batch.commit();
}

/** Sets the user's token counter of today (UTC) as if they had spent `totalTokens`. */
export async function setTokensUsedToday(uid: string, totalTokens: number): Promise<void> {
  const day = new Date().toISOString().slice(0, 10);
  await adminDb().doc(`users/${uid}/usage/${day}`).set({ totalTokens, calls: 1 });
}

export async function tokensUsedToday(uid: string): Promise<number> {
  const day = new Date().toISOString().slice(0, 10);
  const snapshot = await adminDb().doc(`users/${uid}/usage/${day}`).get();
  const total: unknown = snapshot.get('totalTokens');
  return typeof total === 'number' ? total : 0;
}

// --- the fake OpenAI server -------------------------------------------------------------------

const fakeOrigin = (): string => new URL(requireEnv('FAKE_OPENAI_URL')).origin;

/** How the fake answers (see dev/fake-openai/rules.ts); each may be slowed down. */
export type FakeBehavior = { latencyMs?: number; deltaDelayMs?: number } & (
  | { latencyMs: number }
  | { hang: true }
  | { status: number; retryAfter?: number }
  | { malformed: true | 'invalid-json' | 'wrong-shape' | 'body' }
  | { content: string; finishReason?: 'stop' | 'length' | 'content_filter' }
  | { streamBreak: true; afterDeltas?: number }
  | { flagged: true; categories?: string[] }
);

export interface FakeRule {
  match?: string;
  endpoint?: 'chat' | 'moderations';
  times?: number;
  behavior: FakeBehavior;
}

const ruleIds: string[] = [];

/** Adds a rule; {@link removeFakeRules} deletes every rule this file added. */
export async function addFakeRule(rule: FakeRule): Promise<string> {
  const res = await fetch(`${fakeOrigin()}/__rules`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(rule),
  });
  const body = (await res.json()) as { id?: string; error?: { message: string } };
  if (res.status !== 201 || !body.id) throw new Error(`rule rejected: ${body.error?.message}`);
  ruleIds.push(body.id);
  return body.id;
}

export async function removeFakeRules(): Promise<void> {
  const ids = ruleIds.splice(0);
  await Promise.all(ids.map((id) => fetch(`${fakeOrigin()}/__rules/${id}`, { method: 'DELETE' })));
}

/** A request the fake received (the parts these tests read). */
export interface RecordedRequest {
  path: string;
  rawBody: string;
  body: {
    model?: string;
    messages?: { role: string; content: unknown }[];
    response_format?: { type: string; json_schema?: { name: string; strict?: boolean } };
  } | null;
}

/** Requests whose body contains `match`, oldest first. */
export async function fakeRequests(match: string): Promise<RecordedRequest[]> {
  const res = await fetch(`${fakeOrigin()}/__requests?match=${encodeURIComponent(match)}`);
  return (await res.json()) as RecordedRequest[];
}

// --- weeklyAnalysis ---------------------------------------------------------------------------

export interface DayStats {
  date: string;
  count: number;
  average: number | null;
}

export interface WeeklyAnalysis {
  week: string;
  timeZone: string;
  language: 'en' | 'sv';
  range: { start: string; end: string };
  stats: {
    count: number;
    average: number | null;
    min: number | null;
    max: number | null;
    trend: 'improving' | 'declining' | 'stable' | 'insufficient_data';
    days: DayStats[];
    topTags: { tag: string; count: number; average: number }[];
  };
  previousWeek: { count: number; average: number | null };
  insights: { summary: string; suggestions: string[]; source: 'ai' | 'fallback' };
  generatedAt: string;
}

export interface ErrorResponse {
  error: {
    code: string;
    message: string;
    requestId: string;
    details?: { path: string; message: string }[];
  };
}

export function weekly(
  user: TestUser,
  query: Record<string, string | undefined> = {},
): Promise<CallResult<WeeklyAnalysis & ErrorResponse>> {
  return callFunction<WeeklyAnalysis & ErrorResponse>('weeklyAnalysis', {
    token: user.token,
    query,
  });
}
