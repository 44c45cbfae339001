import { useI18n } from "../i18n";

export function ErrorBanner(props: { message: string | null }) {
  const { t } = useI18n();
  if (!props.message) return null;
  return (
    <div class="banner error" role="alert" data-testid="error-banner">
      {t("common.error", { message: props.message })}
    </div>
  );
}
