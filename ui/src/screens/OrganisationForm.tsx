import { useState } from "preact/hooks";
import { api } from "../api";
import { useApp } from "../app-context";
import type { Organisation } from "../bindings/Organisation";
import type { OrganisationInput } from "../bindings/OrganisationInput";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { Modal } from "../components/Modal";
import { useSubmit } from "../form";
import { pick, useI18n } from "../i18n";

const TEXTS = ["name_ja", "name_en", "reading", "website", "email", "phone"] as const;
const FIELDS = [...TEXTS, "kind", "prefecture", "notes"];
type Draft = Record<(typeof TEXTS)[number] | "kind" | "prefecture" | "notes", string>;

function draftOf(o: Organisation | null): Draft {
  return {
    name_ja: o?.name_ja ?? "",
    name_en: o?.name_en ?? "",
    reading: o?.reading ?? "",
    kind: o?.kind ?? "other",
    prefecture: o?.prefecture_code ?? "",
    website: o?.website ?? "",
    email: o?.email ?? "",
    phone: o?.phone ?? "",
    notes: o?.notes ?? "",
  };
}

/** An organisation of the directory (not a member NGO). */
export function OrganisationForm(props: {
  organisation: Organisation | null;
  onSaved: (o: Organisation) => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const [d, setD] = useState<Draft>(draftOf(props.organisation));
  const { errors, general, busy, submit } = useSubmit(FIELDS, { prefecture_code: "prefecture" });
  const set = (k: keyof Draft) => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });

  const save = async (e: Event) => {
    e.preventDefault();
    const input: OrganisationInput = { ...d };
    const o = props.organisation;
    const saved = await submit(() => (o ? api.organisationEdit(o.id, input) : api.organisationAdd(input)));
    if (saved) props.onSaved(saved);
  };
  const text = (k: (typeof TEXTS)[number], type = "text") => (
    <Field label={t(`directory.org_field.${k}`)} error={errors[k]}>
      <input name={k} type={type} value={d[k]} onInput={set(k)} />
    </Field>
  );

  return (
    <Modal
      title={t(props.organisation ? "directory.org_edit" : "directory.org_add")}
      onCancel={props.onCancel}
      testId="org-form"
    >
      <form class="form" onSubmit={save} noValidate>
        <ErrorBanner message={general} />
        <div class="form-grid">
          {text("name_ja")}
          {text("name_en")}
          {text("reading")}
          <Field label={t("directory.org_field.kind")} error={errors.kind}>
            <select name="kind" value={d.kind} onChange={set("kind")}>
              {choices.organisation_kinds.map((c) => (
                <option value={c.code}>{pick(lang, c.ja, c.en)}</option>
              ))}
            </select>
          </Field>
          <Field label={t("directory.org_field.prefecture")} error={errors.prefecture}>
            <select name="prefecture" value={d.prefecture} onChange={set("prefecture")}>
              <option value="">{t("common.none")}</option>
              {choices.prefectures.map((p) => (
                <option value={p.code}>{pick(lang, p.ja, p.en)}</option>
              ))}
            </select>
          </Field>
          {text("website", "url")}
          {text("email", "email")}
          {text("phone", "tel")}
          <Field label={t("directory.org_field.notes")} error={errors.notes} wide>
            <textarea name="notes" value={d.notes} onInput={set("notes")} rows={3} />
          </Field>
        </div>
        <div class="actions">
          <button type="button" onClick={props.onCancel}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="primary" disabled={busy} data-testid="org-save">
            {t("common.save")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
