import { useEffect, useState } from "preact/hooks";
import { api, toFailure } from "../api";
import { useApp } from "../app-context";
import type { Installation } from "../bindings/Installation";
import type { Office } from "../bindings/Office";
import { ErrorBanner } from "../components/ErrorBanner";
import { codeText, LANGS, pick, useI18n } from "../i18n";
import { BackupCard } from "./Backup";
import { JoinNetwork } from "./FirstStart";
import { OfficesCard } from "./Offices";

export function SettingsScreen(props: { installation: Installation }) {
  const { t, lang } = useI18n();
  const { setLang } = useApp();
  const [offices, setOffices] = useState<Office[]>([]);
  const [error, setError] = useState<string | null>(null);
  // A field office started without an invite can join later, keeping its data.
  const [unenrolled, setUnenrolled] = useState(false);
  const [joined, setJoined] = useState(false);
  const inst = props.installation;

  useEffect(() => {
    api.syncStatus().then(
      (s) => setUnenrolled(!s.enrolled && inst.office !== "tokyo"),
      () => setUnenrolled(false),
    );
  }, [joined]);

  useEffect(() => {
    api.officeList().then(
      (list) => setOffices(list),
      (e) => setError(toFailure(e).message),
    );
  }, []);

  const office = offices.find((o) => o.code === inst.office) ?? null;

  return (
    <section data-testid="settings">
      <h1>{t("settings.title")}</h1>
      <ErrorBanner message={error} />
      <fieldset class="card">
        <legend>{t("settings.language")}</legend>
        {LANGS.map((l) => (
          <label class="choice">
            <input
              type="radio"
              name="language"
              value={l}
              checked={lang === l}
              onChange={() => setLang(l)}
              data-lang={l}
            />
            {t(`lang.${l}`)}
          </label>
        ))}
      </fieldset>
      <fieldset class="card">
        <legend>{t("settings.office")}</legend>
        <dl class="details">
          <dt>{t("settings.office_name")}</dt>
          <dd data-testid="settings-office">
            {office ? pick(lang, office.name_ja, office.name_en) : codeText(lang, "offices.", inst.office)}
          </dd>
          <dt>{t("settings.installation_id")}</dt>
          <dd class="mono">{inst.installation_id}</dd>
          <dt>{t("settings.data_dir")}</dt>
          <dd class="mono" data-testid="settings-data-dir">
            {inst.data_dir}
          </dd>
          <dt>{t("settings.database")}</dt>
          <dd class="mono">{inst.database}</dd>
          <dt>{t("settings.schema")}</dt>
          <dd>{Number(inst.schema_version)}</dd>
        </dl>
      </fieldset>
      {(unenrolled || joined) && (
        <fieldset class="card" data-testid="settings-join">
          <legend>{t("settings.join")}</legend>
          {joined ? (
            <p class="notice" data-testid="settings-joined">
              {t("settings.joined")}
            </p>
          ) : (
            <>
              <p class="hint">{t("settings.join_hint")}</p>
              <JoinNetwork onDone={() => setJoined(true)} />
            </>
          )}
        </fieldset>
      )}
      <OfficesCard
        offices={offices}
        onAdded={() => void api.officeList().then(setOffices, (e) => setError(toFailure(e).message))}
      />
      <BackupCard />
    </section>
  );
}
