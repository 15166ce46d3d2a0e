import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  checkIndexCoverage,
  requiredIndex,
  requiredIndexes,
  requiredSingleFieldIndexes,
} from './index-check.ts';
import type { IndexesFile, IndexSpec, RecordedQuery } from './index-check.ts';

const DB = 'projects/demo-stilla-test/databases/(default)/documents';

/** A recorded query on users/u1/{collection}; `f` and `o` are shorthand filters/orders. */
function q(
  collectionId: string,
  filters: [string, string][] = [],
  orderBy: [string, 'ASCENDING' | 'DESCENDING'][] = [],
  extra: Partial<RecordedQuery> = {},
): RecordedQuery {
  return {
    rpc: 'RunQuery',
    parent: `${DB}/users/u1`,
    collectionId,
    allDescendants: false,
    filters: filters.map(([field, op]) => ({ field, op })),
    orderBy: orderBy.map(([field, direction]) => ({ field, direction })),
    ...extra,
  };
}

const composite = (
  collectionGroup: string,
  fields: IndexSpec['fields'],
  queryScope: IndexSpec['queryScope'] = 'COLLECTION',
): IndexSpec => ({
  collectionGroup,
  queryScope,
  fields,
});
const asc = (fieldPath: string) => ({ fieldPath, order: 'ASCENDING' as const });
const desc = (fieldPath: string) => ({ fieldPath, order: 'DESCENDING' as const });
const contains = (fieldPath: string) => ({ fieldPath, arrayConfig: 'CONTAINS' as const });

test('single-field queries need no composite', () => {
  assert.equal(requiredIndex(q('moods', [['day', 'EQUAL']])), null);
  assert.equal(requiredIndex(q('moods', [['day', 'GREATER_THAN']])), null);
  assert.equal(requiredIndex(q('moods', [['day', 'GREATER_THAN']], [['day', 'DESCENDING']])), null);
  assert.equal(requiredIndex(q('moods', [], [['day', 'DESCENDING']])), null);
  assert.equal(requiredIndex(q('moods', [['tags', 'ARRAY_CONTAINS']])), null);
  // orderBy desc + documentId desc: the implicit __name__ of the descending index
  assert.equal(
    requiredIndex(
      q(
        'moods',
        [],
        [
          ['at', 'DESCENDING'],
          ['__name__', 'DESCENDING'],
        ],
      ),
    ),
    null,
  );
  // an `in` field ordered by itself
  assert.equal(requiredIndex(q('moods', [['day', 'IN']], [['day', 'ASCENDING']])), null);
});

test('equality-only queries are served by merging single-field indexes', () => {
  assert.equal(
    requiredIndex(
      q('moods', [
        ['uid', 'EQUAL'],
        ['kind', 'EQUAL'],
        ['tags', 'ARRAY_CONTAINS'],
      ]),
    ),
    null,
  );
  assert.equal(
    requiredIndex(
      q(
        'moods',
        [
          ['uid', 'EQUAL'],
          ['kind', 'IN'],
        ],
        [['__name__', 'DESCENDING']],
      ),
    ),
    null,
  );
  // ...and each of those single-field indexes is needed
  assert.deepEqual(
    requiredSingleFieldIndexes(
      q('moods', [
        ['uid', 'EQUAL'],
        ['tags', 'ARRAY_CONTAINS'],
      ]),
    ),
    [composite('moods', [asc('uid')]), composite('moods', [contains('tags')])],
  );
});

test('equality plus an order on another field: equality fields first, then the order', () => {
  assert.deepEqual(
    requiredIndex(
      q(
        'moods',
        [['uid', 'EQUAL']],
        [
          ['at', 'DESCENDING'],
          ['__name__', 'DESCENDING'],
        ],
      ),
    ),
    composite('moods', [asc('uid'), desc('at')]),
  );
  assert.deepEqual(
    requiredIndex(q('moods', [['tags', 'ARRAY_CONTAINS']], [['at', 'ASCENDING']])),
    composite('moods', [contains('tags'), asc('at')]),
  );
  assert.deepEqual(
    requiredIndex(q('moods', [['kind', 'IN']], [['at', 'DESCENDING']])),
    composite('moods', [asc('kind'), desc('at')]),
  );
  // a field pinned by == needs no order
  assert.deepEqual(
    requiredIndex(
      q(
        'moods',
        [
          ['uid', 'EQUAL'],
          ['day', 'EQUAL'],
        ],
        [
          ['day', 'ASCENDING'],
          ['at', 'ASCENDING'],
        ],
      ),
    ),
    composite('moods', [asc('uid'), asc('day'), asc('at')]),
  );
});

