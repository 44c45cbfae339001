// Type-ahead over a core search. Each keystroke restarts a short wait (so a
// burst of typing asks once), and an answer is kept only if it answers the
// text typed now: a slow answer to an older text never replaces a newer one.
// `settled` says the candidates answer the current text, so an Enter or a
// "nothing matches" action never acts on the rows of a text no longer there.

/** Long enough to skip the keystrokes of a burst, short enough not to be felt. */
export const TYPE_AHEAD_DELAY_MS = 120;

export interface TypeAheadState<T> {
  typed: string;
  candidates: T[];
  settled: boolean;
}

export interface TypeAhead {
  /** The input's text changed. */
  input(typed: string): void;
  /** Enter on the `active` candidate: picked now if the candidates answer the
   * current text, else as soon as they do (and not at all if none match). */
  enter(active: number): void;
  /** Forgets the text and any answer still on its way. */
  clear(): void;
  /** Stops for good: nothing is asked, picked or reported any more. */
  dispose(): void;
}

export function typeAhead<T>(
  search: (typed: string) => Promise<T[]>,
  onState: (s: TypeAheadState<T>) => void,
  onPick: (c: T) => void,
  onError: (e: unknown) => void = () => undefined,
  delayMs = TYPE_AHEAD_DELAY_MS,
): TypeAhead {
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let state: TypeAheadState<T> = { typed: "", candidates: [], settled: true };
  let pending: number | null = null;
  const set = (s: TypeAheadState<T>) => {
    state = s;
    onState(s);
  };
  return {
    input(typed) {
      const mine = ++seq;
      clearTimeout(timer);
      pending = null;
      if (!typed.trim()) {
        set({ typed, candidates: [], settled: true });
        return;
      }
      // The previous rows stay in view while the new ones are asked for.
      set({ typed, candidates: state.candidates, settled: false });
      timer = setTimeout(() => {
        search(typed).then(
          (rows) => {
            if (mine !== seq) return;
            set({ typed, candidates: rows, settled: true });
            if (pending !== null) {
              const at = Math.min(pending, rows.length - 1);
              pending = null;
              if (at >= 0) onPick(rows[at]);
            }
          },
          (e) => {
            if (mine !== seq) return;
            pending = null;
            onError(e);
          },
        );
      }, delayMs);
    },
    enter(active) {
      if (!state.typed.trim()) return;
      if (!state.settled) {
        pending = active;
        return;
      }
      const c = state.candidates[active];
      if (c !== undefined) onPick(c);
    },
    clear() {
      seq++;
      clearTimeout(timer);
      pending = null;
      set({ typed: "", candidates: [], settled: true });
    },
    dispose() {
      seq++;
      clearTimeout(timer);
      pending = null;
    },
  };
}
