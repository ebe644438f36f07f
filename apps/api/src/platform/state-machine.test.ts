import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from './http/errors.js';
import { defineMachine, guard, InvalidTransitionError, runEffects } from './state-machine.js';

type Status = 'draft' | 'active' | 'sold' | 'expired' | 'removed';
type Event = 'publish' | 'unpublish' | 'sell' | 'expire' | 'renew' | 'remove';
type Facts = { complete: boolean };

const incomplete = new AppError('listing_incomplete', 400, 'The listing is not complete enough to publish');

const listing = defineMachine<Status, Event, Facts, 'stampPublished' | 'emit'>({
  entity: 'listing',
  states: ['draft', 'active', 'sold', 'expired', 'removed'],
  initial: 'draft',
  final: ['removed'],
  transitions: [
    {
      from: 'draft',
      event: 'publish',
      to: 'active',
      guard: guard('complete', (facts) => (facts.complete ? null : incomplete)),
      effects: ['stampPublished', 'emit'],
    },
    { from: 'active', event: 'unpublish', to: 'draft', effects: ['emit'] },
    { from: 'active', event: 'sell', to: 'sold', effects: ['emit'] },
    { from: 'active', event: 'expire', to: 'expired', effects: ['emit'] },
    { from: 'expired', event: 'renew', to: 'active', effects: ['stampPublished', 'emit'] },
    { from: ['draft', 'active', 'sold', 'expired'], event: 'remove', to: 'removed', effects: ['emit'] },
  ],
});

describe('defineMachine', () => {
  it('answers the next state and the effects of an allowed transition', () => {
    expect(listing.transition('draft', 'publish', { complete: true })).toEqual({
      from: 'draft',
      event: 'publish',
      to: 'active',
      effects: ['stampPublished', 'emit'],
    });
  });

  it('refuses an illegal transition with invalid_transition 409 naming entity, state and event', () => {
    const error = catchError(() => listing.transition('sold', 'publish', { complete: true }));
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error).toMatchObject({
      code: 'invalid_transition',
      status: 409,
      entity: 'listing',
      state: 'sold',
      event: 'publish',
    });
    expect((error as AppError).detail).toBe('A sold listing cannot take the event publish.');
  });

  it("refuses with the guard's own error when the guard says no", () => {
    expect(catchError(() => listing.transition('draft', 'publish', { complete: false }))).toBe(incomplete);
    expect(listing.attempt('draft', 'publish', { complete: false })).toEqual({
      ok: false,
      error: incomplete,
    });
  });

  it('lets a module keep its own refusal wording', () => {
    const custom = defineMachine<'a' | 'b', 'go'>({
      entity: 'thing',
      states: ['a', 'b'],
      initial: 'a',
      transitions: [{ from: 'a', event: 'go', to: 'b' }],
      invalid: ({ state, to }) =>
        new AppError('invalid_transition', 409, 'No', `A ${state} thing cannot become ${to}.`),
    });
    expect(catchError(() => custom.transition('b', 'go'))).toMatchObject({
      detail: 'A b thing cannot become b.',
    });
  });

  it('tries guarded rows in order and takes the first that applies', () => {
    type Bid = { amount: number; reserve: number };
    const auction = defineMachine<'open' | 'won' | 'unsold', 'close', Bid>({
      entity: 'auction',
      states: ['open', 'won', 'unsold'],
      initial: 'open',
      final: ['won', 'unsold'],
      transitions: [
        {
          from: 'open',
          event: 'close',
          to: 'won',
          guard: guard('reserve met', (b) => (b.amount >= b.reserve ? null : incomplete)),
        },
        { from: 'open', event: 'close', to: 'unsold' },
      ],
    });
    expect(auction.transition('open', 'close', { amount: 10, reserve: 5 }).to).toBe('won');
    expect(auction.transition('open', 'close', { amount: 1, reserve: 5 }).to).toBe('unsold');
  });

  it('answers which events a state offers and which events join two states', () => {
    expect(listing.eventsFrom('active').sort()).toEqual(['expire', 'remove', 'sell', 'unpublish']);
    expect(listing.eventsFrom('removed')).toEqual([]);
    expect(listing.eventsBetween('expired', 'active')).toEqual(['renew']);
    expect(listing.eventsBetween('sold', 'active')).toEqual([]);
    expect(listing.accepts('sold', 'remove')).toBe(true);
    expect(listing.accepts('removed', 'remove')).toBe(false);
  });

  it('refuses a table that names an undeclared state, leaves a final state, or hides a row', () => {
    expect(() =>
      defineMachine<'a' | 'b', 'go'>({
        entity: 'x',
        states: ['a'],
        initial: 'a',
        transitions: [{ from: 'a', event: 'go', to: 'b' }],
      }),
    ).toThrow(/undeclared state b/);
    expect(() =>
      defineMachine<'a' | 'b', 'go'>({
        entity: 'x',
        states: ['a', 'b'],
        initial: 'a',
        final: ['b'],
        transitions: [{ from: 'b', event: 'go', to: 'a' }],
      }),
    ).toThrow(/final state b has a way out/);
    expect(() =>
      defineMachine<'a' | 'b', 'go'>({
        entity: 'x',
        states: ['a', 'b'],
        initial: 'a',
        transitions: [
          { from: 'a', event: 'go', to: 'b' },
          { from: 'a', event: 'go', to: 'a' },
        ],
      }),
    ).toThrow(/can never apply/);
  });

  it('prints the table as a Mermaid state diagram', () => {
    expect(listing.toMermaid()).toBe(
      [
        'stateDiagram-v2',
        '  [*] --> draft',
        '  draft --> active: publish [complete]',
        '  active --> draft: unpublish',
        '  active --> sold: sell',
        '  active --> expired: expire',
        '  expired --> active: renew',
        '  draft --> removed: remove',
        '  active --> removed: remove',
        '  sold --> removed: remove',
        '  expired --> removed: remove',
        '  removed --> [*]',
      ].join('\n'),
    );
  });

  it('runs the effects in table order with the handlers the service gives', async () => {
    const ran: string[] = [];
    const { effects } = listing.transition('expired', 'renew', { complete: true });
    await runEffects(
      effects,
      {
        stampPublished: (id: string) => void ran.push(`stamp ${id}`),
        emit: async (id) => void ran.push(`emit ${id}`),
      },
      'L1',
    );
    expect(ran).toEqual(['stamp L1', 'emit L1']);
  });
});

