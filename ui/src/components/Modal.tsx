import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

// A modal form: focus starts on its first field, Escape cancels, Enter in a
// field submits (it is a real <form>), Tab stays in document order.
export function Modal(props: { title: string; onCancel: () => void; children: ComponentChildren; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const first = box.current?.querySelector<HTMLElement>("input, select, textarea, button");
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        props.onCancel();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <div class="overlay">
      <div class="modal" role="dialog" aria-modal="true" aria-label={props.title} ref={box} data-testid={props.testId}>
        <h2>{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}
