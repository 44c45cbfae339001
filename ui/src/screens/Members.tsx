import { useEffect, useRef, useState } from "preact/hooks";
import { api, latestOnly } from "../api";
import type { MemberSort as Sort } from "../bindings/MemberSort";
import { label, useApp, useRights } from "../app-context";
import { ErrorBanner } from "../components/ErrorBanner";
import { ListSheetExport } from "../components/ListSheetExport";
import { Pager } from "../components/Pager";
import { formatCount } from "../format";
import { type Key, pick, useI18n } from "../i18n";
import { usePagedList } from "../list";
import { markInput } from "../timing";
import { MemberForm } from "./MemberForm";

const LIMIT = 50;
const listMembers = latestOnly(api.memberList);

export function MembersScreen() {
  const { t, lang } = useI18n();
  const { choices, go } = useApp();
  const guard = useRights();
  const [search, setSearch] = useState("");
  const [prefecture, setPrefecture] = useState("");
  const [sort, setSort] = useState<Sort>(lang === "ja" ? "name_ja" : "name_en");
  const [descending, setDescending] = useState(false);
  const [offset, setOffset] = useState(0);
  const [adding, setAdding] = useState(false);
  const searchBox = useRef<HTMLInputElement>(null);

  const { page, error } = usePagedList(
    "members",
    () => listMembers({ search, prefecture, sort, descending, offset, limit: LIMIT }),
    [search, prefecture, sort, descending, offset],
  );

  useEffect(() => searchBox.current?.focus(), []);

  const sortBy = (s: Sort) => {
    if (s === sort) setDescending(!descending);
    else {
      setSort(s);
      setDescending(false);
    }
    setOffset(0);
  };
  const th = (s: Sort, key: Key, cls = "") => (
    <th class={cls} aria-sort={sort === s ? (descending ? "descending" : "ascending") : undefined}>
      <button type="button" class="sort" data-sort={s} onClick={() => sortBy(s)}>
        {t(key)} {sort === s ? (descending ? "▼" : "▲") : ""}
      </button>
    </th>
  );

  return (
    <section data-testid="members">
      <div class="head">
        <h1>{t("members.title")}</h1>
        <div class="head-actions">
          <button
            type="button"
            class="primary"
            data-testid="member-add"
            {...guard("members")}
            onClick={() => setAdding(true)}
          >
            {t("members.add")}
          </button>
          <ListSheetExport
            sheet={{ list: "members", query: { search, prefecture, sort, descending } }}
            name="members"
          />
        </div>
      </div>
      <div class="filters">
        <input
          ref={searchBox}
          type="search"
          name="search"
          placeholder={t("members.search")}
          aria-label={t("members.search")}
          value={search}
          onInput={(e) => {
            markInput();
            setSearch((e.target as HTMLInputElement).value);
            setOffset(0);
          }}
        />
        <select
          name="prefecture"
          aria-label={t("members.prefecture")}
          value={prefecture}
          onChange={(e) => {
            setPrefecture((e.target as HTMLSelectElement).value);
            setOffset(0);
          }}
        >
          <option value="">{t("members.all_prefectures")}</option>
          {choices.prefectures.map((p) => (
            <option value={p.code}>{pick(lang, p.ja, p.en)}</option>
          ))}
        </select>
        {page && <span class="count">{t("members.count", { n: formatCount(Number(page.total), lang) })}</span>}
      </div>
      <ErrorBanner message={error} />
      <table class="grid rows" data-testid="member-table">
        <thead>
          <tr>
            {th("member_no", "members.col.member_no")}
            {th("name_ja", "members.col.name_ja")}
            {th("name_en", "members.col.name_en")}
            <th>{t("members.col.prefectures")}</th>
            {th("sites", "members.col.sites", "num")}
            <th>{t("members.col.status")}</th>
          </tr>
        </thead>
        <tbody>
          {page?.rows.map((m) => (
            <tr
              tabIndex={0}
              data-member-id={m.id}
              onClick={() => go({ screen: "member", id: m.id })}
              onKeyDown={(e) => e.key === "Enter" && go({ screen: "member", id: m.id })}
            >
              <td>{m.member_no}</td>
              <td>
                <span class="name-ja">{m.name_ja}</span>
                {m.reading ? <small class="reading">{m.reading}</small> : null}
              </td>
              <td>{m.name_en}</td>
              <td>{m.prefectures.map((p) => label(choices.prefectures, p, lang)).join(lang === "ja" ? "、" : ", ")}</td>
              <td class="num">{Number(m.site_count)}</td>
              <td>{label(choices.member_statuses, m.status, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page && page.rows.length === 0 && <p class="empty">{t("common.no_rows")}</p>}
      {page && (
        <Pager
          total={Number(page.total)}
          offset={Number(page.offset)}
          limit={Number(page.limit)}
          onOffset={setOffset}
        />
      )}
      {adding && (
        <MemberForm
          member={null}
          onCancel={() => setAdding(false)}
          onSaved={(m) => {
            setAdding(false);
            go({ screen: "member", id: m.id });
          }}
        />
      )}
    </section>
  );
}
