import { useState } from "preact/hooks";
import { api } from "../api";
import { useApp, useRights } from "../app-context";
import type { Office } from "../bindings/Office";
import type { OfficeInput } from "../bindings/OfficeInput";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { useSubmit } from "../form";
import { pick, useI18n } from "../i18n";

const FIELDS = ["code", "name_ja", "name_en", "prefecture", "locality_ja", "locality_en", "number_prefix"] as const;
type Draft = Record<(typeof FIELDS)[number], string>;
const EMPTY: Draft = {
  code: "",
  name_ja: "",
  name_en: "",
  prefecture: "",
  locality_ja: "",
  locality_en: "",
  number_prefix: "",
};

/** The network's offices, and for HQ a form that adds one (which HQ then
 * invites). Codes and member number prefixes are checked by the core. */
export function OfficesCard(props: { offices: Office[]; onAdded: (o: Office) => void }) {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const guard = useRights()("offices");
  const [d, setD] = useState<Draft>(EMPTY);
  const { errors, general, busy, submit } = useSubmit([...FIELDS], { office: "code" });
  const set = (k: keyof Draft) => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });

  const add = async (e: Event) => {
    e.preventDefault();
    const input: OfficeInput = {
      code: d.code,
      name_ja: d.name_ja,
      name_en: d.name_en,
      prefecture: d.prefecture,
      locality_ja: d.locality_ja,
      locality_en: d.locality_en,
      number_prefix: d.number_prefix,
    };
    const added = await submit(() => api.officeAdd(input));
    if (added) {
      setD(EMPTY);
      props.onAdded(added);
    }
  };

  const text = (k: keyof Draft) => (
    <Field label={t(`office_admin.field.${k}`)} error={errors[k]}>
      <input name={`office-${k}`} value={d[k]} onInput={set(k)} disabled={guard.disabled} />
    </Field>
  );

  return (
    <fieldset class="card" data-testid="offices">
      <legend>{t("office_admin.title")}</legend>
      <table class="table">
        <thead>
          <tr>
            <th>{t("office_admin.field.code")}</th>
            <th>{t("office_admin.field.name")}</th>
            <th>{t("office_admin.field.prefecture")}</th>
            <th>{t("office_admin.field.number_prefix")}</th>
          </tr>
        </thead>
        <tbody>
          {props.offices.map((o) => (
            <tr data-office={o.code}>
              <td class="mono">{o.code}</td>
              <td>{pick(lang, o.name_ja, o.name_en)}</td>
              <td>
                {pick(
                  lang,
                  choices.prefectures.find((p) => p.code === o.prefecture_code)?.ja ?? o.prefecture_code,
                  choices.prefectures.find((p) => p.code === o.prefecture_code)?.en ?? o.prefecture_code,
                )}
              </td>
              <td class="mono">{o.number_prefix}-0001</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="form" onSubmit={add} noValidate title={guard.title}>
        <h2>{t("office_admin.add")}</h2>
        <p class="hint">{t("office_admin.add_hint")}</p>
        <ErrorBanner message={general} />
        <div class="form-grid">
          {text("code")}
          {text("name_ja")}
          {text("name_en")}
          <Field label={t("office_admin.field.prefecture")} error={errors.prefecture}>
            <select
              name="office-prefecture"
              value={d.prefecture}
              onChange={set("prefecture")}
              disabled={guard.disabled}
            >
              <option value="">—</option>
              {choices.prefectures.map((p) => (
                <option value={p.code}>{pick(lang, p.ja, p.en)}</option>
              ))}
            </select>
          </Field>
          {text("locality_ja")}
          {text("locality_en")}
          {text("number_prefix")}
        </div>
        <button type="submit" disabled={guard.disabled || busy} data-testid="office-add">
          {t("office_admin.add")}
        </button>
      </form>
    </fieldset>
  );
}
