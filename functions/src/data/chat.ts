/**
 * Firestore access for chat: sessions at `users/{uid}/chatSessions/{sessionId}`, each message its
 * own document at `.../{sessionId}/messages/{messageId}`. A message's `seq` (1, 2, 3, ...) is
 * assigned in a transaction on the session document, which also keeps the session's
 * `messageCount`, `updatedAt` and preview, so order is strict and the session always agrees with
 * its messages, however many sends race. A session id is only ever looked up under the token's
 * user: another user's session is simply not there (`404`).
 */
import { firestoreOp, guardedTransaction } from '../lib/firestore/db';
import { NotFoundError } from './errors';
import type { SafetyLevel } from '../domain/safety';
import type { CursorPosition } from '../domain/mood/cursor';
import {
  messagePreview,
  sessionTitle,
  type ChatMessage,
  type ChatRole,
  type ChatSessionSummary,
  type ContextMessage,
  type ReplySource,
} from '../domain/chat';
import { chatMessagesPath, chatSessionPath, chatSessionsPath } from '../lib/firestore/paths';

/**
 * Attempts of one message transaction. Every send to a session writes its session document, so
 * parallel sends to one session contend: with Firestore's (and the patched emulator's) locking,
 * 20 parallel sends need more than the SDK's default of 5 (measured: see docs/API-NOTES.md).
 */
const MESSAGE_TRANSACTION_ATTEMPTS = 30;
/** Time for one message transaction, retries included. */
const MESSAGE_TRANSACTION_TIMEOUT_MS = 15_000;
/** Deleting a long session's messages takes a while; it must still end. */
const DELETE_TIMEOUT_MS = 55_000;

/** A session document as stored. */
export interface StoredSession {
  title: string;
  createdAt: FirebaseFirestore.Timestamp;
  updatedAt: FirebaseFirestore.Timestamp;
  messageCount: number;
  lastMessagePreview: string;
}

/** A message document as stored. */
export interface StoredMessage {
  seq: number;
  role: ChatRole;
  content: string;
  createdAt: FirebaseFirestore.Timestamp;
  /** Replies: the user message answered. */
  replyTo?: string;
  /** Replies: who wrote it. */
  source?: ReplySource;
  /** User messages: the safety screen's level. */
  safetyLevel?: SafetyLevel;
  /** Replies stored before they were finished (the client went away). */
  interrupted?: boolean;
}

/** The API's view of a stored message. */
export function toMessage(id: string, data: StoredMessage): ChatMessage {
  return {
    id,
    role: data.role,
    content: data.content,
    createdAt: data.createdAt.toDate().toISOString(),
    ...(data.replyTo ? { replyTo: data.replyTo } : {}),
    ...(data.interrupted ? { interrupted: true as const } : {}),
  };
}

/** The API's view of a stored session. */
export function toSummary(id: string, data: StoredSession): ChatSessionSummary {
  return {
    id,
    title: data.title,
    createdAt: data.createdAt.toDate().toISOString(),
    updatedAt: data.updatedAt.toDate().toISOString(),
    messageCount: data.messageCount,
    lastMessagePreview: data.lastMessagePreview,
  };
}

/** A message to append. `replyTo` is a message id, or the index of a draft appended with it. */
export interface MessageDraft {
  /** The document id, when it was chosen (and shown to the client) before the message is stored. */
  id?: string;
  /**
   * When the message arrived, when earlier than its storing (a user message stored with its
   * reply). Kept unless the session already has a later message: createdAt follows `seq`.
   */
  arrivedAt?: number;
  role: ChatRole;
  content: string;
  replyTo?: string | { draft: number };
  source?: ReplySource;
  safetyLevel?: SafetyLevel;
  interrupted?: boolean;
}

export interface AppendedMessages {
  sessionId: string;
  messages: ChatMessage[];
}

/** Runs inside the transaction that stores the messages, with what it stores (e.g. to complete an idempotency record with the result). */
export type InTransaction<R> = (tx: FirebaseFirestore.Transaction, stored: R) => void;

/**
 * Where messages go: an existing session (`isNew: false`, `404` when the user has none of that
 * id), or a new one with an id chosen up front (created by the first append; if that append
 * already happened, later ones append to it).
 */
export interface SessionTarget {
  id: string;
  isNew: boolean;
}

/** The ids of an exchange, chosen before anything is stored, so they can be announced at once. */
export interface PlannedExchange {
  session: SessionTarget;
  userMessageId: string;
}

/**
 * Names an exchange before it is stored: the session (an existing one must be the user's: else
 * `404`) and the user message's id. Nothing is written.
 */
