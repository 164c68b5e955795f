import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEm, Operation, OperationLedger } from '../src/index.js';
import { testDialects, type TestDatabase } from '../src/testing.js';
import { databaseWithTenant } from './support/tenant-database.js';

/*
 * docs/reliability.md item 1: the one write protocol. Two processes opening the same row can
 * both see it claimable, but only one claim wins; a lease that ran out, or an unknown outcome,
 * must be resolved by a read; a release by a process whose claim was taken over changes nothing.
 */
describe.each(testDialects())('operation ledger (%s)', (dialect) => {
  let db: TestDatabase;
  let tenantId: string;
  let now = Date.parse('2026-11-30T00:00:00Z');
  const ledger = (holder: string) =>
    new OperationLedger(db.orm, {
      clock: { now: () => now },
      leaseMs: 60_000,
      backoffMs: (attempts) => 1_000 * attempts,
      holder,
    });

  beforeAll(async () => {
    ({ db, tenantId } = await databaseWithTenant(dialect));
  });
  afterAll(async () => {
    await db.close();
  });

  it('lets exactly one of two processes claim a row, and takes over once its lease ends', async () => {
    const a = ledger('a');
    const b = ledger('b');
    const subject = { type: 'order', id: 'o-1' };
    const [seenByA, seenByB] = await Promise.all([
      a.open(tenantId, 'shipOrders', 'ship:o-1', subject),
      b.open(tenantId, 'shipOrders', 'ship:o-1', subject),
    ]);
    expect(seenByA.id).toBe(seenByB.id);
    expect([seenByA.verdict, seenByA.mustResolve]).toEqual(['claimable', false]);
    const claims = await Promise.all([a.claim(seenByA), b.claim(seenByB)]);
    expect(claims.filter((c) => c !== null)).toHaveLength(1);
    const row = await forkEm(db.orm).findOneOrFail(Operation, { id: seenByA.id });
    expect([row.state, row.attempts, row.leasedBy]).toEqual([
      'in_flight',
      1,
      claims[0] === null ? 'b' : 'a',
    ]);

    expect((await b.open(tenantId, 'shipOrders', 'ship:o-1')).verdict).toBe('busy');
    now += 61_000;
    const expired = await b.open(tenantId, 'shipOrders', 'ship:o-1');
    expect([expired.verdict, expired.mustResolve]).toEqual(['claimable', true]);
    const takeover = await b.claim(expired);
    expect(takeover?.attempts).toBe(2);

    // The first holder wakes up late and gives its claim back: it no longer holds the row.
    const first = claims.find((c) => c !== null)!;
    await ledger(first === claims[0] ? 'a' : 'b').release(first, 'pending', 'late', 0);
    expect((await forkEm(db.orm).findOneOrFail(Operation, { id: row.id })).state).toBe('in_flight');

    await b.release(takeover!, 'unknown', 'timeout');
    const backing = await a.open(tenantId, 'shipOrders', 'ship:o-1');
    expect([backing.verdict, backing.mustResolve, backing.lastError]).toEqual([
      'deferred',
      true,
      'timeout',
    ]);
    now += 2_000; // backoff for attempt 2
    expect((await a.open(tenantId, 'shipOrders', 'ship:o-1')).verdict).toBe('claimable');
  });

  it('claims a row that does not exist yet in one go, and leaves an existing one to the usual path', async () => {
    const a = ledger('a');
    const b = ledger('b');
    const subject = { type: 'order', id: 'o-new' };
    const payload = { orderHeadId: '1001' };
    // Two processes at once: one creates the row in flight, the other is told to open it.
    const claims = await Promise.all([
      a.claimNew(tenantId, 'allocateOrder', 'allocate:o-new', subject, payload),
      b.claimNew(tenantId, 'allocateOrder', 'allocate:o-new', subject, payload),
    ]);
    expect(claims.filter((c) => c !== null)).toHaveLength(1);
    const won = claims.find((c) => c !== null)!;
    expect([won.attempts, won.mustResolve, won.payload]).toEqual([1, false, payload]);
    // What open and claim would have written: in flight, leased, with its subject and payload.
    const row = await forkEm(db.orm).findOneOrFail(Operation, { id: won.id });
    expect([row.state, row.attempts, row.subjectId, row.payload]).toEqual([
      'in_flight',
      1,
      'o-new',
      payload,
    ]);
    expect(row.leaseUntil?.getTime()).toBe(now + 60_000);
    expect((await b.open(tenantId, 'allocateOrder', 'allocate:o-new')).verdict).toBe('busy');
    // It succeeds like any claim, and a later round goes the usual way (the row exists).
    await forkEm(db.orm).transactional((tx) => a.succeed(tx, won, '1001'));
    expect(
      await a.claimNew(tenantId, 'allocateOrder', 'allocate:o-new', subject, payload),
    ).toBeNull();
    expect((await a.open(tenantId, 'allocateOrder', 'allocate:o-new')).verdict).toBe('succeeded');
  });

  it('opens many rows at once as one by one would, whoever created some of them first', async () => {
    const a = ledger('a');
    const b = ledger('b');
    const keys = ['many-1', 'many-2', 'many-3', 'many-4'].map((k) => `ship:${k}`);
    const item = (businessKey: string) => ({
      businessKey,
      subject: { type: 'order', id: businessKey.slice(5) },
    });
    // One already exists and is in flight; two processes open the rest at the same moment.
    const held = await a.claim(await a.open(tenantId, 'shipOrders', keys[0]!));
    expect(held).not.toBeNull();
    const [byA, byB] = await Promise.all([
      a.openMany(tenantId, 'shipOrders', keys.map(item)),
      b.openMany(tenantId, 'shipOrders', [...keys, keys[1]!].map(item)),
    ]);
    for (const opened of [byA, byB]) {
      expect([...opened.keys()].sort()).toEqual(keys);
      expect(opened.get(keys[0]!)?.verdict).toBe('busy');
      for (const key of keys.slice(1)) {
        expect(opened.get(key)?.verdict).toBe('claimable');
        expect(opened.get(key)?.subjectId).toBe(key.slice(5));
      }
    }
    for (const key of keys) expect(byA.get(key)?.id).toBe(byB.get(key)?.id);
    expect(
      await forkEm(db.orm).count(Operation, { tenant: tenantId, businessKey: { $in: keys } }),
    ).toBe(4);
    expect((await a.openMany(tenantId, 'shipOrders', [])).size).toBe(0);
  });

  it('hands a claim back as it was, and succeeds or fails in the caller’s transaction', async () => {
    const l = ledger('a');
    const entry = await l.open(tenantId, 'allocateOrder', 'allocate:o-2', {
      type: 'order',
      id: 'o-2',
    });
    const claim = await l.claim(entry, { orderHeadId: '7' });
    await l.handBack(claim!, 'worker stopping: not sent');
    const back = await l.open(tenantId, 'allocateOrder', 'allocate:o-2');
    expect([back.state, back.verdict, back.payload]).toEqual([
      'pending',
      'claimable',
      { orderHeadId: '7' },
    ]);
    const again = await l.claim(back);
    await forkEm(db.orm).transactional((tx) => l.succeed(tx, again!, '7'));
    const done = await l.open(tenantId, 'allocateOrder', 'allocate:o-2');
    expect([done.verdict, done.remoteId]).toEqual(['succeeded', '7']);
    expect(await l.claim(back)).toBeNull();

    const refused = await l.claim(await l.open(tenantId, 'shipOrders', 'ship:o-3'));
    await forkEm(db.orm).transactional((tx) => l.fail(tx, refused!, 'not allocated'));
    expect((await l.open(tenantId, 'shipOrders', 'ship:o-3')).verdict).toBe('failed');
    expect(await l.reopen(tenantId, 'shipOrders', 'ship:o-3')).toBe(true);
    expect((await l.open(tenantId, 'shipOrders', 'ship:o-3')).verdict).toBe('claimable');
  });

  it('succeeds the claims of one call together, each with its remote ID, and says which were first', async () => {
    const l = ledger('a');
    const keys = ['ship:m-1', 'ship:m-2', 'ship:m-3'];
    const entries = await l.openMany(
      tenantId,
      'shipOrders',
      keys.map((businessKey) => ({ businessKey })),
    );
    const claims = await Promise.all(keys.map((key) => l.claim(entries.get(key)!)));
    const [c1, c2, c3] = claims as [
      NonNullable<(typeof claims)[0]>,
      NonNullable<(typeof claims)[0]>,
      NonNullable<(typeof claims)[0]>,
    ];
    // A webhook recorded the second order's shipment while the call was answered.
    await forkEm(db.orm).transactional((tx) => l.succeed(tx, c2, '802'));

    const first = await forkEm(db.orm).transactional((tx) =>
      l.succeedMany(tx, [
        { claim: c1, remoteId: '801' },
        { claim: c2, remoteId: '999' },
        { claim: c3, remoteId: '803' },
      ]),
    );
    expect([...first].sort()).toEqual([c1.id, c3.id].sort());
    const rows = await forkEm(db.orm).find(
      Operation,
      { id: { $in: [c1.id, c2.id, c3.id] } },
      { orderBy: { businessKey: 'asc' } },
    );
    expect(rows.map((r) => [r.businessKey, r.state, r.remoteId, r.leasedBy ?? null])).toEqual([
      ['ship:m-1', 'succeeded', '801', null],
      ['ship:m-2', 'succeeded', '802', null],
      ['ship:m-3', 'succeeded', '803', null],
    ]);
    // Once more (a retried transaction, a second answer): nothing is first again.
    const again = await forkEm(db.orm).transactional((tx) =>
      l.succeedMany(tx, [{ claim: c1, remoteId: '801' }]),
    );
    expect(again.size).toBe(0);
    expect((await forkEm(db.orm).transactional((tx) => l.succeedMany(tx, []))).size).toBe(0);
  });

  it('records an effect seen in Smaregi once, however often it is reported', async () => {
    const l = ledger('a');
    const subject = { type: 'order', id: 'o-4' };
    const results = [];
    for (let i = 0; i < 3; i++) {
      results.push(
        await forkEm(db.orm).transactional((tx) =>
          l.recordObserved(tx, tenantId, 'cancelOrder', 'cancel:o-4', subject, '9'),
        ),
      );
    }
    expect(results.map((r) => r.first)).toEqual([true, false, false]);
  });
});
