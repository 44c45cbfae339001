// The one door to the Rust shell: each function is one Tauri command, which
// is one core API call. Errors always arrive as an ApiFailure carrying the
// core's {code, message, field}; the UI switches on `code`, shows `message`.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { ApiError } from "./bindings/ApiError";
import type { AutoSync } from "./bindings/AutoSync";
import type { Choices } from "./bindings/Choices";
import type { Dashboard } from "./bindings/Dashboard";
import type { DoctorReport } from "./bindings/DoctorReport";
import type { GrantOverview } from "./bindings/GrantOverview";
import type { Installation } from "./bindings/Installation";
import type { Member } from "./bindings/Member";
import type { MemberInput } from "./bindings/MemberInput";
import type { MemberQuery } from "./bindings/MemberQuery";
import type { Office } from "./bindings/Office";
import type { OfficeInput } from "./bindings/OfficeInput";
import type { Page } from "./bindings/Page";
import type { RemovedRecord } from "./bindings/RemovedRecord";
import type { ReportProgress } from "./bindings/ReportProgress";
import type { ReportRequest } from "./bindings/ReportRequest";
import type { ReportSaved } from "./bindings/ReportSaved";
import type { Site } from "./bindings/Site";
import type { SiteInput } from "./bindings/SiteInput";
import type { SiteQuery } from "./bindings/SiteQuery";
import type { SyncStatus } from "./bindings/SyncStatus";

/** The shell's background sync, generated like the other types. */
export type { AutoSync };

/** Events the shell emits while syncing. */
export const SYNC_STATE_EVENT = "sync-state";
export const SYNC_PROGRESS_EVENT = "sync-progress";

export class ApiFailure extends Error {
  readonly code: string;
  readonly field: string | null;
  constructor(e: ApiError) {
    super(e.message);
    this.name = "ApiFailure";
    this.code = e.code;
    this.field = e.field;
  }
}

function isApiError(e: unknown): e is ApiError {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof (e as ApiError).code === "string" &&
    typeof (e as ApiError).message === "string"
  );
}

/** Anything thrown on the way (a core error, a missing command, a bridge
 * failure) becomes an ApiFailure, so callers handle one shape. */
export function toFailure(e: unknown): ApiFailure {
  if (e instanceof ApiFailure) return e;
  if (isApiError(e)) return new ApiFailure({ code: e.code, message: e.message, field: e.field ?? null });
  const message = e instanceof Error ? e.message : String(e);
  return new ApiFailure({ code: "bridge", message, field: null });
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toFailure(e);
  }
}

export const api = {
  startup: () => call<Installation | null>("startup"),
  init: (office: string) => call<Installation>("init", { office }),
  join: (invitePath: string, passphrase: string) => call<Installation>("join", { invitePath, passphrase }),
  invitePickPath: () => call<string | null>("invite_pick_path"),
  choices: () => call<Choices>("choices"),
  installation: () => call<Installation>("installation"),
  officeList: () => call<Office[]>("office_list"),
  officeAdd: (input: OfficeInput) => call<Office>("office_add", { input }),
  dashboard: () => call<Dashboard>("dashboard"),
  memberList: (query: MemberQuery) => call<Page<Member>>("member_list", { query }),
  memberShow: (id: string) => call<Member>("member_show", { id }),
  memberAdd: (input: MemberInput) => call<Member>("member_add", { input }),
  memberEdit: (id: string, input: MemberInput) => call<Member>("member_edit", { id, input }),
  memberRemove: (id: string) => call<null>("member_remove", { id }),
  siteList: (query: SiteQuery) => call<Page<Site>>("site_list", { query }),
  siteShow: (id: string) => call<Site>("site_show", { id }),
  siteAdd: (input: SiteInput) => call<Site>("site_add", { input }),
  siteEdit: (id: string, input: SiteInput) => call<Site>("site_edit", { id, input }),
  siteRemove: (id: string) => call<null>("site_remove", { id }),
  grantList: () => call<GrantOverview>("grant_list"),
  exportJsonSaveAs: () => call<string | null>("export_json_save_as"),
  reportPickPath: (fileName: string) => call<string | null>("report_pick_path", { fileName }),
  /** Writes the report to `path`; `onProgress` hears each stage as it happens. */
  reportSave: (request: ReportRequest, path: string, onProgress: (p: ReportProgress) => void) => {
    const channel = new Channel<ReportProgress>();
    channel.onmessage = onProgress;
    return call<ReportSaved>("report_save", { request, path, onProgress: channel });
  },
  languageGet: () => call<string | null>("language_get"),
  languageSet: (language: string) => call<null>("language_set", { language }),
  uiReady: (screen: string) => call<number>("ui_ready", { screen }),
  syncStatus: () => call<SyncStatus>("sync_status"),
  syncState: () => call<AutoSync>("sync_state"),
  syncHubSet: (url: string) => call<AutoSync>("sync_hub_set", { url }),
  syncNow: () => call<AutoSync>("sync_now"),
  syncRestore: (v: { table: string; rowId: string; column: string; hlc: number; origin: string }) =>
    call<null>("sync_restore", { ...v }),
  removedList: (table: string | null) => call<RemovedRecord[]>("removed_list", { table }),
  removedRestore: (id: string, table: string) => call<RemovedRecord>("removed_restore", { id, table }),
  doctor: () => call<DoctorReport>("doctor"),
  doctorRepair: () => call<DoctorReport>("doctor_repair"),
};

/** Latest-wins for lists fed by keystrokes: a slow answer to an older query
 * must never replace the rows of a newer one. */
export function latestOnly<A extends unknown[], T>(fn: (...a: A) => Promise<T>): (...a: A) => Promise<T | undefined> {
  let seq = 0;
  return async (...a: A) => {
    const mine = ++seq;
    const result = await fn(...a);
    return mine === seq ? result : undefined;
  };
}
