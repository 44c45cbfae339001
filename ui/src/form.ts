import { useState } from "preact/hooks";
import { toFailure } from "./api";

/** Submitting a form to the core: a failure with a `field` is shown under
 * that field (aliases map core field names onto the form's inputs), any
 * other failure (or one for a field the form lacks) above the form. Nothing is saved unless the core says so. */
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
      const target = f.field ? (aliases[f.field] ?? f.field) : null;
      if (target && fields.includes(target)) setErrors({ [target]: f.message });
      else setGeneral(f.message);
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { errors, general, busy, submit, setGeneral };
}
