import { useState } from "preact/hooks";
import { api, latestOnly, toFailure } from "../api";
import { label, useApp, useRights } from "../app-context";
import type { Contact } from "../bindings/Contact";
import type { Organisation } from "../bindings/Organisation";
import { Confirm } from "../components/Confirm";
import { ErrorBanner } from "../components/ErrorBanner";
import { Pager } from "../components/Pager";
import { formatCount } from "../format";
import { pick, useI18n } from "../i18n";
import { usePagedList } from "../list";
import { markInput } from "../timing";
import { ContactForm } from "./ContactForm";
import { OrganisationForm } from "./OrganisationForm";
import { RowActions } from "../components/RowActions";

const LIMIT = 50;
const listOrganisations = latestOnly(api.organisationList);
const listContacts = latestOnly(api.contactList);
type Tab = "organisations" | "contacts";

/** The directory beside the registry: other organisations, and people at
 * members and organisations. */
export function DirectoryScreen() {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>("organisations");
  return (
    <section data-testid="directory">
      <h1>{t("directory.title")}</h1>
      <div class="tabs" role="tablist">
        {(["organisations", "contacts"] as const).map((x) => (
          <button
            type="button"
            role="tab"
            aria-selected={tab === x}
            class={"tab" + (tab === x ? " active" : "")}
            data-tab={x}
            onClick={() => setTab(x)}
          >
            {t(`directory.${x}`)}
          </button>
        ))}
      </div>
      {tab === "organisations" ? <Organisations /> : <Contacts />}
    </section>
  );
}

