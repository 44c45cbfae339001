import { useEffect, useState } from "preact/hooks";
import { api, toFailure } from "../api";
import { useRights } from "../app-context";
import type { Contact } from "../bindings/Contact";
import type { MailingList } from "../bindings/MailingList";
import type { Subscription } from "../bindings/Subscription";
import { Confirm } from "../components/Confirm";
import { ErrorBanner } from "../components/ErrorBanner";
import { TypeAhead } from "../components/TypeAhead";
import { formatCount, formatDate } from "../format";
import { pick, useI18n } from "../i18n";
import { ListExportCard } from "./ListExport";
import { ListReachCard } from "./ListReach";
import { MailingListForm } from "./MailingListForm";

/** Mailing lists, who is on each (opted out and bounced marked, never
 * dropped), subscribing contacts, exports and reach. */
export function MailingScreen() {
  const { t, lang } = useI18n();
  const guard = useRights()("mailing_lists");
  const [lists, setLists] = useState<MailingList[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [form, setForm] = useState<MailingList | "new" | null>(null);
  const [removing, setRemoving] = useState<MailingList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    api.listList().then(
      (l) => {
        setLists(l);
        setSelected((s) => (s && l.some((x) => x.id === s) ? s : (l[0]?.id ?? null)));
      },
      (e) => setError(toFailure(e).message),
    );
  }, [reload]);

  const list = lists?.find((l) => l.id === selected) ?? null;
  const remove = async (l: MailingList) => {
    setRemoving(null);
    try {
      await api.listRemove(l.id);
      setReload(reload + 1);
    } catch (e) {
      setError(toFailure(e).message);
    }
  };

  return (
    <section data-testid="mailing">
      <div class="head">
        <h1>{t("mailing.title")}</h1>
        <button type="button" class="primary" data-testid="list-add" {...guard} onClick={() => setForm("new")}>
          {t("mailing.add")}
        </button>
      </div>
      <ErrorBanner message={error} />
      <table class="grid rows" data-testid="list-table">
        <thead>
          <tr>
            <th>{t("mailing.col.name")}</th>
            <th class="num">{t("mailing.col.subscribers")}</th>
            <th class="num">{t("mailing.col.opted_out")}</th>
            <th class="num">{t("mailing.col.bounced")}</th>
          </tr>
        </thead>
        <tbody>
          {lists?.map((l) => (
            <tr
              tabIndex={0}
              data-list-id={l.id}
              class={l.id === selected ? "selected" : undefined}
              aria-selected={l.id === selected}
              onClick={() => setSelected(l.id)}
              onKeyDown={(e) => e.key === "Enter" && setSelected(l.id)}
            >
              <td>
                {pick(lang, l.name_ja, l.name_en)}
                {l.description ? <small class="reading">{l.description}</small> : null}
              </td>
              <td class="num">{formatCount(l.subscribers, lang)}</td>
              <td class="num">{formatCount(l.opted_out, lang)}</td>
              <td class="num">{formatCount(l.bounced, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {lists && lists.length === 0 && <p class="empty">{t("mailing.none")}</p>}
      {list && (
        <div class="card list-detail" data-testid="list-detail">
          <div class="head">
            <h2>{pick(lang, list.name_ja, list.name_en)}</h2>
            <span class="head-actions">
              <button type="button" {...guard} onClick={() => setForm(list)}>
                {t("common.edit")}
              </button>
              <button type="button" class="danger" {...guard} onClick={() => setRemoving(list)}>
                {t("common.remove")}
              </button>
            </span>
          </div>
          <Subscribers key={list.id} list={list} onChanged={() => setReload(reload + 1)} />
          <ListExportCard key={list.id} list={list} />
        </div>
      )}
      <ListReachCard reload={reload} />
      {form && (
        <MailingListForm
          list={form === "new" ? null : form}
          onCancel={() => setForm(null)}
          onSaved={(l) => {
            setForm(null);
            setSelected(l.id);
            setReload(reload + 1);
          }}
        />
      )}
      {removing && (
        <Confirm
          message={t("mailing.remove_confirm", { name: pick(lang, removing.name_ja, removing.name_en) })}
          confirmLabel={t("common.remove")}
          danger
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      )}
    </section>
  );
}

/** The contacts offered while typing a subscriber. */
const CANDIDATES = 8;

function Subscribers(props: { list: MailingList; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const guard = useRights()("subscriptions");
  const [subs, setSubs] = useState<Subscription[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const listId = props.list.id;

  useEffect(() => {
    setSubs(null);
    api.listSubscriptions(listId).then(setSubs, (e) => setError(toFailure(e).message));
  }, [listId]);

  /** Runs one change, then shows the list as the core now has it. */
  const act = async (change: () => Promise<unknown>) => {
    setError(null);
    try {
      await change();
      setSubs(await api.listSubscriptions(listId));
      props.onChanged();
      return true;
    } catch (e) {
      setError(toFailure(e).message);
      return false;
    }
  };
  const on = new Set(subs?.filter((s) => !s.opted_out_on).map((s) => s.contact_id));

  return (
    <div data-testid="subscribers">
      <h3>{t("mailing.subscribers")}</h3>
      <TypeAhead<Contact>
        name="subscribe"
        label={t("mailing.subscribe")}
        search={async (typed) => (await api.contactList({ search: typed, limit: CANDIDATES })).rows}
        keyOf={(c) => c.id}
        onPick={(c) => act(() => api.listSubscribe(listId, [c.id]))}
        onError={setError}
        disabled={guard.disabled}
        title={guard.title}
        render={(c) => (
          <span class="candidate">
            <span class="name-ja">{pick(lang, c.name_ja, c.name_en)}</span>
            <span class="name-en">{pick(lang, c.affiliation_ja, c.affiliation_en)}</span>
            <span class="mono">{c.email ?? ""}</span>
            {on.has(c.id) && <span class="already">{t("mailing.already")}</span>}
          </span>
        )}
        none={() => <span class="hint">{t("mailing.no_contact")}</span>}
      />
      <ErrorBanner message={error} />
      <table class="grid" data-testid="subscriber-table">
        <thead>
          <tr>
            <th>{t("mailing.col.contact")}</th>
            <th>{t("mailing.col.affiliation")}</th>
            <th>{t("mailing.col.email")}</th>
            <th>{t("mailing.col.subscribed_on")}</th>
            <th>{t("mailing.col.state")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {subs?.map((s) => (
            <tr data-contact-id={s.contact_id} class={s.opted_out_on ? "muted" : undefined}>
              <td>{pick(lang, s.name_ja, s.name_en)}</td>
              <td>{s.affiliation_ja}</td>
              <td class="mono">{s.email}</td>
              <td class="nowrap">{formatDate(s.subscribed_on, lang)}</td>
              <td>
                {s.opted_out_on && (
                  <span class="status status-opted-out" data-mark="opted-out">
                    {t("mailing.opted_out_on", { date: formatDate(s.opted_out_on, lang) })}
                  </span>
                )}
                {s.bounced && (
                  <span class="status status-bounced" data-mark="bounced">
                    {t("mailing.bounced")}
                  </span>
                )}
              </td>
              <td class="row-actions">
                {s.opted_out_on ? (
                  <button
                    type="button"
                    {...guard}
                    onClick={() => void act(() => api.listSubscribe(listId, [s.contact_id]))}
                  >
                    {t("mailing.resubscribe")}
                  </button>
                ) : (
                  <button
                    type="button"
                    {...guard}
                    data-testid="opt-out"
                    onClick={() => void act(() => api.listUnsubscribe(listId, s.contact_id))}
                  >
                    {t("mailing.opt_out")}
                  </button>
                )}
                <button
                  type="button"
                  {...guard}
                  onClick={() => void act(() => api.listBounce(listId, s.contact_id, !s.bounced))}
                >
                  {t(s.bounced ? "mailing.unbounce" : "mailing.bounce")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {subs && subs.length === 0 && <p class="empty">{t("mailing.no_subscribers")}</p>}
    </div>
  );
}
