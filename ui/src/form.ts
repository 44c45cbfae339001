import { useState } from "preact/hooks";
import { toFailure } from "./api";

/** Submitting a form to the core: each field problem the core reports (it
 * reports them all at once) is shown under its field, saying why (aliases
 * map core field names onto the form's inputs); any other failure, or a
 * problem of a field the form lacks, above the form. Nothing is saved unless the core says so. */
export function useSubmit(fields: string[], aliases: Record<string, string> = {}) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit<T>(action: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setErrors({});
    setGeneral(null);
    try {
      return await action();
    } catch (e) {
      const f = toFailure(e);
      const problems = f.problems.length > 0 ? f.problems : f.field ? [{ field: f.field, message: f.message }] : [];
      const byField: Record<string, string> = {};
      const elsewhere: string[] = [];
      for (const p of problems) {
        const target = aliases[p.field] ?? p.field;
        if (fields.includes(target)) byField[target] = byField[target] ? `${byField[target]}; ${p.message}` : p.message;
        else elsewhere.push(p.message);
      }
      setErrors(byField);
      if (problems.length === 0) setGeneral(f.message);
      else if (elsewhere.length > 0) setGeneral(elsewhere.join("\n"));
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { errors, general, busy, submit, setGeneral };
}