function Organisations() {
  const { t, lang } = useI18n();
  const { choices } = useApp();
  const guard = useRights()("organisations");
  const [search, setSearch] = useState("");
  const [kind, setKind] = useState("");
  const [offset, setOffset] = useState(0);
  const [reload, setReload] = useState(0);
  const [form, setForm] = useState<Organisation | "new" | null>(null);
  const [removing, setRemoving] = useState<Organisation | null>(null);
  const { page, error, setError } = usePagedList(
    "organisations",
    () => listOrganisations({ search, kind, offset, limit: LIMIT }),
    [search, kind, offset, reload],
  );
  const remove = async (o: Organisation) => {
    setRemoving(null);
    try {
      await api.organisationRemove(o.id);
      setReload(reload + 1);
    } catch (e) {
      setError(toFailure(e).message);
    }
  };
  return (
    <>
      <div class="filters">
        <input
          type="search"
          name="search"
          placeholder={t("directory.org_search")}
          aria-label={t("directory.org_search")}
          value={search}
          onInput={(e) => {
            markInput();
            setSearch((e.target as HTMLInputElement).value);
            setOffset(0);
          }}
        />
        <select
          name="kind"
          aria-label={t("directory.org_field.kind")}
          value={kind}
          onChange={(e) => {
            setKind((e.target as HTMLSelectElement).value);
            setOffset(0);
          }}
        >
          <option value="">{t("directory.all_kinds")}</option>
          {choices.organisation_kinds.map((c) => (
            <option value={c.code}>{pick(lang, c.ja, c.en)}</option>
          ))}
        </select>
        {page && <span class="count">{t("directory.count", { n: formatCount(page.total, lang) })}</span>}
        <span class="spacer" />
        <button type="button" class="primary" data-testid="org-add" {...guard} onClick={() => setForm("new")}>
          {t("directory.org_add")}
        </button>
      </div>
      <ErrorBanner message={error} />
      <table class="grid" data-testid="org-table">
        <thead>
          <tr>
            <th>{t("directory.org_field.name_ja")}</th>
            <th>{t("directory.org_field.name_en")}</th>
            <th>{t("directory.org_field.kind")}</th>
            <th>{t("directory.org_field.prefecture")}</th>
            <th>{t("directory.org_field.email")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {page?.rows.map((o) => (
            <tr data-org-id={o.id}>
              <td>
                <span class="name-ja">{o.name_ja}</span>
                {o.reading ? <small class="reading">{o.reading}</small> : null}
              </td>
              <td>{o.name_en}</td>
              <td>{label(choices.organisation_kinds, o.kind, lang)}</td>
              <td>{o.prefecture_code ? label(choices.prefectures, o.prefecture_code, lang) : ""}</td>
              <td>{o.email}</td>
              <RowActions guard={guard} onEdit={() => setForm(o)} onRemove={() => setRemoving(o)} />
            </tr>
          ))}
        </tbody>
      </table>
      {page && page.rows.length === 0 && <p class="empty">{t("common.no_rows")}</p>}
      {page && <Pager total={page.total} offset={page.offset} limit={page.limit} onOffset={setOffset} />}
      {form && (
        <OrganisationForm
          organisation={form === "new" ? null : form}
          onCancel={() => setForm(null)}
          onSaved={() => {
            setForm(null);
            setReload(reload + 1);
          }}
        />
      )}
      {removing && (
        <Confirm
          message={t("directory.remove_confirm", { name: pick(lang, removing.name_ja, removing.name_en) })}
          confirmLabel={t("common.remove")}
          danger
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      )}
    </>
  );
}

function Contacts() {
  const { t, lang } = useI18n();
  const guard = useRights()("contacts");
  const [search, setSearch] = useState("");
  const [offset, setOffset] = useState(0);
  const [reload, setReload] = useState(0);
  const [form, setForm] = useState<Contact | "new" | null>(null);
  const [removing, setRemoving] = useState<Contact | null>(null);
  const { page, error, setError } = usePagedList("contacts", () => listContacts({ search, offset, limit: LIMIT }), [
    search,
    offset,
    reload,
  ]);
  const remove = async (c: Contact) => {
    setRemoving(null);
    try {
      await api.contactRemove(c.id);
      setReload(reload + 1);
    } catch (e) {
      setError(toFailure(e).message);
    }
  };
  return (
    <>
      <div class="filters">
        <input
          type="search"
          name="search"
          placeholder={t("directory.contact_search")}
          aria-label={t("directory.contact_search")}
          value={search}
          onInput={(e) => {
            markInput();
            setSearch((e.target as HTMLInputElement).value);
            setOffset(0);
          }}
        />
        {page && <span class="count">{t("directory.contact_count", { n: formatCount(page.total, lang) })}</span>}
        <span class="spacer" />
        <button type="button" class="primary" data-testid="contact-add" {...guard} onClick={() => setForm("new")}>
          {t("directory.contact_add")}
        </button>
      </div>
      <ErrorBanner message={error} />
      <table class="grid" data-testid="contact-table">
        <thead>
          <tr>
            <th>{t("directory.contact_field.name")}</th>
            <th>{t("directory.contact_field.affiliation")}</th>
            <th>{t("directory.contact_field.role")}</th>
            <th>{t("directory.contact_field.email")}</th>
            <th>{t("directory.contact_field.phone")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {page?.rows.map((c) => (
            <tr data-contact-id={c.id}>
              <td>
                <span class="name-ja">{pick(lang, c.name_ja, c.name_en)}</span>
                {c.reading ? <small class="reading">{c.reading}</small> : null}
              </td>
              <td>{pick(lang, c.affiliation_ja, c.affiliation_en)}</td>
              <td>{c.role}</td>
              <td>{c.email}</td>
              <td class="nowrap">{c.phone}</td>
              <RowActions guard={guard} onEdit={() => setForm(c)} onRemove={() => setRemoving(c)} />
            </tr>
          ))}
        </tbody>
      </table>
      {page && page.rows.length === 0 && <p class="empty">{t("common.no_rows")}</p>}
      {page && <Pager total={page.total} offset={page.offset} limit={page.limit} onOffset={setOffset} />}
      {form && (
        <ContactForm
          contact={form === "new" ? null : form}
          onCancel={() => setForm(null)}
          onSaved={() => {
            setForm(null);
            setReload(reload + 1);
          }}
        />
      )}
      {removing && (
        <Confirm
          message={t("directory.remove_confirm", { name: pick(lang, removing.name_ja, removing.name_en) })}
          confirmLabel={t("common.remove")}
          danger
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      )}
    </>
  );
}
