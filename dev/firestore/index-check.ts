/**
 * Index coverage: every query the test suite makes must be servable by Firestore with the
 * indexes that firestore.indexes.json declares, and every declared composite index must be
 * used by some query.
 *
 * The patched Node emulator appends each query it serves to a log (STILLA_FIRESTORE_QUERY_LOG,
 * one JSON object a line: parent, collectionId, allDescendants, filters, orderBy, and dnf for
 * OR queries). From each we derive the index Firestore would require, following Firestore's
 * documented rules (firebase.google.com/docs/firestore/query-data/index-overview,
 * .../query-data/multiple-range-fields, .../query-data/indexing and the "index merging"
 * section of .../query-data/index-overview#index_merging):
 *
 *  R1. Firestore keeps single-field indexes (ascending, descending, array-contains) for every
 *      field automatically, with collection scope only. A field listed in `fieldOverrides`
 *      gets exactly the indexes listed there instead (`"indexes": []` exempts it entirely).
 *      Collection-group scope single-field indexes exist only where an override adds them.
 *  R2. Single-field indexes serve: any filters and orderBy on one field; equality filters
 *      (==, in, array-contains, array-contains-any) on several fields with no other order
 *      than the document id (Firestore merges the single-field indexes, zig-zag join).
 *  R3. Anything else needs a composite index whose fields are: the equality fields
 *      (==, in, IS_NULL, IS_NAN as order ASCENDING; array-contains(-any) as arrayConfig
 *      CONTAINS), then the query's effective orderBy: the explicit orderBy clauses, then each
 *      inequality field (<, <=, >, >=, !=, not-in) not already ordered in lexicographic order,
 *      in the direction of the last explicit orderBy (ascending if none).
 *  R4. Every index ends with the document id (__name__) in the direction of its last field, so
 *      a trailing __name__ in that direction is implicit; __name__ in the other direction must be
 *      an explicit last field. Orders after __name__ change nothing; a field constrained by ==
 *      has nothing to order and drops out of the order; filters on __name__ are key lookups
 *      and need no field.
 *  R5. Index merging also works for composite indexes: a query with equality filters on
 *      several fields plus orderBy clauses (no inequality filter) is served by composites
 *      (some of its equality fields + the same orderBy) that together cover every equality
 *      field.
 *  R6. A collection query needs an index of queryScope COLLECTION, a collection-group query
 *      one of COLLECTION_GROUP. Kindless queries (all descendants, no collection id:
 *      recursiveDelete) are served by the built-in document-id index.
 *  R7. An OR query runs as the union of its disjunctions (disjunctive normal form): each
 *      disjunction, with the query's orderBy, must be servable on its own.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

export type Order = 'ASCENDING' | 'DESCENDING';
export type QueryScope = 'COLLECTION' | 'COLLECTION_GROUP';

export interface IndexField {
  fieldPath: string;
  order?: Order;
  arrayConfig?: 'CONTAINS';
}

/** A composite index as firestore.indexes.json writes it (one field: a single-field index). */
export interface IndexSpec {
  collectionGroup: string;
  queryScope: QueryScope;
  fields: IndexField[];
}

export interface RecordedFilter {
  field: string;
  /** StructuredQuery operator name: EQUAL, LESS_THAN, ARRAY_CONTAINS, IS_NULL, ... */
  op: string;
}

/** One line of the emulator's query log. */
export interface RecordedQuery {
  rpc?: string;
  parent: string;
  collectionId: string;
  allDescendants: boolean;
  filters: RecordedFilter[];
  orderBy: { field: string; direction: string }[];
  /** For queries with OR: the disjunctive normal form of the filters. */
  dnf?: RecordedFilter[][];
}

export interface FieldOverride {
  collectionGroup: string;
  fieldPath: string;
  indexes: { order?: Order; arrayConfig?: 'CONTAINS'; queryScope?: QueryScope }[];
}

export interface IndexesFile {
  indexes: IndexSpec[];
  fieldOverrides: FieldOverride[];
}

const NAME = '__name__';
const EQUALITY_OPS = new Set(['EQUAL', 'IN', 'IS_NULL', 'IS_NAN']);
const ARRAY_OPS = new Set(['ARRAY_CONTAINS', 'ARRAY_CONTAINS_ANY']);
const INEQUALITY_OPS = new Set([
  'LESS_THAN',
  'LESS_THAN_OR_EQUAL',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUAL',
  'NOT_EQUAL',
  'NOT_IN',
  'IS_NOT_NULL',
  'IS_NOT_NAN',
]);
/** Ops that pin a field to one value, so ordering by it is a no-op (R4). */
const SINGLE_VALUE_OPS = new Set(['EQUAL', 'IS_NULL', 'IS_NAN']);

