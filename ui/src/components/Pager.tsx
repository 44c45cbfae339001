import { useI18n } from "../i18n";
import { formatCount } from "../format";

// Paging through a core Page<T>: only one page of rows ever crosses the bridge.
export function Pager(props: { total: number; offset: number; limit: number; onOffset: (o: number) => void }) {
  const { t, lang } = useI18n();
  const { total, offset, limit } = props;
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <div class="pager">
      <button type="button" disabled={offset === 0} onClick={() => props.onOffset(Math.max(0, offset - limit))}>
        {t("common.prev")}
      </button>
      <span data-testid="page-info">
        {t("common.page", {
          from: formatCount(from, lang),
          to: formatCount(to, lang),
          total: formatCount(total, lang),
        })}
      </span>
      <button type="button" disabled={to >= total} onClick={() => props.onOffset(offset + limit)}>
        {t("common.next")}
      </button>
    </div>
  );
}