export async function planExchange(
  uid: string,
  sessionId: string | undefined,
): Promise<PlannedExchange> {
  return firestoreOp('plan chat exchange', async (db) => {
    const sessionRef = sessionId
      ? db.doc(chatSessionPath(uid, sessionId))
      : db.collection(chatSessionsPath(uid)).doc();
    if (sessionId && !(await sessionRef.get()).exists) throw new NotFoundError('Chat session');
    return {
      session: { id: sessionRef.id, isNew: !sessionId },
      userMessageId: db.collection(chatMessagesPath(uid, sessionRef.id)).doc().id,
    };
  });
}

/**
 * Appends `drafts` to a session, in order, in one transaction: to `session` (an id: `404` when
 * the user has no such session; a {@link SessionTarget}), or to a new session titled after the
 * first draft.
 */
export async function appendMessages(
  uid: string,
  session: string | SessionTarget | undefined,
  drafts: readonly MessageDraft[],
  inTransaction?: InTransaction<AppendedMessages>,
): Promise<AppendedMessages> {
  const target: SessionTarget | undefined =
    typeof session === 'string' ? { id: session, isNew: false } : session;
  return firestoreOp(
    'append chat messages',
    async (db, deadline) => {
      const { Timestamp } = await import('firebase-admin/firestore');
      const sessionRef = target
        ? db.doc(chatSessionPath(uid, target.id))
        : db.collection(chatSessionsPath(uid)).doc();
      const messages = db.collection(chatMessagesPath(uid, sessionRef.id));
      // Ids are chosen once, so every attempt of the transaction writes the same documents.
      const refs = drafts.map((draft) => (draft.id ? messages.doc(draft.id) : messages.doc()));
      return guardedTransaction(
        db,
        deadline,
        async (tx) => {
          const snapshot = target ? await tx.get(sessionRef) : undefined;
          if (snapshot && !snapshot.exists && !target?.isNew)
            throw new NotFoundError('Chat session');
          const previous = snapshot?.exists ? (snapshot.data() as StoredSession) : undefined;
          const now = Date.now();
          // Never before the session's last message, so createdAt follows seq even across clocks.
          let floor = previous?.updatedAt.toMillis() ?? 0;
          let seq = previous?.messageCount ?? 0;
          let at = Timestamp.fromMillis(Math.max(now, floor));
          const times: FirebaseFirestore.Timestamp[] = [];
          const stored = drafts.map((draft, index): ChatMessage => {
            const ref = refs[index] as FirebaseFirestore.DocumentReference;
            const replyTo =
              typeof draft.replyTo === 'object'
                ? (refs[draft.replyTo.draft] as FirebaseFirestore.DocumentReference).id
                : draft.replyTo;
            at = Timestamp.fromMillis(Math.max(Math.min(draft.arrivedAt ?? now, now), floor));
            floor = at.toMillis();
            times.push(at);
            const data: StoredMessage = {
              seq: ++seq,
              role: draft.role,
              content: draft.content,
              createdAt: at,
              ...(replyTo ? { replyTo } : {}),
              ...(draft.source ? { source: draft.source } : {}),
              ...(draft.safetyLevel ? { safetyLevel: draft.safetyLevel } : {}),
              ...(draft.interrupted ? { interrupted: true } : {}),
            };
            tx.create(ref, data);
            return toMessage(ref.id, data);
          });
          const last = drafts.at(-1);
          const sessionFields = {
            updatedAt: at,
            messageCount: seq,
            lastMessagePreview: last ? messagePreview(last.content) : '',
          };
          if (previous) tx.update(sessionRef, sessionFields);
          else {
            tx.create(sessionRef, {
              title: sessionTitle(drafts[0]?.content ?? ''),
              createdAt: times[0] ?? at,
              ...sessionFields,
            } satisfies StoredSession);
          }
          const result = { sessionId: sessionRef.id, messages: stored };
          inTransaction?.(tx, result);
          return result;
        },
        { maxAttempts: MESSAGE_TRANSACTION_ATTEMPTS },
      );
    },
    MESSAGE_TRANSACTION_TIMEOUT_MS,
  );
}

/**
 * Replaces the content of a stored reply (one that was stored interrupted, now finished) and
 * clears its `interrupted` mark. The session's preview follows when it is the last message.
 * `404` when the session or the message was deleted meanwhile.
 */
export async function finishReply(
  uid: string,
  sessionId: string,
  messageId: string,
  reply: { content: string; source: ReplySource },
  inTransaction?: InTransaction<ChatMessage>,
): Promise<ChatMessage> {
  return firestoreOp(
    'finish chat reply',
    async (db, deadline) => {
      const { FieldValue, Timestamp } = await import('firebase-admin/firestore');
      const sessionRef = db.doc(chatSessionPath(uid, sessionId));
      const messageRef = db.collection(chatMessagesPath(uid, sessionId)).doc(messageId);
      return guardedTransaction(
        db,
        deadline,
        async (tx) => {
          const [session, message] = await Promise.all([tx.get(sessionRef), tx.get(messageRef)]);
          if (!session.exists || !message.exists) throw new NotFoundError('Chat session');
          const previous = session.data() as StoredSession;
          const data = message.data() as StoredMessage;
          tx.update(messageRef, {
            content: reply.content,
            source: reply.source,
            interrupted: FieldValue.delete(),
          });
          if (data.seq === previous.messageCount) {
            tx.update(sessionRef, {
              updatedAt: Timestamp.fromMillis(Math.max(Date.now(), previous.updatedAt.toMillis())),
              lastMessagePreview: messagePreview(reply.content),
            });
          }
          const result = toMessage(messageId, { ...data, ...reply, interrupted: false });
          inTransaction?.(tx, result);
          return result;
        },
        { maxAttempts: MESSAGE_TRANSACTION_ATTEMPTS },
      );
    },
    MESSAGE_TRANSACTION_TIMEOUT_MS,
  );
}

