import { AppError } from './http/errors.js';

/**
 * A transitions table per entity (decision 028). The helper is pure: it answers the next state and
 * the effects to run, and the service runs those effects inside its own transaction. Nothing else
 * changes an entity's status.
 */

/** A guard refuses with an error of its own (`listing_incomplete`), or lets the row apply (null). */
export type Guard<Context> = {
  /** Shown on the diagram: `draft --> active: publish [complete]`. */
  readonly name: string;
  check(context: Context): AppError | null;
};

export function guard<Context>(name: string, check: (context: Context) => AppError | null): Guard<Context> {
  return { name, check };
}

export type TransitionRow<State extends string, Event extends string, Context, Effect extends string> = {
  readonly from: State | readonly State[];
  readonly event: Event;
  readonly to: State;
  readonly guard?: Guard<Context>;
  /** Named, so the service's handler record must cover every one (`runEffects`). */
  readonly effects?: readonly Effect[];
};

export type MachineSpec<State extends string, Event extends string, Context, Effect extends string> = {
  /** The entity's name in errors and diagrams: `listing`, `order`. */
  readonly entity: string;
  readonly states: readonly State[];
  /** Where a new entity starts; drawn as `[*] --> initial`. */
  readonly initial: State;
  /** States with no way out; drawn as `state --> [*]`. Checked: no row may leave them. */
  readonly final?: readonly State[];
  readonly transitions: readonly TransitionRow<State, Event, Context, Effect>[];
  /**
   * The error of a refused (state, event) pair. By default an `invalid_transition` 409; a module
   * that already has its own catalogue entry (listings) passes its factory to keep its wording.
   */
  readonly invalid?: (refusal: { entity: string; state: State; event: Event; to: State | null }) => AppError;
};

export type Transition<State extends string, Event extends string, Effect extends string> = {
  readonly from: State;
  readonly event: Event;
  readonly to: State;
  readonly effects: readonly Effect[];
};

export type Attempt<State extends string, Event extends string, Effect extends string> =
  | ({ ok: true } & Transition<State, Event, Effect>)
  | { ok: false; error: AppError };

/** The default refusal: a 409 naming the entity, the state and the event (`details` for clients). */
export class InvalidTransitionError extends AppError {
  override name = 'InvalidTransitionError';
  constructor(
    readonly entity: string,
    readonly state: string,
    readonly event: string,
  ) {
    super(
      'invalid_transition',
      409,
      'That change is not allowed from the current status',
      `A ${state} ${entity} cannot take the event ${event}.`,
    );
  }
}

export type StateMachine<State extends string, Event extends string, Context, Effect extends string> = {
  readonly entity: string;
  readonly states: readonly State[];
  readonly initial: State;
  readonly transitions: readonly TransitionRow<State, Event, Context, Effect>[];
  /** The next state and the effects to run, or throws (the invalid error, or a guard's own). */
  transition(from: State, event: Event, context: Context): Transition<State, Event, Effect>;
  /** The same answer as a value, for callers that plan many rows (an import) without throwing. */
  attempt(from: State, event: Event, context: Context): Attempt<State, Event, Effect>;
  /** Whether some row for (from, event) exists; guards are not asked. */
  accepts(from: State, event: Event): boolean;
  /** The events a `from` entity may take (ignoring guards): what a client may be offered. */
  eventsFrom(from: State): Event[];
  /** The events that take `from` straight to `to`: an import that names a target status asks this. */
  eventsBetween(from: State, to: State): Event[];
  /** The table as a Mermaid `stateDiagram-v2`, for docs/architecture.md. */
  toMermaid(): string;
};

/**
 * Builds a machine from its table, checking the table itself at start-up: every state named is
 * declared, no final state has a way out, and no (state, event) pair has two unguarded rows
 * (the second would never be reached). Several guarded rows for one pair are tried in order;
 * the first whose guard lets it apply wins, and when every guard refuses, the first refusal is
 * the answer.
 */
export function defineMachine<
  State extends string,
  Event extends string,
  Context = void,
  Effect extends string = never,
