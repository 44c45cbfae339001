// The one door to the Rust shell: each function is one Tauri command, which
// is one core API call. Errors always arrive as an ApiFailure carrying the
// core's {code, message, field}; the UI switches on `code`, shows `message`.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { ApiError } from "./bindings/ApiError";
import type { FieldProblem } from "./bindings/FieldProblem";
import type { AttendInput } from "./bindings/AttendInput";
import type { AttendeeCandidate } from "./bindings/AttendeeCandidate";
import type { AutoSync } from "./bindings/AutoSync";
import type { Choices } from "./bindings/Choices";
import type { Contact } from "./bindings/Contact";
import type { ContactInput } from "./bindings/ContactInput";
import type { Conversion } from "./bindings/Conversion";
import type { ConversionInput } from "./bindings/ConversionInput";
import type { CoordinationQuery } from "./bindings/CoordinationQuery";
import type { CoordinationStats } from "./bindings/CoordinationStats";
import type { Dashboard } from "./bindings/Dashboard";
import type { DirectoryQuery } from "./bindings/DirectoryQuery";
import type { Distribution } from "./bindings/Distribution";
import type { DistributionInput } from "./bindings/DistributionInput";
import type { DistributionQuery } from "./bindings/DistributionQuery";
import type { DoctorReport } from "./bindings/DoctorReport";
import type { DonorStatement } from "./bindings/DonorStatement";
import type { FollowUp } from "./bindings/FollowUp";
import type { FollowUpInput } from "./bindings/FollowUpInput";
import type { FundDonor } from "./bindings/FundDonor";
import type { FundDonorInput } from "./bindings/FundDonorInput";
import type { FundDonorQuery } from "./bindings/FundDonorQuery";
import type { FundTotals } from "./bindings/FundTotals";
import type { FundTotalsQuery } from "./bindings/FundTotalsQuery";
import type { Gift } from "./bindings/Gift";
import type { GiftInput } from "./bindings/GiftInput";
import type { GiftPage } from "./bindings/GiftPage";
import type { GiftQuery } from "./bindings/GiftQuery";
import type { GrantOverview } from "./bindings/GrantOverview";
import type { Installation } from "./bindings/Installation";
import type { Ledger } from "./bindings/Ledger";
import type { LedgerQuery } from "./bindings/LedgerQuery";
import type { ListExport } from "./bindings/ListExport";
import type { ListExportRequest } from "./bindings/ListExportRequest";
import type { Narrative } from "./bindings/Narrative";
import type { NarrativeInput } from "./bindings/NarrativeInput";
import type { ListReach } from "./bindings/ListReach";
import type { MailingList } from "./bindings/MailingList";
import type { MailingListInput } from "./bindings/MailingListInput";
import type { Match } from "./bindings/Match";
import type { MatchConflict } from "./bindings/MatchConflict";
import type { MatchProposal } from "./bindings/MatchProposal";
import type { MatchQuery } from "./bindings/MatchQuery";
import type { MatchStep } from "./bindings/MatchStep";
import type { MatchingQuery } from "./bindings/MatchingQuery";
import type { MatchingStats } from "./bindings/MatchingStats";
import type { Meeting } from "./bindings/Meeting";
import type { MeetingDetail } from "./bindings/MeetingDetail";
import type { MeetingInput } from "./bindings/MeetingInput";
import type { MeetingQuery } from "./bindings/MeetingQuery";
import type { Member } from "./bindings/Member";
import type { MemberRemoved } from "./bindings/MemberRemoved";
import type { Municipality } from "./bindings/Municipality";
import type { MemberInput } from "./bindings/MemberInput";
import type { MemberQuery } from "./bindings/MemberQuery";
import type { Need } from "./bindings/Need";
import type { NeedDetail } from "./bindings/NeedDetail";
import type { NeedInput } from "./bindings/NeedInput";
import type { NeedQuery } from "./bindings/NeedQuery";
import type { NetworkMembership } from "./bindings/NetworkMembership";
import type { NetworkMembershipInput } from "./bindings/NetworkMembershipInput";
import type { Offer } from "./bindings/Offer";
import type { OfferDetail } from "./bindings/OfferDetail";
import type { OfferInput } from "./bindings/OfferInput";
import type { OfferQuery } from "./bindings/OfferQuery";
import type { Office } from "./bindings/Office";
import type { OfficeInput } from "./bindings/OfficeInput";
import type { Organisation } from "./bindings/Organisation";
import type { OrganisationInput } from "./bindings/OrganisationInput";
import type { Page } from "./bindings/Page";
import type { Recommendation } from "./bindings/Recommendation";
import type { RecommendationInput } from "./bindings/RecommendationInput";
import type { RemovedRecord } from "./bindings/RemovedRecord";
import type { ReportProgress } from "./bindings/ReportProgress";
import type { ReportRequest } from "./bindings/ReportRequest";
import type { ReportSaved } from "./bindings/ReportSaved";
import type { Site } from "./bindings/Site";
import type { SiteInput } from "./bindings/SiteInput";
import type { SiteQuery } from "./bindings/SiteQuery";
import type { Subscription } from "./bindings/Subscription";
import type { Suggestion } from "./bindings/Suggestion";
import type { SuggestionQuery } from "./bindings/SuggestionQuery";
import type { SyncStatus } from "./bindings/SyncStatus";
import type { BudgetLine } from "./bindings/BudgetLine";
import type { BudgetLineEdit } from "./bindings/BudgetLineEdit";
import type { BudgetLineInput } from "./bindings/BudgetLineInput";
import type { Donor } from "./bindings/Donor";
import type { Expenditure } from "./bindings/Expenditure";
import type { ExpenditureEdit } from "./bindings/ExpenditureEdit";
import type { ExpenditureInput } from "./bindings/ExpenditureInput";
import type { GrantDetail } from "./bindings/GrantDetail";
import type { GrantEdit } from "./bindings/GrantEdit";
import type { GrantInput } from "./bindings/GrantInput";
import type { PhaseDetail } from "./bindings/PhaseDetail";
import type { PhaseInput } from "./bindings/PhaseInput";
import type { ReportDue } from "./bindings/ReportDue";
import type { ReportDueInput } from "./bindings/ReportDueInput";
import type { Tranche } from "./bindings/Tranche";
import type { TrancheInput } from "./bindings/TrancheInput";
import type { BackupFile } from "./bindings/BackupFile";
import type { BackupSaved } from "./bindings/BackupSaved";
import type { ExportSaved } from "./bindings/ExportSaved";
import type { HeaderField } from "./bindings/HeaderField";
import type { HxlExportRequest } from "./bindings/HxlExportRequest";
import type { IatiExportRequest } from "./bindings/IatiExportRequest";
import type { ImportField } from "./bindings/ImportField";
import type { ImportKind } from "./bindings/ImportKind";
import type { ImportProgress } from "./bindings/ImportProgress";
import type { ImportReport } from "./bindings/ImportReport";
import type { ImportRequest } from "./bindings/ImportRequest";
import type { ListSheetRequest } from "./bindings/ListSheetRequest";
import type { RestorePlan } from "./bindings/RestorePlan";
import type { RestoreReport } from "./bindings/RestoreReport";
import type { TableExportRequest } from "./bindings/TableExportRequest";