/** The session's last `limit` messages, oldest first, as model context (empty for a new session). */
export async function recentMessages(
  uid: string,
  sessionId: string,
  limit: number,
): Promise<ContextMessage[]> {
  return firestoreOp('read chat context', async (db) => {
    const snapshot = await db
      .collection(chatMessagesPath(uid, sessionId))
      .orderBy('seq', 'desc')
      .select('role', 'content')
      .limit(limit)
      .get();
    return snapshot.docs
      .map((doc) => ({
        role: doc.get('role') as ChatRole,
        content: String(doc.get('content') ?? ''),
      }))
      .reverse();
  });
}

export interface SessionPage {
  sessions: ChatSessionSummary[];
  /** Position of the last session served, when more follow. */
  next: CursorPosition | null;
}

/** One page of sessions, most recently updated first (ties by id, descending). */
export async function listSessions(
  uid: string,
  page: { limit: number; after?: CursorPosition },
): Promise<SessionPage> {
  return firestoreOp('list chat sessions', async (db) => {
    const { FieldPath, Timestamp } = await import('firebase-admin/firestore');
    let query = db
      .collection(chatSessionsPath(uid))
      .orderBy('updatedAt', 'desc')
      .orderBy(FieldPath.documentId(), 'desc');
    if (page.after) query = query.startAfter(Timestamp.fromMillis(page.after.at), page.after.id);
    // One more than asked: tells whether a next page exists without another query.
    const snapshot = await query.limit(page.limit + 1).get();
    const docs = snapshot.docs.slice(0, page.limit);
    const last = docs.at(-1);
    return {
      sessions: docs.map((doc) => toSummary(doc.id, doc.data() as StoredSession)),
      next:
        snapshot.docs.length > page.limit && last
          ? { at: (last.get('updatedAt') as FirebaseFirestore.Timestamp).toMillis(), id: last.id }
          : null,
    };
  });
}

export interface MessagePage {
  /** Chronological. */
  messages: ChatMessage[];
  /** Position of the oldest message served, when older ones exist. */
  next: CursorPosition | null;
}

/**
 * One page of a session's messages: the newest `limit` before `before` (all when absent),
 * returned oldest first. `404` when the user has no such session.
 */
export async function listMessages(
  uid: string,
  sessionId: string,
  page: { limit: number; before?: CursorPosition },
): Promise<MessagePage> {
  return firestoreOp('list chat messages', async (db) => {
    let query = db.collection(chatMessagesPath(uid, sessionId)).orderBy('seq', 'desc');
    if (page.before) query = query.startAfter(page.before.at);
    const [session, snapshot] = await Promise.all([
      db.doc(chatSessionPath(uid, sessionId)).get(),
      query.limit(page.limit + 1).get(),
    ]);
    if (!session.exists) throw new NotFoundError('Chat session');
    const docs = snapshot.docs.slice(0, page.limit);
    const oldest = docs.at(-1);
    return {
      messages: docs.map((doc) => toMessage(doc.id, doc.data() as StoredMessage)).reverse(),
      next:
        snapshot.docs.length > page.limit && oldest
          ? { at: Number(oldest.get('seq')), id: oldest.id }
          : null,
    };
  });
}

/**
 * Deletes a session and every message in it; `404` when the user has no such session. The
 * session document goes first, in a transaction, so a send racing the delete either lands
 * before it (and its messages are deleted below) or finds no session (`404`) and writes nothing.
 */
export async function deleteSession(uid: string, sessionId: string): Promise<void> {
  await firestoreOp(
    'delete chat session',
    async (db, deadline) => {
      const sessionRef = db.doc(chatSessionPath(uid, sessionId));
      await guardedTransaction(
        db,
        deadline,
        async (tx) => {
          const snapshot = await tx.get(sessionRef);
          if (!snapshot.exists) throw new NotFoundError('Chat session');
          tx.delete(sessionRef);
        },
        { maxAttempts: MESSAGE_TRANSACTION_ATTEMPTS },
      );
      await db.recursiveDelete(db.collection(chatMessagesPath(uid, sessionId)));
    },
    DELETE_TIMEOUT_MS,
  );
}