/** Splits a field path into segments (backticks quote segments with special characters). */
function segments(path: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (quoted && ch === '\\' && i + 1 < path.length) current += path[++i];
    else if (ch === '`') quoted = !quoted;
    else if (ch === '.' && !quoted) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

/** Lexicographic field-path order (segment by segment, __name__ first), as the SDKs sort. */
export function compareFieldPaths(a: string, b: string): number {
  if (a === b) return 0;
  if (a === NAME) return -1;
  if (b === NAME) return 1;
  const sa = segments(a);
  const sb = segments(b);
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    if (sa[i] !== sb[i]) return sa[i]! < sb[i]! ? -1 : 1;
  }
  return sa.length - sb.length;
}

const direction = (d: string): Order => (d === 'DESCENDING' ? 'DESCENDING' : 'ASCENDING');

interface Shape {
  collectionGroup: string;
  queryScope: QueryScope;
  /** Equality fields: order ASCENDING (any direction serves) or arrayConfig CONTAINS. */
  equality: IndexField[];
  /** The effective order without the implicit trailing __name__. */
  order: IndexField[];
  /** True when the query has an inequality filter (no index merging then, R5). */
  hasInequality: boolean;
}

/** The index shape one conjunction of filters needs, with the query's ordering (R3, R4). */
function shapeOf(query: RecordedQuery, conjunction: RecordedFilter[]): Shape | null {
  if (!query.collectionId) return null; // kindless (R6)
  const queryScope: QueryScope = query.allDescendants ? 'COLLECTION_GROUP' : 'COLLECTION';
  const filters = conjunction.filter((f) => f.field !== NAME); // key lookups (R4)
  const pinned = new Set(filters.filter((f) => SINGLE_VALUE_OPS.has(f.op)).map((f) => f.field));

  // Effective order (R3): explicit, then unordered inequality fields of the whole query.
  const all = query.dnf ? query.dnf.flat() : query.filters;
  const explicit = query.orderBy.map((o) => ({
    fieldPath: o.field,
    order: direction(o.direction),
  }));
  const lastDirection = explicit.at(-1)?.order ?? 'ASCENDING';
  const ordered = new Set(explicit.map((o) => o.fieldPath));
  const inequalities = [
    ...new Set(all.filter((f) => INEQUALITY_OPS.has(f.op) && f.field !== NAME).map((f) => f.field)),
  ]
    .filter((field) => !ordered.has(field))
    .sort(compareFieldPaths);
  let order: IndexField[] = [
    ...explicit,
    ...inequalities.map((fieldPath) => ({ fieldPath, order: lastDirection })),
  ];
  // R4: nothing after __name__ matters; pinned fields need no order; drop duplicates.
  const nameAt = order.findIndex((o) => o.fieldPath === NAME);
  if (nameAt >= 0) order = order.slice(0, nameAt + 1);
  const seen = new Set<string>();
  order = order.filter(
    (o) => !pinned.has(o.fieldPath) && !seen.has(o.fieldPath) && seen.add(o.fieldPath),
  );
  // R4: a trailing __name__ in the direction of the field before it is implicit.
  const last = order.at(-1);
  if (last?.fieldPath === NAME) {
    const before = order.at(-2);
    if (!before || before.order === last.order) order = order.slice(0, -1);
  }

  const ordering = new Set(order.map((o) => o.fieldPath));
  const equality: IndexField[] = [];
  const keys = new Set<string>();
  for (const f of filters) {
    let field: IndexField | undefined;
    if (ARRAY_OPS.has(f.op)) field = { fieldPath: f.field, arrayConfig: 'CONTAINS' };
    // An `in` field that is also ordered is served by its order field.
    else if (EQUALITY_OPS.has(f.op) && !ordering.has(f.field))
      field = { fieldPath: f.field, order: 'ASCENDING' };
    if (!field) continue;
    const key = fieldKey(field);
    if (!keys.has(key)) equality.push(field);
    keys.add(key);
  }
  return {
    collectionGroup: query.collectionId,
    queryScope,
    equality,
    order,
    hasInequality: all.some((f) => INEQUALITY_OPS.has(f.op)),
  };
}

const fieldKey = (f: IndexField) => `${f.fieldPath}|${f.arrayConfig ?? 'ORDER'}`;