describe('defineMachine against a model (property)', () => {
  const STATES = ['s0', 's1', 's2', 's3'] as const;
  const EVENTS = ['e0', 'e1', 'e2'] as const;
  type S = (typeof STATES)[number];
  type E = (typeof EVENTS)[number];
  // A random table without final states or hidden rows: at most one row per (state, event),
  // guarded by a flag the context carries, so the model is a plain lookup.
  const table = fc
    .uniqueArray(
      fc.record({
        from: fc.constantFrom(...STATES),
        event: fc.constantFrom(...EVENTS),
        to: fc.constantFrom(...STATES),
        guarded: fc.boolean(),
      }),
      { selector: (row) => `${row.from}/${row.event}`, maxLength: 12 },
    )
    .map((rows) => rows);
  const steps = fc.array(fc.record({ event: fc.constantFrom(...EVENTS), allow: fc.boolean() }), {
    maxLength: 30,
  });
  const blocked = new AppError('blocked', 422, 'Blocked');

  it('follows the model on any walk: the same states, the same refusals, and a refusal changes nothing', () => {
    fc.assert(
      fc.property(table, steps, (rows, walk) => {
        const machine = defineMachine<S, E, { allow: boolean }>({
          entity: 'thing',
          states: STATES,
          initial: 's0',
          transitions: rows.map((row) => ({
            from: row.from,
            event: row.event,
            to: row.to,
            ...(row.guarded
              ? { guard: guard<{ allow: boolean }>('allow', (c) => (c.allow ? null : blocked)) }
              : {}),
          })),
        });
        let state: S = 's0';
        for (const step of walk) {
          const row = rows.find((r) => r.from === state && r.event === step.event);
          const result = machine.attempt(state, step.event, { allow: step.allow });
          if (!row) {
            expect(result).toMatchObject({ ok: false, error: { code: 'invalid_transition', status: 409 } });
          } else if (row.guarded && !step.allow) {
            expect(result).toEqual({ ok: false, error: blocked });
          } else {
            expect(result).toMatchObject({ ok: true, from: state, to: row.to });
            state = row.to;
          }
        }
      }),
    );
  });

  it('draws exactly one diagram edge per (state, row)', () => {
    fc.assert(
      fc.property(table, (rows) => {
        const machine = defineMachine<S, E>({
          entity: 'thing',
          states: STATES,
          initial: 's0',
          transitions: rows,
        });
        const edges = machine
          .toMermaid()
          .split('\n')
          .filter((line) => line.includes(': '));
        expect(edges.sort()).toEqual(rows.map((r) => `  ${r.from} --> ${r.to}: ${r.event}`).sort());
      }),
    );
  });
});

function catchError(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