/** The shell's background sync, generated like the other types. */
export type { AutoSync };

/** Events the shell emits while syncing. */
export const SYNC_STATE_EVENT = "sync-state";
export const SYNC_PROGRESS_EVENT = "sync-progress";

export class ApiFailure extends Error {
  readonly code: string;
  readonly field: string | null;
  /** Every field that failed, with its reason (the core reports them all at once). */
  readonly problems: FieldProblem[];
  constructor(e: ApiError) {
    super(e.message);
    this.name = "ApiFailure";
    this.code = e.code;
    this.field = e.field;
    this.problems = e.problems;
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
  if (isApiError(e))
    return new ApiFailure({ code: e.code, message: e.message, field: e.field ?? null, problems: e.problems ?? [] });
  const message = e instanceof Error ? e.message : String(e);
  return new ApiFailure({ code: "bridge", message, field: null, problems: [] });
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
  /** A file to open (any file when `extensions` is empty); null when cancelled. */
  pickOpenPath: (extensions: string[]) => call<string | null>("pick_open_path", { extensions }),
  /** Where to save, suggesting `fileName`; null when cancelled. */
  pickSavePath: (fileName: string, extensions: string[]) =>
    call<string | null>("pick_save_path", { fileName, extensions }),
  choices: () => call<Choices>("choices"),
  installation: () => call<Installation>("installation"),
  officeList: () => call<Office[]>("office_list"),
  officeAdd: (input: OfficeInput) => call<Office>("office_add", { input }),
  dashboard: () => call<Dashboard>("dashboard"),
  memberList: (query: MemberQuery) => call<Page<Member>>("member_list", { query }),
  memberShow: (id: string) => call<Member>("member_show", { id }),
  memberAdd: (input: MemberInput) => call<Member>("member_add", { input }),
  memberEdit: (id: string, input: MemberInput) => call<Member>("member_edit", { id, input }),
  memberRemove: (id: string, cascade: boolean) => call<MemberRemoved>("member_remove", { id, cascade }),
  siteList: (query: SiteQuery) => call<Page<Site>>("site_list", { query }),
  siteShow: (id: string) => call<Site>("site_show", { id }),
  siteAdd: (input: SiteInput) => call<Site>("site_add", { input }),
  siteEdit: (id: string, input: SiteInput) => call<Site>("site_edit", { id, input }),
  siteRemove: (id: string) => call<null>("site_remove", { id }),
  grantList: () => call<GrantOverview>("grant_list"),
  exportJson: (path: string) => call<ExportSaved>("export_json", { path }),
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
  meetingList: (query: MeetingQuery) => call<Page<Meeting>>("meeting_list", { query }),
  meetingShow: (id: string) => call<MeetingDetail>("meeting_show", { id }),
  meetingAdd: (input: MeetingInput) => call<MeetingDetail>("meeting_add", { input }),
  meetingEdit: (id: string, input: MeetingInput) => call<MeetingDetail>("meeting_edit", { id, input }),
  meetingRemove: (id: string) => call<null>("meeting_remove", { id }),
  meetingAttend: (meetingId: string, input: AttendInput) => call<MeetingDetail>("meeting_attend", { meetingId, input }),
  meetingUnattend: (meetingId: string, attendee: string) =>
    call<MeetingDetail>("meeting_unattend", { meetingId, attendee }),
  attendeeSearch: (typed: string, limit?: number) =>
    call<AttendeeCandidate[]>("attendee_search", { typed, limit: limit ?? null }),
  followUpAdd: (meetingId: string, input: FollowUpInput) => call<FollowUp>("follow_up_add", { meetingId, input }),
  followUpShow: (id: string) => call<FollowUp>("follow_up_show", { id }),
  followUpEdit: (id: string, input: FollowUpInput) => call<FollowUp>("follow_up_edit", { id, input }),
  followUpRemove: (id: string) => call<null>("follow_up_remove", { id }),
  coordinationStats: (query: CoordinationQuery) => call<CoordinationStats>("coordination_stats", { query }),
  organisationList: (query: DirectoryQuery) => call<Page<Organisation>>("organisation_list", { query }),
  organisationShow: (id: string) => call<Organisation>("organisation_show", { id }),
  organisationAdd: (input: OrganisationInput) => call<Organisation>("organisation_add", { input }),
  organisationEdit: (id: string, input: OrganisationInput) => call<Organisation>("organisation_edit", { id, input }),
  organisationRemove: (id: string) => call<null>("organisation_remove", { id }),
  contactList: (query: DirectoryQuery) => call<Page<Contact>>("contact_list", { query }),
  contactShow: (id: string) => call<Contact>("contact_show", { id }),
  contactAdd: (input: ContactInput) => call<Contact>("contact_add", { input }),
  contactEdit: (id: string, input: ContactInput) => call<Contact>("contact_edit", { id, input }),
  contactRemove: (id: string) => call<null>("contact_remove", { id }),
  listList: () => call<MailingList[]>("list_list"),
  listShow: (id: string) => call<MailingList>("list_show", { id }),
  listAdd: (input: MailingListInput) => call<MailingList>("list_add", { input }),
  listEdit: (id: string, input: MailingListInput) => call<MailingList>("list_edit", { id, input }),
  listRemove: (id: string) => call<null>("list_remove", { id }),
  listSubscriptions: (listId: string) => call<Subscription[]>("list_subscriptions", { listId }),
  listSubscribe: (listId: string, contacts: string[], on: string | null = null) =>
    call<Subscription[]>("list_subscribe", { listId, contacts, on }),
  listUnsubscribe: (listId: string, contactId: string, on: string | null = null) =>
    call<Subscription>("list_unsubscribe", { listId, contactId, on }),
  listBounce: (listId: string, contactId: string, bounced: boolean) =>
    call<Subscription>("list_bounce", { listId, contactId, bounced }),
  listExport: (request: ListExportRequest) => call<ListExport>("list_export", { request }),
  /** Writes the export to `path` (absolute, with the format's extension). */
  listExportSave: (request: ListExportRequest, path: string) => call<ListExport>("list_export_save", { request, path }),
  listReach: (from: string | null, to: string | null) => call<ListReach[]>("list_reach", { from, to }),
  recommendationList: (search: string | null, status: string | null) =>
    call<Recommendation[]>("recommendation_list", { search, status }),
  recommendationShow: (id: string) => call<Recommendation>("recommendation_show", { id }),
  recommendationAdd: (input: RecommendationInput) => call<Recommendation>("recommendation_add", { input }),
  recommendationEdit: (id: string, input: RecommendationInput) =>
    call<Recommendation>("recommendation_edit", { id, input }),
  recommendationRemove: (id: string) => call<null>("recommendation_remove", { id }),
  networkList: () => call<NetworkMembership[]>("network_list"),
  networkShow: (id: string) => call<NetworkMembership>("network_show", { id }),
  networkAdd: (input: NetworkMembershipInput) => call<NetworkMembership>("network_add", { input }),
  networkEdit: (id: string, input: NetworkMembershipInput) => call<NetworkMembership>("network_edit", { id, input }),
  networkRemove: (id: string) => call<null>("network_remove", { id }),
  donorList: (query: FundDonorQuery) => call<Page<FundDonor>>("donor_list", { query }),
  donorShow: (id: string) => call<FundDonor>("donor_show", { id }),
  donorAdd: (input: FundDonorInput) => call<FundDonor>("donor_add", { input }),
  donorEdit: (id: string, input: FundDonorInput) => call<FundDonor>("donor_edit", { id, input }),
  donorRemove: (id: string) => call<null>("donor_remove", { id }),
  giftList: (query: GiftQuery) => call<GiftPage>("gift_list", { query }),
  giftShow: (id: string) => call<Gift>("gift_show", { id }),
  giftAdd: (input: GiftInput) => call<Gift>("gift_add", { input }),
  giftEdit: (id: string, input: GiftInput) => call<Gift>("gift_edit", { id, input }),
  giftRemove: (id: string) => call<null>("gift_remove", { id }),
  /** Writes the gift's receipt PDF to `path` (absolute, ending in .pdf). */
  giftReceiptSave: (id: string, path: string) => call<null>("gift_receipt_save", { id, path }),
  donorStatement: (donor: string, year: number) => call<DonorStatement>("donor_statement", { donor, year }),
  /** Writes the donor's annual statement PDF to `path` (absolute, ending in .pdf). */
  donorStatementSave: (donor: string, year: number, path: string) =>
    call<null>("donor_statement_save", { donor, year, path }),
  /** With `dry_run` the split is computed and nothing is written. */
  distribute: (input: DistributionInput) => call<Distribution>("distribute", { input }),
  distributionShow: (id: string) => call<Distribution>("distribution_show", { id }),
  distributionList: (query: DistributionQuery) => call<Distribution[]>("distribution_list", { query }),
  distributionRemove: (id: string) => call<null>("distribution_remove", { id }),
  convert: (input: ConversionInput) => call<Conversion>("convert", { input }),
  conversionList: () => call<Conversion[]>("conversion_list"),
  conversionRemove: (id: string) => call<null>("conversion_remove", { id }),
  fundLedger: (query: LedgerQuery) => call<Ledger>("fund_ledger", { query }),
  fundTotals: (query: FundTotalsQuery) => call<FundTotals>("fund_totals", { query }),
  offerList: (query: OfferQuery) => call<Page<Offer>>("offer_list", { query }),
  offerShow: (id: string) => call<OfferDetail>("offer_show", { id }),
  offerAdd: (input: OfferInput) => call<OfferDetail>("offer_add", { input }),
  offerEdit: (id: string, input: OfferInput) => call<OfferDetail>("offer_edit", { id, input }),
  offerRemove: (id: string) => call<null>("offer_remove", { id }),
  needList: (query: NeedQuery) => call<Page<Need>>("need_list", { query }),
  needShow: (id: string) => call<NeedDetail>("need_show", { id }),
  needAdd: (input: NeedInput) => call<NeedDetail>("need_add", { input }),
  needEdit: (id: string, input: NeedInput) => call<NeedDetail>("need_edit", { id, input }),
  needRemove: (id: string) => call<null>("need_remove", { id }),
  /** Offers for a need, best first, each with its score and reasons. */
  needSuggest: (needId: string, query: SuggestionQuery = {}) => call<Suggestion[]>("need_suggest", { needId, query }),
  /** Needs for an offer, best first. */
  offerSuggest: (offerId: string, query: SuggestionQuery = {}) =>
    call<Suggestion[]>("offer_suggest", { offerId, query }),
  matchPropose: (proposal: MatchProposal) => call<Match>("match_propose", { proposal }),
  matchAccept: (id: string, step: MatchStep) => call<Match>("match_accept", { id, step }),
  matchDeliver: (id: string, step: MatchStep) => call<Match>("match_deliver", { id, step }),
  matchDecline: (id: string, step: MatchStep) => call<Match>("match_decline", { id, step }),
  matchCancel: (id: string, step: MatchStep) => call<Match>("match_cancel", { id, step }),
  matchReduce: (id: string, quantity: number) => call<Match>("match_reduce", { id, quantity }),
  matchShow: (id: string) => call<Match>("match_show", { id }),
  matchList: (query: MatchQuery) => call<Page<Match>>("match_list", { query }),
  /** Over-committed offers with their competing matches, the most over first. */
  matchConflicts: () => call<MatchConflict[]>("match_conflicts"),
  matchingStats: (query: MatchingQuery) => call<MatchingStats>("matching_stats", { query }),
  /** The JIS X 0402 municipalities of a prefecture, by code (the site form's type-ahead). */
  municipalityList: (prefecture: string) => call<Municipality[]>("municipality_list", { prefecture }),
  grantDonors: () => call<Donor[]>("grant_donors"),
  grantAdd: (input: GrantInput) => call<GrantDetail>("grant_add", { input }),
  grantEdit: (id: string, input: GrantEdit) => call<GrantDetail>("grant_edit", { id, input }),
  phaseAdd: (input: PhaseInput) => call<PhaseDetail>("phase_add", { input }),
  phaseEdit: (id: string, input: PhaseInput) => call<PhaseDetail>("phase_edit", { id, input }),
  trancheAdd: (input: TrancheInput) => call<Tranche>("tranche_add", { input }),
  trancheEdit: (id: string, input: TrancheInput) => call<Tranche>("tranche_edit", { id, input }),
  trancheRemove: (id: string) => call<null>("tranche_remove", { id }),
  reportDueAdd: (input: ReportDueInput) => call<ReportDue>("report_due_add", { input }),
  reportDueEdit: (id: string, input: ReportDueInput) => call<ReportDue>("report_due_edit", { id, input }),
  reportDueRemove: (id: string) => call<null>("report_due_remove", { id }),
  budgetLineAdd: (input: BudgetLineInput) => call<BudgetLine>("budget_line_add", { input }),
  budgetLineEdit: (id: string, input: BudgetLineEdit) => call<BudgetLine>("budget_line_edit", { id, input }),
  /** `withExpenditures` once the person confirmed removing the line's expenditures too. */
  budgetLineRemove: (id: string, withExpenditures: boolean) =>
    call<null>("budget_line_remove", { id, withExpenditures }),
  expenditureAdd: (input: ExpenditureInput) => call<Expenditure>("expenditure_add", { input }),
  expenditureEdit: (id: string, input: ExpenditureEdit) => call<Expenditure>("expenditure_edit", { id, input }),
  expenditureRemove: (id: string) => call<null>("expenditure_remove", { id }),
  /** The period's narrative and sign-off; null when none is recorded yet. */
  narrativeFind: (phaseId: string, periodStart: string | null, periodEnd: string | null) =>
    call<Narrative | null>("narrative_find", { phaseId, periodStart, periodEnd }),
  narrativeSet: (input: NarrativeInput) => call<Narrative>("narrative_set", { input }),
  importFields: (kind: ImportKind) => call<ImportField[]>("import_fields", { kind }),
  importMapping: (kind: ImportKind) => call<HeaderField[]>("import_mapping", { kind }),
  importMappingSave: (kind: ImportKind, mapping: HeaderField[]) =>
    call<HeaderField[]>("import_mapping_save", { kind, mapping }),
  /** A dry run or a commit; `onProgress` hears each stage of a long file. */
  importRun: (request: ImportRequest, onProgress: (p: ImportProgress) => void) => {
    const channel = new Channel<ImportProgress>();
    channel.onmessage = onProgress;
    return call<ImportReport>("import_run", { request, onProgress: channel });
  },
  exportTable: (request: TableExportRequest) => call<ExportSaved>("export_table", { request }),
  /** A list screen's rows, with its filters, as a spreadsheet. */
  listSheet: (request: ListSheetRequest) => call<ExportSaved>("list_sheet", { request }),
  exportHxl: (request: HxlExportRequest) => call<ExportSaved>("export_hxl", { request }),
  exportIati: (request: IatiExportRequest) => call<ExportSaved>("export_iati", { request }),
  backupSave: (path: string) => call<BackupSaved>("backup_save", { path }),
  backupList: () => call<BackupFile[]>("backup_list"),
  /** What restoring would discard; changes nothing. */
  restoreCheck: (path: string) => call<RestorePlan>("restore_check", { path }),
  restore: (path: string, force: boolean) => call<RestoreReport>("restore", { path, force }),
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
