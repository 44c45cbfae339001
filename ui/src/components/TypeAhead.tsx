import type { ComponentChildren } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { toFailure } from "../api";
import { type TypeAheadState, typeAhead } from "../typeahead";

// An input that offers candidates from a core search as the person types.
// Arrow keys move, Enter or a click picks (the input then empties, ready for
// the next one), Escape empties it. `none` is shown once the core has
// answered that nothing matches the text typed now.
export function TypeAhead<T>(props: {
  name: string;
  label: string;
  search: (typed: string) => Promise<T[]>;
  keyOf: (c: T) => string;
  render: (c: T) => ComponentChildren;
  /** Resolves true when the pick took effect (the text is then cleared). */
  onPick: (c: T) => Promise<boolean>;
  none?: (typed: string, done: () => void) => ComponentChildren;
  onError: (message: string) => void;
  disabled?: boolean;
  title?: string;
}) {
  const [s, setS] = useState<TypeAheadState<T>>({ typed: "", candidates: [], settled: true });
  const [active, setActive] = useState(0);
  // The controller outlives renders; it reaches the latest props through this.
  const latest = useRef(props);
  latest.current = props;
  const input = useRef<HTMLInputElement>(null);

  const ta = useMemo(
    () =>
      typeAhead<T>(
        (typed) => latest.current.search(typed),
        (next) => {
          setS(next);
          setActive(0);
        },
        (c) => void pick(c),
        (e) => latest.current.onError(toFailure(e).message),
      ),
    [],
  );
  useEffect(() => () => ta.dispose(), []);

  const done = () => {
    ta.clear();
    input.current?.focus();
  };
  async function pick(c: T) {
    if (await latest.current.onPick(c)) done();
  }

  const onKeyDown = (e: KeyboardEvent) => {
    const n = s.candidates.length;
    if (e.key === "ArrowDown" && n > 0) {
      e.preventDefault();
      setActive((active + 1) % n);
    } else if (e.key === "ArrowUp" && n > 0) {
      e.preventDefault();
      setActive((active - 1 + n) % n);
    } else if (e.key === "Enter") {
      // Never submits a surrounding form.
      e.preventDefault();
      ta.enter(active);
    } else if (e.key === "Escape" && s.typed) {
      // Empties the input only; a second Escape reaches the dialog.
      e.preventDefault();
      e.stopPropagation();
      ta.clear();
    }
  };

  const listId = `${props.name}-candidates`;
  const open = s.typed.trim() !== "" && s.candidates.length > 0;
  const nothing = s.typed.trim() !== "" && s.settled && s.candidates.length === 0;
  return (
    <div class="typeahead">
      <input
        ref={input}
        name={props.name}
        type="search"
        autocomplete="off"
        role="combobox"
        aria-label={props.label}
        placeholder={props.label}
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        value={s.typed}
        disabled={props.disabled}
        title={props.title}
        onInput={(e) => ta.input((e.target as HTMLInputElement).value)}
        onKeyDown={onKeyDown}
      />
      {open && (
        <ul class={"typeahead-list" + (s.settled ? "" : " stale")} role="listbox" id={listId} data-testid={listId}>
          {s.candidates.map((c, i) => (
            <li
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              class={i === active ? "active" : undefined}
              data-candidate={props.keyOf(c)}
            >
              <button
                type="button"
                tabIndex={-1}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => void pick(c)}
              >
                {props.render(c)}
              </button>
            </li>
          ))}
        </ul>
      )}
      {nothing && props.none && <div class="typeahead-none">{props.none(s.typed, done)}</div>}
    </div>
  );
}
