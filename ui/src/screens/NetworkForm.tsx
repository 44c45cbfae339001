import { useState } from "preact/hooks";
import { api } from "../api";
import type { NetworkMembership } from "../bindings/NetworkMembership";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { Modal } from "../components/Modal";
import { useSubmit } from "../form";
import { useI18n } from "../i18n";

const TEXTS = ["network_ja", "network_en", "role_ja", "role_en", "started_on", "ended_on"] as const;
const FIELDS = [...TEXTS, "notes"];
type Draft = Record<(typeof TEXTS)[number] | "notes", string>;

/** A network JANIC sits in (e.g. JCN's steering committee), with its role and dates. */
export function NetworkForm(props: {
  network: NetworkMembership | null;
  onSaved: (n: NetworkMembership) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const n = props.network;
  const [d, setD] = useState<Draft>({
    network_ja: n?.network_ja ?? "",
    network_en: n?.network_en ?? "",
    role_ja: n?.role_ja ?? "",
    role_en: n?.role_en ?? "",
    started_on: n?.started_on ?? "",
    ended_on: n?.ended_on ?? "",
    notes: n?.notes ?? "",
  });
  const { errors, general, busy, submit } = useSubmit(FIELDS);
  const set = (k: keyof Draft) => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });
  const save = async (e: Event) => {
    e.preventDefault();
    const saved = await submit(() => (n ? api.networkEdit(n.id, d) : api.networkAdd(d)));
    if (saved) props.onSaved(saved);
  };
  const text = (k: (typeof TEXTS)[number]) => (
    <Field label={t(`advocacy.net_field.${k}`)} error={errors[k]}>
      <input name={k} value={d[k]} onInput={set(k)} placeholder={k.endsWith("_on") ? "YYYY-MM-DD" : undefined} />
    </Field>
  );
  return (
    <Modal title={t(n ? "advocacy.net_edit" : "advocacy.net_add")} onCancel={props.onCancel} testId="network-form">
      <form class="form" onSubmit={save} noValidate>
        <ErrorBanner message={general} />
        <div class="form-grid">
          {text("network_ja")}
          {text("network_en")}
          {text("role_ja")}
          {text("role_en")}
          {text("started_on")}
          {text("ended_on")}
          <Field label={t("advocacy.net_field.notes")} error={errors.notes} wide>
            <textarea name="notes" value={d.notes} onInput={set("notes")} rows={2} />
          </Field>
        </div>
        <div class="actions">
          <button type="button" onClick={props.onCancel}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="primary" disabled={busy} data-testid="network-save">
            {t("common.save")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
