import { useEffect, useState } from "preact/hooks";
import { api, latestOnly, toFailure } from "../api";
import { MATCHING_TABS, type MatchingTab, label, useApp } from "../app-context";
import type { MatchConflict } from "../bindings/MatchConflict";
import { ErrorBanner } from "../components/ErrorBanner";
import { Pager } from "../components/Pager";
import { formatCount } from "../format";
import { useI18n } from "../i18n";
import { usePagedList } from "../list";
import { MatchTable, offerWhat, placeText } from "./MatchingParts";
import { MatchingNeeds } from "./MatchingNeeds";
import { MatchingOffers } from "./MatchingOffers";

const LIMIT = 50;
const listMatches = latestOnly(api.matchList);

/** Donation matching (every office records offers, needs and matches):
 * offers, needs, every match by status, and the over-committed offers that
 * matches made apart left to resolve, counted on their tab. */
export function MatchingScreen(props: { tab?: MatchingTab }) {
  const { t } = useI18n();
  const { conflicts } = useApp();
  const [tab, setTab] = useState<MatchingTab>(props.tab ?? "offers");
  return (
    <section data-testid="matching">
      <h1>{t("matching.title")}</h1>
      <div class="tabs" role="tablist">
        {MATCHING_TABS.map((x) => (
          <button
            type="button"
            role="tab"
            aria-selected={tab === x}
            class={"tab" + (tab === x ? " active" : "")}
            data-tab={x}
            onClick={() => setTab(x)}
          >
            {t(`matching.tab.${x}`)}
            {x === "conflicts" && conflicts ? (
              <span class="badge" data-testid="conflict-badge" title={t("matching.conflict_badge", { n: conflicts })}>
                {conflicts}
              </span>
            ) : null}
          </button>
        ))}
      </div>
      {tab === "offers" && <MatchingOffers />}
      {tab === "needs" && <MatchingNeeds />}
      {tab === "matches" && <MatchingMatches />}
      {tab === "conflicts" && <MatchingConflicts />}
    </section>
  );
}

/** Every match, newest proposal first, filtered by status, with its steps. */
function MatchingMatches() {
  const { t, lang } = useI18n();
  const { choices, recountConflicts } = useApp();
  const [status, setStatus] = useState("");
  const [offset, setOffset] = useState(0);
  const [reload, setReload] = useState(0);
  const { page, error } = usePagedList(
    "matches",
    () => listMatches({ status: status || undefined, offset, limit: LIMIT }),
    [status, offset, reload],
  );
  return (
    <div data-testid="matches">
      <div class="filters">
        <select
          name="status"
          aria-label={t("matching.match_col.status")}
          value={status}
          onChange={(e) => {
            setStatus((e.target as HTMLSelectElement).value);
            setOffset(0);
          }}
        >
          <option value="">{t("matching.all_statuses")}</option>
          {choices.match_statuses.map((c) => (
            <option value={c.code}>{label(choices.match_statuses, c.code, lang)}</option>
          ))}
        </select>
        {page && <span class="count">{t("matching.match_count", { n: formatCount(page.total, lang) })}</span>}
      </div>
      <ErrorBanner message={error} />
      {page && (
        <MatchTable
          matches={page.rows}
          onChanged={() => {
            setReload(reload + 1);
            recountConflicts?.();
          }}
        />
      )}
      {page && <Pager total={page.total} offset={page.offset} limit={page.limit} onOffset={setOffset} />}
    </div>
  );
}

/** Offers more committed than they hold, each with its competing matches:
 * a step on one (cancel, decline, reduce) is read back at once. */
function MatchingConflicts() {
  const { t, lang } = useI18n();
  const { choices, go, recountConflicts } = useApp();
  const [rows, setRows] = useState<MatchConflict[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    api.matchConflicts().then(
      (r) => {
        setRows(r);
        setError(null);
      },
      (e) => setError(toFailure(e).message),
    );
  }, [reload]);
  return (
    <div data-testid="conflicts">
      <ErrorBanner message={error} />
      {rows && rows.length === 0 && (
        <p class="empty" data-testid="conflicts-none">
          {t("matching.conflicts_none")}
        </p>
      )}
      {rows && rows.length > 0 && <p class="hint">{t("matching.conflicts_hint")}</p>}
      {rows?.map((c) => (
        <section class="conflict" data-conflict-offer={c.offer.id}>
          <h2>
            <button type="button" class="link" onClick={() => go({ screen: "offer", id: c.offer.id })}>
              {t("matching.conflict_title", {
                what: offerWhat(c.offer, choices.offer_categories, lang),
                source: c.offer.source_label,
              })}
            </button>{" "}
            <small>{placeText(c.offer, choices.prefectures, lang)}</small>
          </h2>
          <p class="over-mark inline" data-testid="conflict-figures">
            {t("matching.conflict_figures", {
              committed: formatCount(c.offer.committed, lang),
              quantity: formatCount(c.offer.quantity, lang),
              over: formatCount(c.over_by, lang),
            })}
          </p>
          <MatchTable
            matches={c.matches}
            hide="offer"
            onChanged={() => {
              setReload(reload + 1);
              recountConflicts?.();
            }}
          />
        </section>
      ))}
    </div>
  );
}
