import { useEffect, useState } from "preact/hooks";
import { api, toFailure } from "../api";
import type { Activity } from "../bindings/Activity";
import type { GrantOverview } from "../bindings/GrantOverview";
import type { ReportKind } from "../bindings/ReportKind";
import type { ReportProgress } from "../bindings/ReportProgress";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { formatRange } from "../format";
import { codeText, LANGS, type Lang, pick, useI18n } from "../i18n";
import { type ReportForm, formatSize, reportRequest, suggestedFileName, withPdfExtension } from "../report";
import { NarrativeEditor } from "./ReportNarrative";

/** In the order the screen offers them. */
const KINDS: ReportKind[] = ["phase", "profile"];

interface PhaseChoice {
  id: string;
  label: string;
  donor: string;
  seq: number;
  activities: Activity[];
}

function phaseChoices(data: GrantOverview, lang: Lang): PhaseChoice[] {
  return data.grants.flatMap((g) =>
    g.phases.map((p) => ({
      id: p.phase.id,
      label: `${pick(lang, p.phase.title_ja, p.phase.title_en)} (${formatRange(p.phase.start, p.phase.end, lang)})`,
      donor: g.donor.name_en,
      seq: Number(p.phase.seq),
      activities: p.activities,
    })),
  );
}

/** Direct Relief reports as PDF: choose the report, then a file (through the
 * save dialog or typed), then the export runs with a progress bar. */