test('equality plus a range: the range field follows, in the direction of the last orderBy', () => {
  assert.deepEqual(
    requiredIndex(
      q('moods', [
        ['uid', 'EQUAL'],
        ['at', 'GREATER_THAN_OR_EQUAL'],
        ['at', 'LESS_THAN'],
      ]),
    ),
    composite('moods', [asc('uid'), asc('at')]),
  );
  assert.deepEqual(
    requiredIndex(
      q(
        'moods',
        [
          ['uid', 'EQUAL'],
          ['at', 'LESS_THAN'],
        ],
        [['at', 'DESCENDING']],
      ),
    ),
    composite('moods', [asc('uid'), desc('at')]),
  );
  assert.deepEqual(
    requiredIndex(
      q('moods', [
        ['uid', 'EQUAL'],
        ['score', 'NOT_EQUAL'],
      ]),
    ),
    composite('moods', [asc('uid'), asc('score')]),
  );
});

test('inequality fields not ordered explicitly follow the orderBy, lexicographically', () => {
  assert.deepEqual(
    requiredIndex(q('moods', [['score', 'GREATER_THAN']], [['at', 'DESCENDING']])),
    composite('moods', [desc('at'), desc('score')]),
  );
  assert.deepEqual(
    requiredIndex(
      q('moods', [
        ['z', 'GREATER_THAN'],
        ['a', 'LESS_THAN'],
      ]),
    ),
    composite('moods', [asc('a'), asc('z')]),
  );
  assert.deepEqual(
    requiredIndex(
      q(
        'moods',
        [],
        [
          ['a', 'ASCENDING'],
          ['b', 'DESCENDING'],
        ],
      ),
    ),
    composite('moods', [asc('a'), desc('b')]),
  );
});

test('__name__: implicit when it follows the last direction, explicit otherwise; filters on it need nothing', () => {
  assert.deepEqual(
    requiredIndex(
      q(
        'moods',
        [],
        [
          ['at', 'ASCENDING'],
          ['__name__', 'DESCENDING'],
        ],
      ),
    ),
    composite('moods', [asc('at'), { fieldPath: '__name__', order: 'DESCENDING' }]),
  );
  assert.equal(
    requiredIndex(
      q('moods', [
        ['uid', 'EQUAL'],
        ['__name__', 'GREATER_THAN'],
      ]),
    ),
    null,
  );
  // orders after __name__ change nothing
  assert.equal(
    requiredIndex(
      q(
        'moods',
        [],
        [
          ['__name__', 'ASCENDING'],
          ['at', 'DESCENDING'],
        ],
      ),
    ),
    null,
  );
});

test('collection groups need COLLECTION_GROUP scope; kindless queries need nothing', () => {
  assert.deepEqual(
    requiredIndex(
      q('moods', [['uid', 'EQUAL']], [['at', 'DESCENDING']], { allDescendants: true, parent: DB }),
    ),
    composite('moods', [asc('uid'), desc('at')], 'COLLECTION_GROUP'),
  );
  assert.deepEqual(
    requiredSingleFieldIndexes(q('moods', [['day', 'GREATER_THAN']], [], { allDescendants: true })),
    [composite('moods', [asc('day')], 'COLLECTION_GROUP')],
  );
  assert.equal(
    requiredIndex(q('', [['__name__', 'GREATER_THAN_OR_EQUAL']], [], { allDescendants: true })),
    null,
  );
});

test('OR queries need an index per disjunction', () => {
  const query = q(
    'moods',
    [
      ['uid', 'EQUAL'],
      ['kind', 'EQUAL'],
    ],
    [['at', 'DESCENDING']],
    {
      dnf: [[{ field: 'uid', op: 'EQUAL' }], [{ field: 'kind', op: 'EQUAL' }]],
    },
  );
  assert.deepEqual(requiredIndexes(query), [
    composite('moods', [asc('uid'), desc('at')]),
    composite('moods', [asc('kind'), desc('at')]),
  ]);
});

// --- checkIndexCoverage ---------------------------------------------------------------------

function check(queries: RecordedQuery[], file: Partial<IndexesFile>, prefix?: string | null) {
  const dir = mkdtempSync(join(tmpdir(), 'index-check-'));
  const log = join(dir, 'queries.jsonl');
  const indexes = join(dir, 'firestore.indexes.json');
  writeFileSync(log, queries.map((x) => JSON.stringify(x)).join('\n') + '\n');
  writeFileSync(indexes, JSON.stringify({ indexes: [], fieldOverrides: [], ...file }));
  return {
    log,
    indexes,
    result: checkIndexCoverage({
      queryLogPath: log,
      indexesPath: indexes,
      ...(prefix !== undefined ? { ignoreCollectionPrefix: prefix } : {}),
    }),
  };
}

const timeline = q(
  'moods',
  [['uid', 'EQUAL']],
  [
    ['at', 'DESCENDING'],
    ['__name__', 'DESCENDING'],
  ],
);
const timelineIndex = composite('moods', [asc('uid'), desc('at')]);

