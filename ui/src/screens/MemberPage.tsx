import { useEffect, useState } from "preact/hooks";
import { api, toFailure } from "../api";
import { label, useApp, useRights } from "../app-context";
import type { Member } from "../bindings/Member";
import type { Page } from "../bindings/Page";
import type { Site } from "../bindings/Site";
import { Confirm } from "../components/Confirm";
import { ErrorBanner } from "../components/ErrorBanner";
import { Pager } from "../components/Pager";
import { formatDate } from "../format";
import { type KeysUnder, pick, useI18n } from "../i18n";
import { MemberForm } from "./MemberForm";
import { SiteForm } from "./SiteForm";
import { SiteTable } from "./SiteTable";

const LIMIT = 50;

export function MemberPage(props: { id: string }) {
  const { t, lang } = useI18n();
  const { choices, go } = useApp();
  const guard = useRights();
  const [member, setMember] = useState<Member | null>(null);
  const [sites, setSites] = useState<Page<Site> | null>(null);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [siteForm, setSiteForm] = useState<Site | "new" | null>(null);
  const [reload, setReload] = useState(0);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    api.memberShow(props.id).then(setMember, (e) => setError(toFailure(e).message));
    api.siteList({ member_id: props.id, offset, limit: LIMIT }).then(setSites, (e) => setError(toFailure(e).message));
  }, [props.id, offset, reload]);

  const remove = async () => {
    if (!member) return;
    setConfirming(false);
    try {
      // The dialog stated the sites that go with it: the cascade is confirmed.
      await api.memberRemove(member.id, true);
      go({ screen: "members" });
    } catch (e) {
      setError(toFailure(e).message);
    }
  };

  if (!member) return error ? <ErrorBanner message={error} /> : <p class="loading">{t("common.loading")}</p>;
  const row = (k: KeysUnder<"members.field">, v: string | null | undefined) =>
    v ? (
      <>
        <dt>{t(`members.field.${k}`)}</dt>
        <dd data-field={k}>{v}</dd>
      </>
    ) : null;
  return (
    <section data-testid="member-page">
      <button type="button" class="link" onClick={() => go({ screen: "members" })}>
        ← {t("member_page.back")}
      </button>
      <div class="head">
        <h1>
          <span data-testid="member-name">{member.name_ja}</span> <small>{member.member_no}</small>
        </h1>
        <span class="head-actions">
          <button type="button" {...guard("members")} onClick={() => setEditing(true)} data-testid="member-edit">
            {t("common.edit")}
          </button>
          <button
            type="button"
            class="danger"
            {...guard("members")}
            onClick={() => setConfirming(true)}
            data-testid="member-remove"
          >
            {t("common.remove")}
          </button>
        </span>
      </div>
      <ErrorBanner message={error} />
      <dl class="details">
        {row("name_en", member.name_en)}
        {row("reading", member.reading)}
        {row("legal_form", member.legal_form ? label(choices.legal_forms, member.legal_form, lang) : null)}
        {row("contact_person", member.contact_person)}
        {row("email", member.email)}
        {row("phone", member.phone)}
        {row("address", member.address)}
        {row(
          "prefectures",
          member.prefectures.map((p) => label(choices.prefectures, p, lang)).join(lang === "ja" ? "、" : ", "),
        )}
        {row("status", label(choices.member_statuses, member.status, lang))}
        {row("joined_on", formatDate(member.joined_on, lang))}
        {row("left_on", formatDate(member.left_on, lang))}
        {row("notes", member.notes)}
      </dl>
      <div class="head">
        <h2>
          {t("member_page.sites")} ({Number(member.site_count)})
        </h2>
        <button
          type="button"
          class="primary"
          {...guard("sites")}
          onClick={() => setSiteForm("new")}
          data-testid="member-add-site"
        >
          {t("member_page.add_site")}
        </button>
      </div>
      {sites && (
        <>
          <SiteTable
            rows={sites.rows}
            onEdit={(s) => setSiteForm(s)}
            onChanged={() => setReload(reload + 1)}
            onError={setError}
          />
          {sites.rows.length === 0 && <p class="empty">{t("common.no_rows")}</p>}
          <Pager
            total={Number(sites.total)}
            offset={Number(sites.offset)}
            limit={Number(sites.limit)}
            onOffset={setOffset}
          />
        </>
      )}
      {editing && (
        <MemberForm
          member={member}
          onCancel={() => setEditing(false)}
          onSaved={(m) => {
            setEditing(false);
            setMember(m);
          }}
        />
      )}
      {confirming && (
        <Confirm
          message={t("members.remove_confirm", {
            name: pick(lang, member.name_ja, member.name_en),
            n: Number(member.site_count),
            active: Number(member.active_site_count),
          })}
          confirmLabel={t("common.remove")}
          danger
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        />
      )}
      {siteForm && (
        <SiteForm
          site={siteForm === "new" ? null : siteForm}
          member={member}
          onCancel={() => setSiteForm(null)}
          onSaved={() => {
            setSiteForm(null);
            setReload(reload + 1);
          }}
        />
      )}
    </section>
  );
}