/** A shape single-field indexes can serve (R2). */
function singleFieldServes(shape: Shape): boolean {
  const fields = new Set([...shape.equality, ...shape.order].map((f) => f.fieldPath));
  return fields.size <= 1 || shape.order.length === 0;
}

/** The conjunctions of a recorded query (R7). */
function conjunctions(query: RecordedQuery): RecordedFilter[][] {
  return query.dnf && query.dnf.length > 0 ? query.dnf : [query.filters];
}

/**
 * The composite index Firestore requires for a recorded query (its first disjunction for an
 * OR query; see requiredIndexes), or null when single-field indexes serve it.
 */
export function requiredIndex(query: RecordedQuery): IndexSpec | null {
  return requiredIndexes(query)[0] ?? null;
}

/** The composite indexes a recorded query requires: one per disjunction that needs one. */
export function requiredIndexes(query: RecordedQuery): IndexSpec[] {
  const out: IndexSpec[] = [];
  for (const conjunction of conjunctions(query)) {
    const shape = shapeOf(query, conjunction);
    if (!shape || singleFieldServes(shape)) continue;
    const spec: IndexSpec = {
      collectionGroup: shape.collectionGroup,
      queryScope: shape.queryScope,
      fields: [...shape.equality, ...shape.order],
    };
    if (!out.some((o) => specKey(o) === specKey(spec))) out.push(spec);
  }
  return out;
}

/** A single-field index a query relies on; for an equality field either direction serves. */
interface SingleFieldNeed {
  spec: IndexSpec;
  anyDirection: boolean;
}

function singleFieldNeeds(shape: Shape): SingleFieldNeed[] {
  const need = (field: IndexField, anyDirection: boolean): SingleFieldNeed => ({
    spec: { collectionGroup: shape.collectionGroup, queryScope: shape.queryScope, fields: [field] },
    anyDirection,
  });
  return [
    ...shape.equality.map((f) => need(f, true)),
    ...shape.order.filter((f) => f.fieldPath !== NAME).map((f) => need(f, false)), // __name__: built in
  ];
}

/**
 * The single-field indexes a query relies on when single-field indexes serve it (R1, R2):
 * each equality field, and the ordered field. Empty when it needs a composite.
 */
export function requiredSingleFieldIndexes(query: RecordedQuery): IndexSpec[] {
  const out: IndexSpec[] = [];
  for (const conjunction of conjunctions(query)) {
    const shape = shapeOf(query, conjunction);
    if (!shape || !singleFieldServes(shape)) continue;
    for (const { spec } of singleFieldNeeds(shape)) {
      if (!out.some((o) => specKey(o) === specKey(spec))) out.push(spec);
    }
  }
  return out;
}

const specKey = (s: IndexSpec) =>
  JSON.stringify([
    s.collectionGroup,
    s.queryScope,
    s.fields.map((f) => [f.fieldPath, f.order ?? null, f.arrayConfig ?? null]),
  ]);

/** A declared index with its implicit trailing __name__ removed (R4). */
function normalize(spec: IndexSpec): IndexSpec {
  const fields = spec.fields.map((f) =>
    f.arrayConfig
      ? { fieldPath: f.fieldPath, arrayConfig: f.arrayConfig }
      : { fieldPath: f.fieldPath, order: f.order ?? 'ASCENDING' },
  );
  const last = fields.at(-1);
  const before = fields.at(-2);
  if (last?.fieldPath === NAME && before && (before.order ?? 'ASCENDING') === last.order)
    fields.pop();
  return {
    collectionGroup: spec.collectionGroup,
    queryScope: spec.queryScope ?? 'COLLECTION',
    fields,
  };
}

/**
 * Whether a declared composite has the form (equality fields `subset`, in any order and
 * direction) + `order`, in the query's collection group and scope.
 */
function hasForm(index: IndexSpec, shape: Shape, subset: IndexField[]): boolean {
  if (index.collectionGroup !== shape.collectionGroup || index.queryScope !== shape.queryScope)
    return false;
  if (index.fields.length !== subset.length + shape.order.length) return false;
  const head = index.fields.slice(0, subset.length);
  const wanted = new Set(subset.map(fieldKey));
  if (head.length !== wanted.size || !head.every((f) => wanted.has(fieldKey(f)))) return false;
  return shape.order.every((o, i) => {
    const f = index.fields[subset.length + i]!;
    return f.fieldPath === o.fieldPath && !f.arrayConfig && f.order === o.order;
  });
}