test('a missing composite is reported as the JSON entry to paste', () => {
  const { result } = check([timeline], {});
  assert.deepEqual(result.missing, [timelineIndex]);
  assert.deepEqual(result.unused, []);
  assert.match(result.report, /MISSING composite index/);
  assert.ok(
    result.report.includes(JSON.stringify(timelineIndex, null, 2).split('\n').join('\n    ')),
  );
});

test('a declared composite serves; an explicit trailing __name__ in the same direction is the same index', () => {
  assert.deepEqual(check([timeline], { indexes: [timelineIndex] }).result.missing, []);
  const withName = composite('moods', [
    asc('uid'),
    desc('at'),
    { fieldPath: '__name__', order: 'DESCENDING' },
  ]);
  const { result } = check([timeline], { indexes: [withName] });
  assert.deepEqual(result.missing, []);
  assert.deepEqual(result.unused, []);
  assert.match(result.report, /^OK/m);
  // the wrong direction does not serve
  assert.equal(
    check([timeline], { indexes: [composite('moods', [asc('uid'), asc('at')])] }).result.missing
      .length,
    1,
  );
  // nor the wrong scope
  assert.equal(
    check([timeline], {
      indexes: [composite('moods', [asc('uid'), desc('at')], 'COLLECTION_GROUP')],
    }).result.missing.length,
    1,
  );
});

test('a declared composite that no query uses is reported', () => {
  const stray = composite('messages', [asc('uid'), desc('at')]);
  const { result } = check([timeline], { indexes: [timelineIndex, stray] });
  assert.deepEqual(result.unused, [stray]);
  assert.match(result.report, /UNUSED composite index/);
});

test('composites merge for equalities with the same order (and both count as used)', () => {
  const query = q(
    'moods',
    [
      ['uid', 'EQUAL'],
      ['kind', 'EQUAL'],
    ],
    [['at', 'DESCENDING']],
  );
  const a = composite('moods', [asc('uid'), desc('at')]);
  const b = composite('moods', [asc('kind'), desc('at')]);
  const { result } = check([query], { indexes: [a, b] });
  assert.deepEqual(result.missing, []);
  assert.deepEqual(result.unused, []);
  // not with a range filter
  const ranged = q(
    'moods',
    [
      ['uid', 'EQUAL'],
      ['kind', 'EQUAL'],
      ['at', 'LESS_THAN'],
    ],
    [['at', 'DESCENDING']],
  );
  assert.equal(check([ranged], { indexes: [a, b] }).result.missing.length, 1);
});

test('single-field indexes: exempted fields and collection-group scope need fieldOverrides', () => {
  const exempt = { fieldOverrides: [{ collectionGroup: 'moods', fieldPath: 'note', indexes: [] }] };
  const byNote = q('moods', [['note', 'EQUAL']]);
  const exempted = check([byNote], exempt).result;
  assert.deepEqual(exempted.missing, [composite('moods', [asc('note')])]);
  assert.match(exempted.report, /fieldOverrides/);
  assert.deepEqual(check([q('moods', [['day', 'EQUAL']])], exempt).result.missing, []);

  const group = q('moods', [['day', 'GREATER_THAN']], [['day', 'DESCENDING']], {
    allDescendants: true,
    parent: DB,
  });
  const missing = check([group], {}).result;
  assert.deepEqual(missing.missing, [composite('moods', [desc('day')], 'COLLECTION_GROUP')]);
  assert.ok(missing.report.includes('"queryScope": "COLLECTION_GROUP"'));
  const enabled = {
    fieldOverrides: [
      {
        collectionGroup: 'moods',
        fieldPath: 'day',
        indexes: [{ order: 'DESCENDING' as const, queryScope: 'COLLECTION_GROUP' as const }],
      },
    ],
  };
  assert.deepEqual(check([group], enabled).result.missing, []);
});

test('conformance-test collections are ignored unless asked otherwise', () => {
  const conformance = { ...timeline, parent: `${DB}/conformance-cursors-1234` };
  assert.deepEqual(check([conformance], {}).result.missing, []);
  assert.equal(check([conformance], {}, null).result.missing.length, 1);
});

test('the CLI exits non-zero and names the index when one is missing', () => {
  const { log, indexes } = check([timeline], {});
  const cli = join(import.meta.dirname, 'index-check.ts');
  const failing = spawnSync(process.execPath, [cli, '--log', log, '--indexes', indexes], {
    encoding: 'utf8',
  });
  assert.equal(failing.status, 1);
  assert.match(failing.stdout, /"fieldPath": "at",\s+"order": "DESCENDING"/);
  writeFileSync(indexes, JSON.stringify({ indexes: [timelineIndex], fieldOverrides: [] }));
  const passing = spawnSync(process.execPath, [cli, '--log', log, '--indexes', indexes], {
    encoding: 'utf8',
  });
  assert.equal(passing.status, 0, passing.stdout + passing.stderr);
});