export function ReportsScreen() {
  const { t, lang } = useI18n();
  const [phases, setPhases] = useState<PhaseChoice[]>([]);
  const [form, setForm] = useState<ReportForm>({
    kind: "phase",
    phaseId: "",
    periodStart: "",
    periodEnd: "",
    lang: "en",
  });
  const [path, setPath] = useState("");
  const [progress, setProgress] = useState<ReportProgress | null>(null);
  const [saved, setSaved] = useState<{ path: string; bytes: number } | null>(null);
  const [problem, setProblem] = useState<{ field: string; message: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const busy = progress !== null && progress.stage !== "done";

  useEffect(() => {
    api.grantList().then(
      (data) => {
        const list = phaseChoices(data, lang);
        setPhases(list);
        // The latest phase is the one a report is usually due for.
        setForm((f) => (f.phaseId ? f : { ...f, phaseId: list[list.length - 1]?.id ?? "" }));
      },
      (e) => setError(toFailure(e).message),
    );
  }, [lang]);

  const set = (patch: Partial<ReportForm>) => {
    setForm({ ...form, ...patch });
    setProblem(null);
  };

  const exportTo = async (target: string) => {
    setError(null);
    setSaved(null);
    const built = reportRequest(form);
    if ("problem" in built) {
      setProblem({ field: built.problem.field, message: t(built.problem.key) });
      return;
    }
    const file = withPdfExtension(target);
    if (!file) {
      setProblem({ field: "path", message: t("reports.need_path") });
      return;
    }
    setPath(file);
    setProgress({ stage: "reading", fraction: 0 });
    // Channel messages may still arrive after the command has answered; a
    // late one must not move a finished bar back.
    let finished = false;
    try {
      const done = await api.reportSave(built.request, file, (p) => {
        if (!finished) setProgress({ stage: p.stage, fraction: p.fraction });
      });
      finished = true;
      setProgress({ stage: "done", fraction: 1 });
      setSaved({ path: done.path, bytes: Number(done.bytes) });
    } catch (e) {
      finished = true;
      const f = toFailure(e);
      setProgress(null);
      if (f.field === "period_start" || f.field === "period_end" || f.field === "path" || f.field === "narrative")
        setProblem({ field: f.field, message: f.message });
      else setError(f.message);
    }
  };

  const chooseAndExport = async () => {
    const phase = phases.find((p) => p.id === form.phaseId);
    try {
      const picked = await api.pickSavePath(suggestedFileName(form, phase), ["pdf"]);
      if (picked) await exportTo(picked);
    } catch (e) {
      setError(toFailure(e).message);
    }
  };

  const err = (field: string) => (problem?.field === field ? problem.message : null);

  return (
    <section data-testid="reports">
      <h1>{t("reports.title")}</h1>
      <ErrorBanner message={error} />
      <form
        class="report-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void exportTo(path);
        }}
      >
        <fieldset class="card">
          <legend>{t("reports.which")}</legend>
          <div class="checks">
            {KINDS.map((k) => (
              <label class="choice">
                <input type="radio" name="kind" value={k} checked={form.kind === k} onChange={() => set({ kind: k })} />
                {t(`reports.kind_${k}`)}
              </label>
            ))}
          </div>
          <p class="hint">{t(`reports.hint_${form.kind}`)}</p>
          {form.kind === "phase" && (
            <div class="form-grid">
              <Field label={t("reports.phase")} error={err("phase")} wide>
                <select
                  name="phase"
                  value={form.phaseId}
                  onChange={(e) => set({ phaseId: (e.target as HTMLSelectElement).value })}
                >
                  {phases.map((p) => (
                    <option value={p.id}>{p.label}</option>
                  ))}
                </select>
              </Field>
              <Field label={t("reports.period_start")} error={err("period_start")}>
                <input
                  type="date"
                  name="period_start"
                  value={form.periodStart}
                  onInput={(e) => set({ periodStart: (e.target as HTMLInputElement).value })}
                />
              </Field>
              <Field label={t("reports.period_end")} error={err("period_end")}>
                <input
                  type="date"
                  name="period_end"
                  value={form.periodEnd}
                  onInput={(e) => set({ periodEnd: (e.target as HTMLInputElement).value })}
                />
              </Field>
              <p class="hint wide">{t("reports.period_hint")}</p>
              <label class="choice wide">
                <input
                  type="checkbox"
                  name="final"
                  checked={!!form.final}
                  onChange={(e) => set({ final: (e.target as HTMLInputElement).checked })}
                />
                {t("narrative.final")}
              </label>
              {err("narrative") && (
                <span class="field-error wide" role="alert">
                  {err("narrative")}
                </span>
              )}
            </div>
          )}
          <fieldset class="inline">
            <legend>{t("reports.edition")}</legend>
            {LANGS.map((l) => (
              <label class="choice">
                <input
                  type="radio"
                  name="report_lang"
                  value={l}
                  checked={form.lang === l}
                  onChange={() => set({ lang: l })}
                />
                {t(`reports.edition_${l}`)}
              </label>
            ))}
          </fieldset>
        </fieldset>
        <fieldset class="card">
          <legend>{t("reports.save")}</legend>
          <button type="button" data-testid="report-choose" disabled={busy} onClick={() => void chooseAndExport()}>
            {t("reports.choose")}
          </button>
          <p class="hint">{t("reports.or_type")}</p>
          <div class="path-row">
            <Field label={t("reports.path")} error={err("path")} wide>
              <input
                name="path"
                class="mono"
                value={path}
                placeholder={suggestedFileName(
                  form,
                  phases.find((p) => p.id === form.phaseId),
                )}
                onInput={(e) => {
                  setPath((e.target as HTMLInputElement).value);
                  setProblem(null);
                }}
              />
            </Field>
            <button type="submit" data-testid="report-export" disabled={busy || !path.trim()}>
              {t("reports.export")}
            </button>
          </div>
          {progress && (
            <div class="report-progress" aria-live="polite">
              <progress data-testid="report-progress" max={1} value={progress.fraction} />
              <span>{codeText(lang, "reports.stage_", progress.stage)}</span>
            </div>
          )}
          {saved && (
            <p class="notice" data-testid="report-saved">
              {t("reports.saved", { path: saved.path, size: formatSize(saved.bytes) })}
            </p>
          )}
        </fieldset>
      </form>
      {form.kind === "phase" && form.phaseId && (
        <NarrativeEditor
          phaseId={form.phaseId}
          periodStart={form.periodStart}
          periodEnd={form.periodEnd}
          activities={phases.find((p) => p.id === form.phaseId)?.activities ?? EMPTY}
        />
      )}
    </section>
  );
}

const EMPTY: Activity[] = [];
