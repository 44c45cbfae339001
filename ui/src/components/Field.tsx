import type { ComponentChildren } from "preact";

// A labelled form field with the core's validation message under it.
export function Field(props: { label: string; error?: string | null; children: ComponentChildren; wide?: boolean }) {
  return (
    <label class={"field" + (props.wide ? " wide" : "") + (props.error ? " has-error" : "")}>
      <span class="label">{props.label}</span>
      {props.children}
      {props.error ? (
        <span class="field-error" role="alert">
          {props.error}
        </span>
      ) : null}
    </label>
  );
}

export function TextInput(props: {
  name: string;
  value: string;
  onInput: (v: string) => void;
  type?: string;
  placeholder?: string;
}) {
  return (
    <input
      name={props.name}
      type={props.type ?? "text"}
      value={props.value}
      placeholder={props.placeholder}
      onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
    />
  );
}
