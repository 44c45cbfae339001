import { useState } from "preact/hooks";
import { useI18n } from "../i18n";
import { FundDistribute } from "./FundDistribute";
import { FundDonors } from "./FundDonors";
import { FundGifts } from "./FundGifts";
import { FundConversions, FundLedger } from "./FundLedger";

const TABS = ["donors", "gifts", "distribute", "conversions", "ledger"] as const;
type Tab = (typeof TABS)[number];

/** The pooled relief fund (HQ writes it; every office may read it): donors
 * and their gifts, distributions to members, conversions, and the ledger. */
export function FundScreen() {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>("donors");
  return (
    <section data-testid="fund">
      <h1>{t("fund.title")}</h1>
      <div class="tabs" role="tablist">
        {TABS.map((x) => (
          <button
            type="button"
            role="tab"
            aria-selected={tab === x}
            class={"tab" + (tab === x ? " active" : "")}
            data-tab={x}
            onClick={() => setTab(x)}
          >
            {t(`fund.tab.${x}`)}
          </button>
        ))}
      </div>
      {tab === "donors" && <FundDonors />}
      {tab === "gifts" && <FundGifts />}
      {tab === "distribute" && <FundDistribute />}
      {tab === "conversions" && <FundConversions />}
      {tab === "ledger" && <FundLedger />}
    </section>
  );
}