/** The declared composites that serve a shape: one exact match, or a merge (R5). */
function servingIndexes(shape: Shape, declared: IndexSpec[]): IndexSpec[] | null {
  const exact = declared.find((d) => hasForm(d, shape, shape.equality));
  if (exact) return [exact];
  if (shape.hasInequality || shape.equality.length < 2) return null;
  // Index merging: composites (some equality fields + the same order) covering every one.
  const parts = declared.filter((d) => {
    if (d.collectionGroup !== shape.collectionGroup || d.queryScope !== shape.queryScope)
      return false;
    const head = d.fields.slice(0, d.fields.length - shape.order.length);
    const eq = new Set(shape.equality.map(fieldKey));
    return head.length > 0 && head.every((f) => eq.has(fieldKey(f))) && hasForm(d, shape, head);
  });
  const covered = new Set(
    parts.flatMap((d) => d.fields.slice(0, d.fields.length - shape.order.length).map(fieldKey)),
  );
  return shape.equality.every((f) => covered.has(fieldKey(f))) ? parts : null;
}

/** Whether the single-field index exists: automatic, unless an override says otherwise (R1). */
function singleFieldExists(
  { spec: need, anyDirection }: SingleFieldNeed,
  overrides: FieldOverride[],
): boolean {
  const field = need.fields[0]!;
  const override = overrides.find(
    (o) => o.collectionGroup === need.collectionGroup && o.fieldPath === field.fieldPath,
  );
  if (!override) return need.queryScope === 'COLLECTION';
  return override.indexes.some(
    (i) =>
      (i.queryScope ?? 'COLLECTION') === need.queryScope &&
      (field.arrayConfig
        ? i.arrayConfig === field.arrayConfig
        : i.order !== undefined && (anyDirection || i.order === field.order)),
  );
}

/** The fieldOverrides entry that adds a missing single-field index (keeping the others). */
function overrideFor(need: IndexSpec, overrides: FieldOverride[]): FieldOverride {
  const field = need.fields[0]!;
  const existing = overrides.find(
    (o) => o.collectionGroup === need.collectionGroup && o.fieldPath === field.fieldPath,
  );
  // Without an override a field has its automatic collection-scope indexes: keep them.
  const indexes = existing
    ? [...existing.indexes]
    : [
        { order: 'ASCENDING' as const, queryScope: 'COLLECTION' as const },
        { order: 'DESCENDING' as const, queryScope: 'COLLECTION' as const },
        { arrayConfig: 'CONTAINS' as const, queryScope: 'COLLECTION' as const },
      ];
  indexes.push(
    field.arrayConfig
      ? { arrayConfig: field.arrayConfig, queryScope: need.queryScope }
      : { order: field.order ?? 'ASCENDING', queryScope: need.queryScope },
  );
  return { collectionGroup: need.collectionGroup, fieldPath: field.fieldPath, indexes };
}

/** Reads the query log (one JSON object a line). */
export function readQueryLog(path: string): RecordedQuery[] {
  const out: RecordedQuery[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      try {
        out.push(JSON.parse(line) as RecordedQuery);
      } catch {
        throw new Error(`${path}:${i + 1}: not a JSON query record`);
      }
    });
  return out;
}

export function readIndexesFile(path: string): IndexesFile {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<IndexesFile>;
  return { indexes: raw.indexes ?? [], fieldOverrides: raw.fieldOverrides ?? [] };
}

/** Collections under this prefix belong to the emulator's conformance tests, not the app. */
export const CONFORMANCE_PREFIX = 'conformance-';

function ignored(query: RecordedQuery, prefix: string | null): boolean {
  if (!prefix) return false;
  const root = /\/documents\/([^/]+)/.exec(query.parent)?.[1];
  return query.collectionId.startsWith(prefix) || (root !== undefined && root.startsWith(prefix));
}

const describeQuery = (q: RecordedQuery): string => {
  const where = (q.dnf ?? [q.filters])
    .map((c) => c.map((f) => `${f.field} ${f.op}`).join(' AND '))
    .filter(Boolean)
    .join(' OR ');
  const order = q.orderBy.map((o) => `${o.field} ${o.direction}`).join(', ');
  const scope = q.allDescendants ? 'collection group' : 'collection';
  return `${scope} ${q.collectionId}${where ? ` where ${where}` : ''}${order ? ` order by ${order}` : ''}`;
};

const indent = (text: string, by = '    ') =>
  text
    .split('\n')
    .map((l) => by + l)
    .join('\n');

