// What the Sync screen and the dashboard say about syncing, kept apart from
// the components so the wording rules are unit-tested.
import type { AutoSync } from "./api";
import type { SyncProgress } from "./bindings/SyncProgress";
import { formatCount, formatDate } from "./format";
import { codeText, type Lang, translate } from "./i18n";

/** 0–100 when the stage's size is known, otherwise null (an indeterminate bar). */
export function progressPercent(p: SyncProgress): number | null {
  const total = p.total == null ? null : Number(p.total);
  if (total === null || total <= 0) return null;
  return Math.min(100, Math.round((Number(p.changes) / total) * 100));
}

export function progressText(p: SyncProgress, lang: Lang): string {
  const stage = codeText(lang, "sync.stage.", p.stage);
  const n = formatCount(Number(p.changes), lang);
  return p.total == null
    ? translate(lang, "sync.progress", { stage, n })
    : translate(lang, "sync.progress_of", { stage, n, total: formatCount(Number(p.total), lang) });
}

/** Local date and time of a UTC millisecond stamp, in the UI language. */
export function formatDateTime(ms: number, lang: Lang): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  const day = formatDate(`${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, lang);
  return `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `office:tono` → the office's name; `hub:URL` → "Hub URL". */
export function peerLabel(peer: string, lang: Lang): string {
  const [kind, ...rest] = peer.split(":");
  const value = rest.join(":");
  if (kind === "office") {
    return codeText(lang, "offices.", value);
  }
  if (kind === "hub") return translate(lang, "sync.peer_hub", { url: value });
  return peer;
}

/** A logged cell value as text: null shows as a dash. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return "—";
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** One line on the background sync: off, running, failing (and when it
 * tries again), or when it last succeeded. */
export function autoSyncLine(s: AutoSync, lang: Lang): string {
  if (!s.hub) return translate(lang, "sync.auto.off");
  if (s.running) return translate(lang, "sync.auto.running");
  if (s.last_error) {
    const retry = s.next_in_secs == null ? "" : " " + translate(lang, "sync.auto.retry", { s: s.next_in_secs });
    return translate(lang, "sync.auto.failed", { message: s.last_error.message }) + retry;
  }
  if (s.last_ok_at != null) return translate(lang, "sync.auto.ok", { when: formatDateTime(s.last_ok_at, lang) });
  return translate(lang, "sync.auto.waiting");
}