>(spec: MachineSpec<State, Event, Context, Effect>): StateMachine<State, Event, Context, Effect> {
  const states = new Set<State>(spec.states);
  const final = new Set<State>(spec.final ?? []);
  const rows = new Map<string, TransitionRow<State, Event, Context, Effect>[]>();
  const key = (state: State, event: Event) => `${state}\u0000${event}`;
  const problem = (message: string) => new Error(`state machine ${spec.entity}: ${message}`);

  if (!states.has(spec.initial)) throw problem(`initial state ${spec.initial} is not declared`);
  for (const state of final) if (!states.has(state)) throw problem(`final state ${state} is not declared`);
  for (const row of spec.transitions) {
    if (!states.has(row.to)) throw problem(`${row.event} leads to undeclared state ${row.to}`);
    for (const from of fromStates(row)) {
      if (!states.has(from)) throw problem(`${row.event} leaves undeclared state ${from}`);
      if (final.has(from)) throw problem(`final state ${from} has a way out (${row.event})`);
      const list = rows.get(key(from, row.event)) ?? [];
      if (list.some((earlier) => !earlier.guard))
        throw problem(`${from} + ${row.event} has a row after an unguarded one: it can never apply`);
      list.push(row);
      rows.set(key(from, row.event), list);
    }
  }

  const refuse = (state: State, event: Event): AppError => {
    const targets = new Set(spec.transitions.filter((row) => row.event === event).map((row) => row.to));
    const [only] = targets;
    const to = targets.size === 1 && only !== undefined ? only : null;
    return (
      spec.invalid?.({ entity: spec.entity, state, event, to }) ??
      new InvalidTransitionError(spec.entity, state, event)
    );
  };

  const attempt = (from: State, event: Event, context: Context): Attempt<State, Event, Effect> => {
    const candidates = rows.get(key(from, event));
    if (!candidates) return { ok: false, error: refuse(from, event) };
    let firstRefusal: AppError | null = null;
    for (const row of candidates) {
      const refusal = row.guard?.check(context) ?? null;
      if (!refusal) return { ok: true, from, event, to: row.to, effects: row.effects ?? [] };
      firstRefusal ??= refusal;
    }
    return { ok: false, error: firstRefusal ?? refuse(from, event) };
  };

  return {
    entity: spec.entity,
    states: spec.states,
    initial: spec.initial,
    transitions: spec.transitions,
    attempt,
    transition(from, event, context) {
      const result = attempt(from, event, context);
      if (!result.ok) throw result.error;
      return { from: result.from, event: result.event, to: result.to, effects: result.effects };
    },
    accepts: (from, event) => rows.has(key(from, event)),
    eventsFrom: (from) =>
      unique(spec.transitions.filter((row) => fromStates(row).includes(from)).map((row) => row.event)),
    eventsBetween: (from, to) =>
      unique(
        spec.transitions
          .filter((row) => row.to === to && fromStates(row).includes(from))
          .map((row) => row.event),
      ),
    toMermaid: () => mermaidOf(spec),
  };
}

/**
 * Runs a transition's effects in table order with the service's handlers. The record must name
 * every effect the machine declares, so adding an effect to the table without its code fails to
 * compile rather than being skipped at run time.
 */
export async function runEffects<Effect extends string, Argument>(
  effects: readonly Effect[],
  handlers: { readonly [name in Effect]: (argument: Argument) => Promise<void> | void },
  argument: Argument,
): Promise<void> {
  for (const effect of effects) await handlers[effect](argument);
}

function fromStates<State extends string>(row: {
  readonly from: State | readonly State[];
}): readonly State[] {
  return typeof row.from === 'string' ? [row.from as State] : (row.from as readonly State[]);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function mermaidOf<State extends string, Event extends string, Context, Effect extends string>(
  spec: MachineSpec<State, Event, Context, Effect>,
): string {
  const lines = ['stateDiagram-v2', `  [*] --> ${spec.initial}`];
  for (const row of spec.transitions) {
    const label = row.guard ? `${row.event} [${row.guard.name}]` : row.event;
    for (const from of fromStates(row)) lines.push(`  ${from} --> ${row.to}: ${label}`);
  }
  for (const state of spec.final ?? []) lines.push(`  ${state} --> [*]`);
  return lines.join('\n');
}
