import { useEffect, useState } from "preact/hooks";
import { api, toFailure } from "../api";
import { mayWrite, useApp, useRights } from "../app-context";
import type { DoctorReport } from "../bindings/DoctorReport";
import { ErrorBanner } from "../components/ErrorBanner";
import { formatCount } from "../format";
import { codeText, useI18n } from "../i18n";

// The data check: stored values that break the domain rules, and a Repair
// that the core makes through the ordinary write path (so it syncs). Each
// finding in a table this office may not write is marked; the core skips it
// and says so, and Repair is disabled when nothing is left for this office.
export function DoctorScreen() {
  const { t, lang } = useI18n();
  const { installation } = useApp();
  const guard = useRights();
  const [report, setReport] = useState<DoctorReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [repaired, setRepaired] = useState<DoctorReport | null>(null);

  const check = () => {
    setError(null);
    api.doctor().then(setReport, (e) => setError(toFailure(e).message));
  };
  useEffect(check, []);

  const repair = async () => {
    setBusy(true);
    setError(null);
    try {
      const after = await api.doctorRepair();
      setRepaired(after);
      setReport(after);
    } catch (e) {
      setError(toFailure(e).message);
    } finally {
      setBusy(false);
    }
  };

  const findings = report?.findings ?? [];
  const repairable = findings.some((f) => mayWrite(installation, f.table));
  return (
    <section data-testid="doctor">
      <div class="head">
        <h1>{t("doctor.title")}</h1>
        <button type="button" onClick={check} disabled={busy} data-testid="doctor-check">
          {t("doctor.check")}
        </button>
      </div>
      <p class="hint">{t("doctor.intro")}</p>
      <ErrorBanner message={error} />
      {repaired && (
        <div class="card">
          <p class="notice" data-testid="doctor-repaired">
            {Number(repaired.repaired) === 1
              ? t("doctor.repaired_one")
              : t("doctor.repaired", { n: formatCount(Number(repaired.repaired), lang) })}
          </p>
          {repaired.skipped.length > 0 && (
            <>
              <h2>{t("doctor.skipped")}</h2>
              <ul class="mono" data-testid="doctor-skipped">
                {repaired.skipped.map((s) => (
                  <li>{s}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      {report && findings.length === 0 && (
        <p class="notice" data-testid="doctor-ok">
          {t("doctor.ok")}
        </p>
      )}
      {report && findings.length > 0 && (
        <>
          <p data-testid="doctor-found">
            {findings.length === 1
              ? t("doctor.found_one")
              : t("doctor.found", { n: formatCount(findings.length, lang) })}
          </p>
          <table class="grid rows" data-testid="doctor-findings">
            <thead>
              <tr>
                <th>{t("doctor.col.record")}</th>
                <th>{t("doctor.col.column")}</th>
                <th>{t("doctor.col.value")}</th>
                <th>{t("doctor.col.problem")}</th>
                <th>{t("doctor.col.repair")}</th>
              </tr>
            </thead>
            <tbody>
              {findings.map((f) => {
                const g = guard(f.table);
                return (
                  <tr data-table={f.table} data-row-id={f.row_id} data-column={f.column}>
                    <td>
                      {codeText(lang, "tables.", f.table)}
                      <br />
                      <small class="mono nowrap">{f.row_id}</small>
                    </td>
                    <td class="mono nowrap">{f.column}</td>
                    <td class="mono">{f.value}</td>
                    <td>{f.problem}</td>
                    <td>
                      {f.repair === "remove" ? t("doctor.action.remove") : t("doctor.action.clear")}
                      {g.disabled && (
                        <>
                          <br />
                          <small class="hint rights-hint" title={g.title}>
                            {t("rights.hq_only_short")}
                          </small>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div class="actions">
            <small class="hint">{repairable ? t("doctor.repair_hint") : t("doctor.repair_none_allowed")}</small>
            <button
              type="button"
              class="primary"
              disabled={busy || !repairable}
              title={repairable ? undefined : t("doctor.repair_none_allowed")}
              onClick={() => void repair()}
              data-testid="doctor-repair"
            >
              {busy ? t("doctor.repairing") : t("doctor.repair")}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
