import { useEffect, useState } from "preact/hooks";
import { api, toFailure } from "../api";
import type { GrantOverview } from "../bindings/GrantOverview";
import type { PhaseDetail } from "../bindings/PhaseDetail";
import { ErrorBanner } from "../components/ErrorBanner";
import { formatDate, formatMoney, formatRange } from "../format";
import { pick, useI18n } from "../i18n";

// Every figure here (amounts, spent, remaining, totals) is the core's; this
// screen only lays them out.
function PhaseBlock(props: { p: PhaseDetail }) {
  const { t, lang } = useI18n();
  const { p } = props;
  const none = <p class="empty">{t("grants.none")}</p>;
  return (
    <article class="phase" data-phase-id={p.phase.id}>
      <h3>
        {t("grants.phase", { n: Number(p.phase.seq) })}: {pick(lang, p.phase.title_ja, p.phase.title_en)}
      </h3>
      <dl class="figures">
        <dt>{t("grants.period")}</dt>
        <dd>{formatRange(p.phase.start, p.phase.end, lang)}</dd>
        <dt>{t("grants.amount")}</dt>
        <dd class="num">{formatMoney(p.phase.amount, lang)}</dd>
        <dt>{t("grants.spent")}</dt>
        <dd class="num">{formatMoney(p.spent_total, lang)}</dd>
        <dt>{t("grants.unspent")}</dt>
        <dd class="num">{formatMoney(p.unspent, lang)}</dd>
      </dl>
      {pick(lang, p.phase.summary_ja, p.phase.summary_en) && (
        <p class="summary">{pick(lang, p.phase.summary_ja, p.phase.summary_en)}</p>
      )}
      <h4>{t("grants.partners")}</h4>
      {p.partners.length === 0 ? (
        none
      ) : (
        <ul class="partners">
          {p.partners.map((x) => (
            <li>
              <strong>{pick(lang, x.name_ja, x.name_en)}</strong>
              {x.acronym ? ` (${x.acronym})` : ""}
              {pick(lang, x.role_ja, x.role_en) ? ` — ${pick(lang, x.role_ja, x.role_en)}` : ""}
            </li>
          ))}
        </ul>
      )}
      <h4>{t("grants.activities")}</h4>
      {p.activities.length === 0 ? (
        none
      ) : (
        <ol class="activities">
          {p.activities.map((a) => (
            <li>
              <strong>{pick(lang, a.title_ja, a.title_en)}</strong>
              <span>{pick(lang, a.description_ja, a.description_en)}</span>
            </li>
          ))}
        </ol>
      )}
      <h4>{t("grants.budget_lines")}</h4>
      {p.budget_lines.length === 0 ? (
        none
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th>{t("grants.line.code")}</th>
              <th>{t("grants.line.name")}</th>
              <th class="num">{t("grants.line.amount")}</th>
              <th class="num">{t("grants.line.spent")}</th>
            </tr>
          </thead>
          <tbody>
            {p.budget_lines.map((b) => (
              <tr>
                <td>{b.code ?? ""}</td>
                <td>{pick(lang, b.name_ja, b.name_en)}</td>
                <td class="num">{formatMoney(b.amount, lang)}</td>
                <td class="num">{formatMoney(b.spent, lang)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th colSpan={2}>{t("grants.budget_total")}</th>
              <th class="num">{formatMoney(p.budget_total, lang)}</th>
              <th />
            </tr>
          </tfoot>
        </table>
      )}
      <h4>{t("grants.expenditures")}</h4>
      {p.expenditures.length === 0 ? (
        none
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th>{t("grants.exp.date")}</th>
              <th>{t("grants.exp.description")}</th>
              <th class="num">{t("grants.exp.amount")}</th>
              <th class="num">{t("grants.exp.rate")}</th>
              <th class="num">{t("grants.exp.converted")}</th>
            </tr>
          </thead>
          <tbody>
            {p.expenditures.map((x) => (
              <tr>
                <td>{formatDate(x.spent_on, lang)}</td>
                <td>{x.description}</td>
                <td class="num">{formatMoney(x.amount, lang)}</td>
                <td class="num">{x.rate}</td>
                <td class="num">{formatMoney(x.converted, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}

export function GrantsScreen() {
  const { t, lang } = useI18n();
  const [data, setData] = useState<GrantOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.grantList().then(setData, (e) => setError(toFailure(e).message));
  }, []);
  if (error) return <ErrorBanner message={error} />;
  if (!data) return <p class="loading">{t("common.loading")}</p>;
  return (
    <section data-testid="grants">
      <h1>{t("grants.title")}</h1>
      <p class="totals">
        {t("grants.totals")}:{" "}
        <strong data-testid="grants-total">{data.totals.map((m) => formatMoney(m, lang)).join(" / ")}</strong>
      </p>
      {data.grants.map((g) => (
        <div class="grant card" data-grant-id={g.grant.id}>
          <h2>{pick(lang, g.grant.title_ja, g.grant.title_en)}</h2>
          <dl class="figures">
            <dt>{t("grants.donor")}</dt>
            <dd>{pick(lang, g.donor.name_ja, g.donor.name_en)}</dd>
            <dt>{t("grants.total")}</dt>
            <dd class="num">{formatMoney(g.total, lang)}</dd>
            <dt>{t("grants.spent")}</dt>
            <dd class="num">{formatMoney(g.spent_total, lang)}</dd>
          </dl>
          {g.phases.map((p) => (
            <PhaseBlock p={p} />
          ))}
        </div>
      ))}
    </section>
  );
}
