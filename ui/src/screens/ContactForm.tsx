import { useState } from "preact/hooks";
import { api } from "../api";
import { useApp } from "../app-context";
import type { AttendeeCandidate } from "../bindings/AttendeeCandidate";
import type { Contact } from "../bindings/Contact";
import type { ContactInput } from "../bindings/ContactInput";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { Modal } from "../components/Modal";
import { TypeAhead } from "../components/TypeAhead";
import { useSubmit } from "../form";
import { pick, useI18n } from "../i18n";

const TEXTS = ["name_ja", "name_en", "reading", "role", "email", "phone"] as const;
const FIELDS = [...TEXTS, "affiliation", "prefecture", "notes"];
type Draft = Record<(typeof TEXTS)[number] | "prefecture" | "notes", string>;

/** Where the contact works: a member NGO or an organisation, or neither. */
interface Affiliation {
  kind: "member" | "organisation";
  id: string;
  name: string;
}

function affiliationOf(c: Contact | null): Affiliation | null {
  if (c?.member_id) return { kind: "member", id: c.member_id, name: c.affiliation_ja ?? "" };
  if (c?.organisation_id) return { kind: "organisation", id: c.organisation_id, name: c.affiliation_ja ?? "" };
  return null;
}

/** The affiliation as the core takes it: naming one clears the other;
 * naming neither on an edit clears both. */
function affiliationInput(a: Affiliation | null, editing: boolean): Pick<ContactInput, "member" | "organisation"> {
  if (a) return a.kind === "member" ? { member: a.id } : { organisation: a.id };
  return editing ? { member: "", organisation: "" } : {};
}

export function ContactForm(props: { contact: Contact | null; onSaved: (c: Contact) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const c = props.contact;
  const [d, setD] = useState<Draft>({
    name_ja: c?.name_ja ?? "",
    name_en: c?.name_en ?? "",
    reading: c?.reading ?? "",
    role: c?.role ?? "",
    email: c?.email ?? "",
    phone: c?.phone ?? "",
    prefecture: c?.prefecture_code ?? "",
    notes: c?.notes ?? "",
  });
  const [affiliation, setAffiliation] = useState<Affiliation | null>(affiliationOf(c));
  const [pickError, setPickError] = useState<string | null>(null);
  const { errors, general, busy, submit } = useSubmit(FIELDS, {
    member: "affiliation",
    organisation: "affiliation",
    prefecture_code: "prefecture",
  });
  const set = (k: keyof Draft) => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });

  const save = async (e: Event) => {
    e.preventDefault();
    const input: ContactInput = { ...d, ...affiliationInput(affiliation, c !== null) };
    const saved = await submit(() => (c ? api.contactEdit(c.id, input) : api.contactAdd(input)));
    if (saved) props.onSaved(saved);
  };
  const text = (k: (typeof TEXTS)[number], type = "text") => (
    <Field label={t(`directory.contact_field.${k}`)} error={errors[k]}>
      <input name={k} type={type} value={d[k]} onInput={set(k)} />
    </Field>
  );

  return (
    <Modal
      title={t(c ? "directory.contact_edit" : "directory.contact_add")}
      onCancel={props.onCancel}
      testId="contact-form"
    >
      <form class="form" onSubmit={save} noValidate>
        <ErrorBanner message={general} />
        <div class="form-grid">
          {text("name_ja")}
          {text("name_en")}
          {text("reading")}
          {text("role")}
          <Field label={t("directory.contact_field.affiliation")} error={pickError ?? errors.affiliation} wide>
            {affiliation ? (
              <span class="picked" data-testid="contact-affiliation">
                <span class={`kind kind-${affiliation.kind}`}>
                  {t(`attendance.kind.${affiliation.kind === "member" ? "member" : "other"}`)}
                </span>
                {affiliation.name}
                <button type="button" class="link" onClick={() => setAffiliation(null)}>
                  {t("directory.change")}
                </button>
              </span>
            ) : (
              <TypeAhead<AttendeeCandidate>
                name="affiliation"
                label={t("directory.affiliation_search")}
                search={(typed) => api.attendeeSearch(typed, 8)}
                keyOf={(x) => x.id}
                onError={setPickError}
                onPick={async (x) => {
                  setPickError(null);
                  setAffiliation({
                    kind: x.kind === "member" ? "member" : "organisation",
                    id: x.id,
                    name: pick(lang, x.name_ja, x.name_en),
                  });
                  return true;
                }}
                render={(x) => (
                  <span class="candidate">
                    <span class={`kind kind-${x.kind}`}>
                      {t(`attendance.kind.${x.kind === "member" ? "member" : "other"}`)}
                    </span>
                    <span class="mono no">{x.member_no ?? ""}</span>
                    <span class="name-ja">{x.name_ja}</span>
                    <span class="name-en">{x.name_en ?? ""}</span>
                  </span>
                )}
              />
            )}
          </Field>
          {text("email", "email")}
          {text("phone", "tel")}
          <Field label={t("directory.contact_field.prefecture")} error={errors.prefecture}>
            <select name="prefecture" value={d.prefecture} onChange={set("prefecture")}>
              <option value="">{t("common.none")}</option>
              {choices.prefectures.map((p) => (
                <option value={p.code}>{pick(lang, p.ja, p.en)}</option>
              ))}
            </select>
          </Field>
          <Field label={t("directory.contact_field.notes")} error={errors.notes} wide>
            <textarea name="notes" value={d.notes} onInput={set("notes")} rows={2} />
          </Field>
        </div>
        <div class="actions">
          <button type="button" onClick={props.onCancel}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="primary" disabled={busy} data-testid="contact-save">
            {t("common.save")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
