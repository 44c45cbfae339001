import { useState } from "preact/hooks";
import { api } from "../api";
import { useApp } from "../app-context";
import type { Member } from "../bindings/Member";
import type { MemberInput } from "../bindings/MemberInput";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { Modal } from "../components/Modal";
import { useSubmit } from "../form";
import { pick, useI18n } from "../i18n";

const AFFECTED = ["03", "04", "07"];
const TEXT_FIELDS = [
  "name_ja",
  "name_en",
  "reading",
  "contact_person",
  "email",
  "phone",
  "address",
  "joined_on",
  "left_on",
] as const;
const FIELDS = [...TEXT_FIELDS, "legal_form", "prefectures", "status", "notes", "donor_fund_partner"];

type Draft = Record<(typeof TEXT_FIELDS)[number] | "legal_form" | "status" | "notes" | "other_prefectures", string> & {
  affected: string[];
  donor_fund_partner: boolean;
};

function draftOf(m: Member | null): Draft {
  const prefs = m?.prefectures ?? [];
  return {
    name_ja: m?.name_ja ?? "",
    name_en: m?.name_en ?? "",
    reading: m?.reading ?? "",
    contact_person: m?.contact_person ?? "",
    email: m?.email ?? "",
    phone: m?.phone ?? "",
    address: m?.address ?? "",
    joined_on: m?.joined_on ?? "",
    left_on: m?.left_on ?? "",
    legal_form: m?.legal_form ?? "",
    status: m?.status ?? "active",
    notes: m?.notes ?? "",
    affected: prefs.filter((p) => AFFECTED.includes(p)),
    other_prefectures: prefs.filter((p) => !AFFECTED.includes(p)).join(", "),
    donor_fund_partner: m?.donor_fund_partner ?? false,
  };
}

/** Every field goes to the core as typed; the core validates and answers
 * with the field at fault, shown under it. */
export function MemberForm(props: { member: Member | null; onSaved: (m: Member) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const [d, setD] = useState<Draft>(draftOf(props.member));
  const { errors, general, busy, submit } = useSubmit(FIELDS, { prefecture: "prefectures" });
  const set = (k: keyof Draft) => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });

  const save = async (e: Event) => {
    e.preventDefault();
    const input: MemberInput = {
      name_ja: d.name_ja,
      name_en: d.name_en,
      reading: d.reading,
      contact_person: d.contact_person,
      email: d.email,
      phone: d.phone,
      address: d.address,
      joined_on: d.joined_on,
      left_on: d.left_on,
      legal_form: d.legal_form,
      status: d.status,
      notes: d.notes,
      prefectures: [
        ...d.affected,
        ...d.other_prefectures
          .split(/[,、，]/)
          .map((s) => s.trim())
          .filter(Boolean),
      ],
      donor_fund_partner: d.donor_fund_partner,
    };
    const saved = await submit(() => (props.member ? api.memberEdit(props.member.id, input) : api.memberAdd(input)));
    if (saved) props.onSaved(saved);
  };

  const text = (k: (typeof TEXT_FIELDS)[number], type = "text") => (
    <Field label={t(`members.field.${k}`)} error={errors[k]}>
      <input name={k} type={type} value={d[k]} onInput={set(k)} />
    </Field>
  );

  return (
    <Modal title={t(props.member ? "members.edit" : "members.add")} onCancel={props.onCancel} testId="member-form">
      <form class="form" onSubmit={save} noValidate>
        <ErrorBanner message={general} />
        <div class="form-grid">
          {text("name_ja")}
          {text("name_en")}
          {text("reading")}
          <Field label={t("members.field.legal_form")} error={errors.legal_form}>
            <select name="legal_form" value={d.legal_form} onChange={set("legal_form")}>
              <option value="">{t("common.none")}</option>
              {choices.legal_forms.map((c) => (
                <option value={c.code}>{pick(lang, c.ja, c.en)}</option>
              ))}
            </select>
          </Field>
          {text("contact_person")}
          {text("email", "email")}
          {text("phone", "tel")}
          {text("address")}
          <Field label={t("members.field.prefectures")} error={errors.prefectures} wide>
            <span class="checks">
              {AFFECTED.map((code) => (
                <label class="choice">
                  <input
                    type="checkbox"
                    name={`pref-${code}`}
                    checked={d.affected.includes(code)}
                    onChange={(e) => {
                      const on = (e.target as HTMLInputElement).checked;
                      setD({ ...d, affected: on ? [...d.affected, code] : d.affected.filter((c) => c !== code) });
                    }}
                  />
                  {pick(
                    lang,
                    choices.prefectures.find((p) => p.code === code)?.ja,
                    choices.prefectures.find((p) => p.code === code)?.en,
                  )}
                </label>
              ))}
            </span>
            <input
              name="other_prefectures"
              value={d.other_prefectures}
              onInput={set("other_prefectures")}
              placeholder={t("members.field.other_prefectures")}
              aria-label={t("members.field.other_prefectures")}
            />
          </Field>
          <Field label={t("members.field.status")} error={errors.status}>
            <select name="status" value={d.status} onChange={set("status")}>
              {choices.member_statuses.map((c) => (
                <option value={c.code}>{pick(lang, c.ja, c.en)}</option>
              ))}
            </select>
          </Field>
          {text("joined_on")}
          {text("left_on")}
          <Field label={t("members.field.notes")} error={errors.notes} wide>
            <textarea name="notes" value={d.notes} onInput={set("notes")} rows={3} />
          </Field>
          <label class="choice wide">
            <input
              type="checkbox"
              name="donor_fund_partner"
              checked={d.donor_fund_partner}
              onChange={(e) => setD({ ...d, donor_fund_partner: (e.target as HTMLInputElement).checked })}
            />
            {t("members.field.donor_fund_partner")}
          </label>
        </div>
        <div class="actions">
          <button type="button" onClick={props.onCancel}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="primary" disabled={busy} data-testid="member-save">
            {t("common.save")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