export interface CoverageOptions {
  queryLogPath: string;
  indexesPath: string;
  /** Queries on collections with this prefix are skipped (default CONFORMANCE_PREFIX; null: none). */
  ignoreCollectionPrefix?: string | null;
}

export interface Coverage {
  /** Indexes to add: composites, and single-field indexes (one field) for fieldOverrides. */
  missing: IndexSpec[];
  /** Declared composite indexes that no recorded query uses. */
  unused: IndexSpec[];
  report: string;
}

export function checkIndexCoverage(options: CoverageOptions): Coverage {
  const queries = readQueryLog(options.queryLogPath).filter(
    (q) =>
      !ignored(
        q,
        options.ignoreCollectionPrefix === undefined
          ? CONFORMANCE_PREFIX
          : options.ignoreCollectionPrefix,
      ),
  );
  const file = readIndexesFile(options.indexesPath);
  const declared = file.indexes.map(normalize);
  const used = new Set<number>();
  const missing = new Map<string, { spec: IndexSpec; query: RecordedQuery }>();

  for (const query of queries) {
    for (const conjunction of conjunctions(query)) {
      const shape = shapeOf(query, conjunction);
      if (!shape) continue;
      const serving = servingIndexes(shape, declared);
      if (serving) {
        for (const d of serving) used.add(declared.indexOf(d));
        continue;
      }
      if (!singleFieldServes(shape)) {
        const spec: IndexSpec = {
          collectionGroup: shape.collectionGroup,
          queryScope: shape.queryScope,
          fields: [...shape.equality, ...shape.order],
        };
        if (!missing.has(specKey(spec))) missing.set(specKey(spec), { spec, query });
        continue;
      }
      for (const need of singleFieldNeeds(shape)) {
        if (!singleFieldExists(need, file.fieldOverrides) && !missing.has(specKey(need.spec))) {
          missing.set(specKey(need.spec), { spec: need.spec, query });
        }
      }
    }
  }

  const unused = file.indexes.filter((_, i) => !used.has(i));
  const lines: string[] = [];
  lines.push(
    `Index coverage: ${queries.length} recorded queries, ${file.indexes.length} declared composite indexes.`,
  );
  for (const { spec, query } of missing.values()) {
    if (spec.fields.length > 1) {
      lines.push(`MISSING composite index, needed by: ${describeQuery(query)}`);
      lines.push(`  Add this entry to "indexes" in firestore.indexes.json:`);
      lines.push(indent(JSON.stringify(spec, null, 2)));
    } else {
      const entry = overrideFor(spec, file.fieldOverrides);
      const exempted = file.fieldOverrides.some(
        (o) =>
          o.collectionGroup === spec.collectionGroup && o.fieldPath === spec.fields[0]!.fieldPath,
      );
      lines.push(
        `MISSING single-field index (${spec.queryScope} scope${exempted ? ', the field has a fieldOverride' : ''}), needed by: ${describeQuery(query)}`,
      );
      lines.push(`  Put this entry in "fieldOverrides" in firestore.indexes.json:`);
      lines.push(indent(JSON.stringify(entry, null, 2)));
    }
  }
  for (const spec of unused) {
    lines.push(
      'UNUSED composite index (no recorded query needs it): remove it, or test the query that does:',
    );
    lines.push(indent(JSON.stringify(spec, null, 2)));
  }
  if (missing.size === 0 && unused.length === 0)
    lines.push('OK: every query has its index, every index is used.');
  return { missing: [...missing.values()].map((m) => m.spec), unused, report: lines.join('\n') };
}

// CLI: node dev/firestore/index-check.ts --log FILE --indexes firestore.indexes.json
if (basename(process.argv[1] ?? '') === 'index-check.ts') {
  const { values } = parseArgs({
    options: {
      log: { type: 'string' },
      indexes: { type: 'string', default: 'firestore.indexes.json' },
      'ignore-prefix': { type: 'string' },
    },
  });
  if (!values.log) {
    console.error(
      'usage: node dev/firestore/index-check.ts --log QUERY_LOG [--indexes firestore.indexes.json]',
    );
    process.exit(2);
  }
  const result = checkIndexCoverage({
    queryLogPath: values.log,
    indexesPath: values.indexes,
    ...(values['ignore-prefix'] !== undefined
      ? { ignoreCollectionPrefix: values['ignore-prefix'] || null }
      : {}),
  });
  console.log(result.report);
  process.exit(result.missing.length > 0 || result.unused.length > 0 ? 1 : 0);
}
