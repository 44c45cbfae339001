import { useState } from "preact/hooks";
import { api } from "../api";
import type { MailingList } from "../bindings/MailingList";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { Modal } from "../components/Modal";
import { useSubmit } from "../form";
import { useI18n } from "../i18n";

const FIELDS = ["name_ja", "name_en", "description"] as const;
type Draft = Record<(typeof FIELDS)[number], string>;

export function MailingListForm(props: {
  list: MailingList | null;
  onSaved: (l: MailingList) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const l = props.list;
  const [d, setD] = useState<Draft>({
    name_ja: l?.name_ja ?? "",
    name_en: l?.name_en ?? "",
    description: l?.description ?? "",
  });
  const { errors, general, busy, submit } = useSubmit([...FIELDS]);
  const set = (k: keyof Draft) => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });
  const save = async (e: Event) => {
    e.preventDefault();
    const saved = await submit(() => (l ? api.listEdit(l.id, d) : api.listAdd(d)));
    if (saved) props.onSaved(saved);
  };
  return (
    <Modal title={t(l ? "mailing.edit" : "mailing.add")} onCancel={props.onCancel} testId="list-form">
      <form class="form" onSubmit={save} noValidate>
        <ErrorBanner message={general} />
        <div class="form-grid">
          <Field label={t("mailing.field.name_ja")} error={errors.name_ja}>
            <input name="name_ja" value={d.name_ja} onInput={set("name_ja")} />
          </Field>
          <Field label={t("mailing.field.name_en")} error={errors.name_en}>
            <input name="name_en" value={d.name_en} onInput={set("name_en")} />
          </Field>
          <Field label={t("mailing.field.description")} error={errors.description} wide>
            <textarea name="description" value={d.description} onInput={set("description")} rows={2} />
          </Field>
        </div>
        <div class="actions">
          <button type="button" onClick={props.onCancel}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="primary" disabled={busy} data-testid="list-save">
            {t("common.save")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
