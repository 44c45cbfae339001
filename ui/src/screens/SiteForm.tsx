import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { useApp } from "../app-context";
import type { Member } from "../bindings/Member";
import type { Municipality } from "../bindings/Municipality";
import type { Site } from "../bindings/Site";
import type { SiteInput } from "../bindings/SiteInput";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { Modal } from "../components/Modal";
import { useSubmit } from "../form";
import { pick, useI18n } from "../i18n";

const TEXT_FIELDS = [
  "name",
  "name_en",
  "municipality",
  "address",
  "latitude",
  "longitude",
  "opened_on",
  "closed_on",
] as const;
const FIELDS = [...TEXT_FIELDS, "member", "prefecture", "sectors", "status", "notes"];
type Draft = Record<(typeof TEXT_FIELDS)[number] | "member" | "prefecture" | "status" | "notes", string> & {
  sectors: string[];
};

function draftOf(s: Site | null, member: Member | null, prefecture: string): Draft {
  return {
    member: s?.member_id ?? member?.id ?? "",
    prefecture: s?.prefecture_code ?? prefecture,
    name: s?.name ?? "",
    name_en: s?.name_en ?? "",
    municipality: s?.municipality ?? "",
    address: s?.address ?? "",
    latitude: s?.latitude != null ? String(s.latitude) : "",
    longitude: s?.longitude != null ? String(s.longitude) : "",
    opened_on: s?.opened_on ?? "",
    closed_on: s?.closed_on ?? "",
    status: s?.status ?? "active",
    notes: s?.notes ?? "",
    sectors: s?.sectors ?? [],
  };
}

/** Create or edit a site. The member is fixed when opened from a member's
 * page; otherwise chosen from a search through the core. */
export function SiteForm(props: {
  site: Site | null;
  member: Member | null;
  prefecture?: string;
  onSaved: (s: Site) => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const [d, setD] = useState<Draft>(draftOf(props.site, props.member, props.prefecture ?? ""));
  const [memberSearch, setMemberSearch] = useState("");
  const [memberHits, setMemberHits] = useState<Member[]>([]);
  // The prefecture's JIS X 0402 municipalities, offered as the person types;
  // anything else only when they say it is not in the list.
  const [municipalities, setMunicipalities] = useState<Municipality[]>([]);
  const [municipalityFree, setMunicipalityFree] = useState(false);
  useEffect(() => {
    if (!d.prefecture) return setMunicipalities([]);
    api.municipalityList(d.prefecture).then(setMunicipalities, () => setMunicipalities([]));
  }, [d.prefecture]);
  const { errors, general, busy, submit } = useSubmit(FIELDS, { sector: "sectors" });
  const set = (k: keyof Draft) => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });
  const fixedMember = props.member ?? null;
  const memberName = fixedMember
    ? pick(lang, fixedMember.name_ja, fixedMember.name_en)
    : props.site
      ? pick(lang, props.site.member_name_ja, props.site.member_name_en)
      : "";

  const findMembers = async (q: string) => {
    setMemberSearch(q);
    if (!q.trim()) return setMemberHits([]);
    try {
      setMemberHits((await api.memberList({ search: q, limit: 8 })).rows);
    } catch {
      setMemberHits([]);
    }
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const input: SiteInput = {
      member_id: d.member,
      prefecture: d.prefecture,
      municipality: d.municipality,
      name: d.name,
      name_en: d.name_en,
      address: d.address,
      latitude: d.latitude,
      longitude: d.longitude,
      sectors: d.sectors,
      status: d.status,
      opened_on: d.opened_on,
      closed_on: d.closed_on,
      notes: d.notes,
      municipality_free: municipalityFree,
    };
    const saved = await submit(() => (props.site ? api.siteEdit(props.site.id, input) : api.siteAdd(input)));
    if (saved) props.onSaved(saved);
  };

  const text = (k: (typeof TEXT_FIELDS)[number]) => (
    <Field label={t(`sites.field.${k}`)} error={errors[k]}>
      <input name={k} value={d[k]} onInput={set(k)} />
    </Field>
  );

  return (
    <Modal title={t(props.site ? "sites.edit" : "sites.add")} onCancel={props.onCancel} testId="site-form">
      <form class="form" onSubmit={save} noValidate>
        <ErrorBanner message={general} />
        <div class="form-grid">
          <Field label={t("sites.field.member")} error={errors.member} wide>
            {fixedMember || props.site ? (
              <input name="member_name" value={memberName} readOnly />
            ) : (
              <span class="member-picker">
                <input
                  name="member_search"
                  value={memberSearch}
                  onInput={(e) => void findMembers((e.target as HTMLInputElement).value)}
                  placeholder={t("members.search")}
                />
                <select
                  name="member"
                  value={d.member}
                  onChange={set("member")}
                  size={Math.min(4, Math.max(2, memberHits.length))}
                >
                  {memberHits.map((m) => (
                    <option value={m.id}>
                      {m.member_no} {pick(lang, m.name_ja, m.name_en)}
                    </option>
                  ))}
                </select>
              </span>
            )}
          </Field>
          {text("name")}
          {text("name_en")}
          <Field label={t("sites.field.prefecture")} error={errors.prefecture}>
            <select name="prefecture" value={d.prefecture} onChange={set("prefecture")}>
              <option value="">{t("common.none")}</option>
              {choices.prefectures.map((p) => (
                <option value={p.code}>{pick(lang, p.ja, p.en)}</option>
              ))}
            </select>
          </Field>
          <Field label={t("sites.field.municipality")} error={errors.municipality}>
            <input
              name="municipality"
              value={d.municipality}
              onInput={set("municipality")}
              list={municipalityFree ? undefined : "site-municipalities"}
              autocomplete="off"
            />
            <datalist id="site-municipalities" data-testid="site-municipalities">
              {municipalities.map((m) => (
                <option value={m.name}>
                  {m.county}
                  {m.name} ({m.code})
                </option>
              ))}
            </datalist>
            <label class="choice">
              <input
                type="checkbox"
                name="municipality_free"
                checked={municipalityFree}
                onChange={(e) => setMunicipalityFree((e.target as HTMLInputElement).checked)}
              />
              {t("sites.municipality_free")}
            </label>
          </Field>
          {text("address")}
          {text("latitude")}
          {text("longitude")}
          <Field label={t("sites.field.sectors")} error={errors.sectors} wide>
            <span class="checks">
              {choices.sectors.map((c) => (
                <label class="choice">
                  <input
                    type="checkbox"
                    name={`sector-${c.code}`}
                    checked={d.sectors.includes(c.code)}
                    onChange={(e) => {
                      const on = (e.target as HTMLInputElement).checked;
                      setD({ ...d, sectors: on ? [...d.sectors, c.code] : d.sectors.filter((x) => x !== c.code) });
                    }}
                  />
                  {pick(lang, c.ja, c.en)}
                </label>
              ))}
            </span>
          </Field>
          <Field label={t("sites.field.status")} error={errors.status}>
            <select name="status" value={d.status} onChange={set("status")}>
              {choices.site_statuses.map((c) => (
                <option value={c.code}>{pick(lang, c.ja, c.en)}</option>
              ))}
            </select>
          </Field>
          {text("opened_on")}
          {text("closed_on")}
          <Field label={t("sites.field.notes")} error={errors.notes} wide>
            <textarea name="notes" value={d.notes} onInput={set("notes")} rows={2} />
          </Field>
        </div>
        <div class="actions">
          <button type="button" onClick={props.onCancel}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="primary" disabled={busy} data-testid="site-save">
            {t("common.save")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
