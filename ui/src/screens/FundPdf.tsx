import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { api, toFailure } from "../api";
import type { FundDonor } from "../bindings/FundDonor";
import type { Gift } from "../bindings/Gift";
import { Field } from "../components/Field";
import { Modal } from "../components/Modal";
import { receiptFileName, statementFileName, withPdfExtension } from "../fund";
import { pick, useI18n } from "../i18n";

/** Saving one PDF to a typed path (given .pdf when it lacks it), as the
 * mailing list export does; the core's message is shown under the path. */
function PdfSave(props: {
  testId: string;
  title: string;
  placeholder: string;
  children?: ComponentChildren;
  save: (path: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [path, setPath] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const go = async (e: Event) => {
    e.preventDefault();
    const file = withPdfExtension(path);
    setSaved(null);
    setError(null);
    if (!file) {
      setError(t("fund.need_path"));
      return;
    }
    setPath(file);
    setBusy(true);
    try {
      await props.save(file);
      setSaved(file);
    } catch (x) {
      setError(toFailure(x).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={props.title} onCancel={props.onClose} testId={props.testId}>
      <form class="form" onSubmit={go} noValidate>
        {props.children}
        <div class="path-row">
          <Field label={t("reports.path")} error={error} wide>
            <input
              name="pdf_path"
              class="mono"
              value={path}
              placeholder={props.placeholder}
              onInput={(e) => setPath((e.target as HTMLInputElement).value)}
            />
          </Field>
        </div>
        {saved && (
          <p class="notice" data-testid="pdf-saved">
            {t("fund.pdf_saved", { path: saved })}
          </p>
        )}
        <div class="actions">
          <button type="button" onClick={props.onClose} data-testid="pdf-close">
            {t("common.close")}
          </button>
          <button type="submit" class="primary" disabled={busy || !path.trim()} data-testid="pdf-save">
            {t("fund.save_pdf")}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** A gift's receipt (ja and en on one page). */
export function ReceiptForm(props: { gift: Gift; onClose: () => void }) {
  const { t, lang } = useI18n();
  const g = props.gift;
  return (
    <PdfSave
      testId="receipt-form"
      title={t("fund.receipt_title", { no: g.receipt_no })}
      placeholder={receiptFileName(g.receipt_no)}
      save={(path) => api.giftReceiptSave(g.id, path)}
      onClose={props.onClose}
    >
      <p class="hint">{t("fund.receipt_hint", { donor: pick(lang, g.donor_name_ja, g.donor_name_en) })}</p>
    </PdfSave>
  );
}

/** A donor's annual statement of the gifts of one calendar year. */
export function StatementForm(props: { donor: FundDonor; onClose: () => void }) {
  const { t, lang } = useI18n();
  const d = props.donor;
  const [year, setYear] = useState(String(new Date().getFullYear()));
  return (
    <PdfSave
      testId="statement-form"
      title={t("fund.statement_title", { name: pick(lang, d.name_ja, d.name_en) })}
      placeholder={statementFileName(d.name_en, yearOf(year))}
      save={(path) => api.donorStatementSave(d.id, yearOf(year), path)}
      onClose={props.onClose}
    >
      <div class="form-grid">
        <Field label={t("fund.year")}>
          <input
            name="year"
            inputMode="numeric"
            value={year}
            onInput={(e) => setYear((e.target as HTMLInputElement).value)}
          />
        </Field>
      </div>
    </PdfSave>
  );
}

/** The typed year, or 0 (which the core refuses with its own message). */
function yearOf(typed: string): number {
  return /^\s*\d{4}\s*$/.test(typed) ? Number(typed.trim()) : 0;
}
