import { useI18n } from "../i18n";
import { ExportCards } from "./Exports";
import { ImportCard } from "./Import";

/** Spreadsheets in, standard files out. */
export function ExchangeScreen() {
  const { t } = useI18n();
  return (
    <section data-testid="exchange">
      <h1>{t("exchange.title")}</h1>
      <ImportCard />
      <ExportCards />
    </section>
  );
}
