//! The window's commands. Each one is a thin wrapper over one core API call;
//! errors cross as `ApiError {code, message, field}`. Async so that a slow
//! query never runs on the thread that paints the window.

use kizuna_core::api::ListSheetRequest;
use kizuna_core::api::doctor::DoctorReport;
use kizuna_core::api::removed::RemovedRecord;
use kizuna_core::api::{BackupFile, BackupSaved, RestorePlan, RestoreReport};
use kizuna_core::api::{Choices, InitOptions, Installation, MemberRemoved};
use kizuna_core::api::{Dashboard, choices as core_choices};
use kizuna_core::api::{ExportSaved, HxlExportRequest, IatiExportRequest, TableExportRequest, TableFormat};
use kizuna_core::api::{HeaderField, ImportField, ImportKind, ImportProgress, ImportReport, ImportRequest};
use kizuna_core::api::{ReportProgress, ReportRequest, ReportSaved};
use kizuna_core::model::Page;
use kizuna_core::model::advocacy::{NetworkMembership, NetworkMembershipInput, Recommendation, RecommendationInput};
use kizuna_core::model::directory::{
    AttendeeCandidate, Contact, ContactInput, DirectoryQuery, Organisation, OrganisationInput,
};
use kizuna_core::model::fund::{
    Conversion, ConversionInput, Distribution, DistributionInput, DistributionQuery, DonorStatement, FundDonor,
    FundDonorInput, FundDonorQuery, FundTotals, FundTotalsQuery, Gift, GiftInput, GiftPage, GiftQuery, Ledger,
    LedgerQuery,
};
use kizuna_core::model::grant::GrantOverview;
use kizuna_core::model::grant::{
    BudgetLine, BudgetLineInput, Donor, Expenditure, ExpenditureInput, GrantDetail, PhaseDetail,
};
use kizuna_core::model::grant_desk::{
    BudgetLineEdit, ExpenditureEdit, GrantEdit, GrantInput, PhaseInput, ReportDue, ReportDueInput, Tranche,
    TrancheInput,
};
use kizuna_core::model::mailing::{
    ListExport, ListExportRequest, ListFormat, ListReach, MailingList, MailingListInput, Subscription,
};
use kizuna_core::model::matching::{
    Match, MatchConflict, MatchProposal, MatchQuery, MatchStep, MatchingQuery, MatchingStats, Need, NeedDetail,
    NeedInput, NeedQuery, Offer, OfferDetail, OfferInput, OfferQuery,
};
use kizuna_core::model::meeting::{
    AttendInput, CoordinationQuery, CoordinationStats, FollowUp, FollowUpInput, Meeting, MeetingDetail, MeetingInput,
    MeetingQuery,
};
use kizuna_core::model::member::{Member, MemberInput, MemberQuery};
use kizuna_core::model::narrative::{Narrative, NarrativeInput};
use kizuna_core::model::office::{Office, OfficeInput};
use kizuna_core::model::site::{Site, SiteInput, SiteQuery};
use kizuna_core::model::suggestion::{Suggestion, SuggestionQuery};
use kizuna_core::municipality::Municipality;
use kizuna_core::sync::SyncStatus;
use kizuna_core::{ApiError, Error, Kizuna};
use tauri::ipc::Channel;
use tauri::{AppHandle, State, Wry};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

use crate::paths;
use crate::settings;
use crate::state::AppState;
use crate::sync::{AutoSync, SyncWorker};

type Res<T> = Result<T, ApiError>;

/// A local write that committed is synced soon after.
fn wrote<T>(sync: &SyncWorker, r: Res<T>) -> Res<T> {
    if r.is_ok() {
        sync.after_write();
    }
    r
}

/// This installation, or `null` when the first-start screen must ask for
/// the office. An unreadable database is an error, not a first start.
#[tauri::command]
pub async fn startup(state: State<'_, AppState>) -> Res<Option<Installation>> {
    if let Some(e) = &state.open_error {
        return Err(e.clone());
    }
    if !state.is_open() {
        return Ok(None);
    }
    state.with(|k| k.installation()).map(Some)
}

#[tauri::command]
pub async fn init(state: State<'_, AppState>, office: String) -> Res<Installation> {
    if state.is_open() {
        return Err(Error::AlreadyInitialised { path: state.data_dir.display().to_string() }.to_api());
    }
    let k = Kizuna::init(&state.data_dir, &InitOptions { office: Some(office), empty: None })?;
    let installation = k.installation()?;
    log::info!("initialised {} as office {}", installation.data_dir, installation.office);
    state.set(k);
    Ok(installation)
}

/// Joins the network with HQ's invite file, opened with the passphrase HQ
/// read out. A wrong passphrase or an altered file creates nothing. An open
/// database of this office that is not enrolled yet (started on the
/// first-start screen without an invite) is adopted with its data, from
/// Settings; an enrolled one is refused by the core.
#[tauri::command]
pub async fn join(state: State<'_, AppState>, invite_path: String, passphrase: String) -> Res<Installation> {
    let k = Kizuna::join_file(&state.data_dir, std::path::Path::new(invite_path.trim()), &passphrase)?;
    let installation = k.installation()?;
    log::info!("joined the network as office {} in {}", installation.office, installation.data_dir);
    state.set(k);
    Ok(installation)
}

fn filtered(dialog: FileDialogBuilder<Wry>, extensions: &[String]) -> FileDialogBuilder<Wry> {
    if extensions.is_empty() {
        return dialog;
    }
    let exts: Vec<&str> = extensions.iter().map(String::as_str).collect();
    dialog.add_filter(extensions.join(", ").to_uppercase(), &exts)
}

/// Asks which file to open, offering `extensions` (any file when empty);
/// `null` when the person cancels. The pickers only answer a path, which the
/// page may also take typed (as the e2e tests do: they cannot drive a native
/// dialog); the command that then reads or writes checks it.
#[tauri::command]
pub async fn pick_open_path(app: AppHandle, extensions: Vec<String>) -> Res<Option<String>> {
    let Some(picked) = filtered(app.dialog().file(), &extensions).blocking_pick_file() else { return Ok(None) };
    let path = picked.into_path().map_err(|e| Error::invalid("path", e.to_string()).to_api())?;
    Ok(Some(path.display().to_string()))
}

/// Asks where to save, suggesting `file_name`, offering `extensions`; `null`
/// when the person cancels.
#[tauri::command]
pub async fn pick_save_path(app: AppHandle, file_name: String, extensions: Vec<String>) -> Res<Option<String>> {
    let dialog = filtered(app.dialog().file(), &extensions).set_file_name(&file_name);
    let Some(picked) = dialog.blocking_save_file() else { return Ok(None) };
    let path = picked.into_path().map_err(|e| Error::invalid("path", e.to_string()).to_api())?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command]
pub async fn choices() -> Choices {
    core_choices()
}

#[tauri::command]
pub async fn installation(state: State<'_, AppState>) -> Res<Installation> {
    state.with(|k| k.installation())
}

#[tauri::command]
pub async fn office_list(state: State<'_, AppState>) -> Res<Vec<Office>> {
    state.with(|k| k.office_list())
}

/// HQ only: adds an office to the network (the core refuses other offices).
#[tauri::command]
pub async fn office_add(state: State<'_, AppState>, sync: State<'_, SyncWorker>, input: OfficeInput) -> Res<Office> {
    wrote(&sync, state.with(|k| k.office_add(&input)))
}

#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>) -> Res<Dashboard> {
    state.with(|k| k.dashboard())
}

#[tauri::command]
pub async fn member_list(state: State<'_, AppState>, query: MemberQuery) -> Res<Page<Member>> {
    state.with(|k| k.member_list(&query))
}

#[tauri::command]
pub async fn member_show(state: State<'_, AppState>, id: String) -> Res<Member> {
    state.with(|k| k.member_show(&id))
}

#[tauri::command]
pub async fn member_add(state: State<'_, AppState>, sync: State<'_, SyncWorker>, input: MemberInput) -> Res<Member> {
    wrote(&sync, state.with(|k| k.member_add(&input)))
}

#[tauri::command]
pub async fn member_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: MemberInput,
) -> Res<Member> {
    wrote(&sync, state.with(|k| k.member_edit(&id, &input)))
}

/// `cascade`: the person confirmed that the member's sites go with it.
#[tauri::command]
pub async fn member_remove(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    cascade: Option<bool>,
) -> Res<MemberRemoved> {
    wrote(&sync, state.with(|k| k.member_remove(&id, cascade.unwrap_or(false))))
}

#[tauri::command]
pub async fn site_list(state: State<'_, AppState>, query: SiteQuery) -> Res<Page<Site>> {
    state.with(|k| k.site_list(&query))
}

#[tauri::command]
pub async fn site_show(state: State<'_, AppState>, id: String) -> Res<Site> {
    state.with(|k| k.site_show(&id))
}

#[tauri::command]
pub async fn site_add(state: State<'_, AppState>, sync: State<'_, SyncWorker>, input: SiteInput) -> Res<Site> {
    wrote(&sync, state.with(|k| k.site_add(&input)))
}

#[tauri::command]
pub async fn site_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: SiteInput,
) -> Res<Site> {
    wrote(&sync, state.with(|k| k.site_edit(&id, &input)))
}

#[tauri::command]
pub async fn site_remove(state: State<'_, AppState>, sync: State<'_, SyncWorker>, id: String) -> Res<()> {
    wrote(&sync, state.with(|k| k.site_remove(&id)))
}

#[tauri::command]
pub async fn grant_list(state: State<'_, AppState>) -> Res<GrantOverview> {
    state.with(|k| k.grant_list())
}

/// Writes the canonical JSON export of the shared records to `path` (see `paths`).
#[tauri::command]
pub async fn export_json(state: State<'_, AppState>, path: String) -> Res<ExportSaved> {
    let path = paths::checked(&path, &["json"])?;
    state.with(|k| k.export_json_to(&path))
}

/// Makes a report and writes it to `path` (see `paths`), telling the window
/// how far it got.
#[tauri::command]
pub async fn report_save(
    state: State<'_, AppState>,
    request: ReportRequest,
    path: String,
    on_progress: Channel<ReportProgress>,
) -> Res<ReportSaved> {
    let path = paths::checked(&path, &["pdf"])?;
    // A window closed mid-report only stops listening; the file is still written.
    state.with(|k| {
        k.report_save(&request, &path, &mut |p| {
            let _ = on_progress.send(p.clone());
        })
    })
}

/// The saved UI language, `null` before anyone chose one.
#[tauri::command]
pub async fn language_get(state: State<'_, AppState>) -> Res<Option<String>> {
    Ok(settings::load(&state.data_dir).language)
}

#[tauri::command]
pub async fn language_set(state: State<'_, AppState>, language: String) -> Res<()> {
    settings::save_language(&state.data_dir, &language)
}

/// Called by the UI once the first screen is painted and answers input;
/// logs (and returns) the milliseconds since the process started, the
/// figure the cold-start target is measured by.
#[tauri::command]
pub async fn ui_ready(state: State<'_, AppState>, screen: String) -> Res<u64> {
    let ms = state.started.elapsed().as_millis() as u64;
    crate::webview::trim();
    log::info!("ready: {screen} interactive {ms} ms after process start");
    Ok(ms)
}

/// Changes not yet sent, peers, quarantine and overwritten values.
#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> Res<SyncStatus> {
    state.with(|k| k.sync_status())
}

/// The background sync: hub, running, last result, next attempt.
#[tauri::command]
pub async fn sync_state(sync: State<'_, SyncWorker>) -> Res<AutoSync> {
    Ok(sync.state())
}

/// Saves the hub address (blank: no hub) and syncs with it at once.
#[tauri::command]
pub async fn sync_hub_set(state: State<'_, AppState>, sync: State<'_, SyncWorker>, url: String) -> Res<AutoSync> {
    let hub = settings::save_hub_url(&state.data_dir, &url)?;
    sync.set_hub(hub);
    Ok(sync.state())
}

/// "Sync now": returns at once; progress and the outcome arrive as events.
#[tauri::command]
pub async fn sync_now(sync: State<'_, SyncWorker>) -> Res<AutoSync> {
    sync.now();
    Ok(sync.state())
}

/// Writes a value that lost a conflict again, as a new local edit.
#[tauri::command]
pub async fn sync_restore(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    table: String,
    row_id: String,
    column: String,
    hlc: i64,
    origin: String,
) -> Res<()> {
    wrote(&sync, state.with(|k| k.restore_overwritten(&table, &row_id, &column, hlc, &origin)))
}

/// Removed records of one table (`null`: every table), most recent first.
#[tauri::command]
pub async fn removed_list(state: State<'_, AppState>, table: Option<String>) -> Res<Vec<RemovedRecord>> {
    state.with(|k| k.removed_list(table.as_deref()))
}

/// Brings a removed record back (subject to this office's rights).
#[tauri::command]
pub async fn removed_restore(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    table: Option<String>,
) -> Res<RemovedRecord> {
    wrote(&sync, state.with(|k| k.removed_restore(&id, table.as_deref())))
}

/// Rows that break the domain rules.
#[tauri::command]
pub async fn doctor(state: State<'_, AppState>) -> Res<DoctorReport> {
    state.with(|k| k.doctor())
}

/// Repairs them through the write path (rows outside this office's rights
/// are skipped and reported), then reports what is left.
#[tauri::command]
pub async fn doctor_repair(state: State<'_, AppState>, sync: State<'_, SyncWorker>) -> Res<DoctorReport> {
    wrote(&sync, state.with(|k| k.doctor_repair()))
}

#[tauri::command]
pub async fn meeting_list(state: State<'_, AppState>, query: MeetingQuery) -> Res<Page<Meeting>> {
    state.with(|k| k.meeting_list(&query))
}

#[tauri::command]
pub async fn meeting_show(state: State<'_, AppState>, id: String) -> Res<MeetingDetail> {
    state.with(|k| k.meeting_show(&id))
}

#[tauri::command]
pub async fn meeting_add(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    input: MeetingInput,
) -> Res<MeetingDetail> {
    wrote(&sync, state.with(|k| k.meeting_add(&input)))
}

#[tauri::command]
pub async fn meeting_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: MeetingInput,
) -> Res<MeetingDetail> {
    wrote(&sync, state.with(|k| k.meeting_edit(&id, &input)))
}

#[tauri::command]
pub async fn meeting_remove(state: State<'_, AppState>, sync: State<'_, SyncWorker>, id: String) -> Res<()> {
    wrote(&sync, state.with(|k| k.meeting_remove(&id)))
}

/// Records attendees (members, organisations, or a new organisation) in one step.
#[tauri::command]
pub async fn meeting_attend(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    meeting_id: String,
    input: AttendInput,
) -> Res<MeetingDetail> {
    wrote(&sync, state.with(|k| k.meeting_attend(&meeting_id, &input)))
}

#[tauri::command]
pub async fn meeting_unattend(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    meeting_id: String,
    attendee: String,
) -> Res<MeetingDetail> {
    wrote(&sync, state.with(|k| k.meeting_unattend(&meeting_id, &attendee)))
}

/// Members and organisations matching what has been typed so far.
#[tauri::command]
pub async fn attendee_search(
    state: State<'_, AppState>,
    typed: String,
    limit: Option<i64>,
) -> Res<Vec<AttendeeCandidate>> {
    state.with(|k| k.attendee_search(&typed, limit))
}

#[tauri::command]
pub async fn follow_up_add(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    meeting_id: String,
    input: FollowUpInput,
) -> Res<FollowUp> {
    wrote(&sync, state.with(|k| k.follow_up_add(&meeting_id, &input)))
}

#[tauri::command]
pub async fn follow_up_show(state: State<'_, AppState>, id: String) -> Res<FollowUp> {
    state.with(|k| k.follow_up_show(&id))
}

#[tauri::command]
pub async fn follow_up_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: FollowUpInput,
) -> Res<FollowUp> {
    wrote(&sync, state.with(|k| k.follow_up_edit(&id, &input)))
}

#[tauri::command]
pub async fn follow_up_remove(state: State<'_, AppState>, sync: State<'_, SyncWorker>, id: String) -> Res<()> {
    wrote(&sync, state.with(|k| k.follow_up_remove(&id)))
}

#[tauri::command]
pub async fn coordination_stats(state: State<'_, AppState>, query: CoordinationQuery) -> Res<CoordinationStats> {
    state.with(|k| k.coordination_stats(&query))
}

#[tauri::command]
pub async fn organisation_list(state: State<'_, AppState>, query: DirectoryQuery) -> Res<Page<Organisation>> {
    state.with(|k| k.organisation_list(&query))
}

#[tauri::command]
pub async fn organisation_show(state: State<'_, AppState>, id: String) -> Res<Organisation> {
    state.with(|k| k.organisation_show(&id))
}

#[tauri::command]
pub async fn organisation_add(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    input: OrganisationInput,
) -> Res<Organisation> {
    wrote(&sync, state.with(|k| k.organisation_add(&input)))
}

#[tauri::command]
pub async fn organisation_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: OrganisationInput,
) -> Res<Organisation> {
    wrote(&sync, state.with(|k| k.organisation_edit(&id, &input)))
}

#[tauri::command]
pub async fn organisation_remove(state: State<'_, AppState>, sync: State<'_, SyncWorker>, id: String) -> Res<()> {
    wrote(&sync, state.with(|k| k.organisation_remove(&id)))
}

#[tauri::command]
pub async fn contact_list(state: State<'_, AppState>, query: DirectoryQuery) -> Res<Page<Contact>> {
    state.with(|k| k.contact_list(&query))
}

#[tauri::command]
pub async fn contact_show(state: State<'_, AppState>, id: String) -> Res<Contact> {
    state.with(|k| k.contact_show(&id))
}

#[tauri::command]
pub async fn contact_add(state: State<'_, AppState>, sync: State<'_, SyncWorker>, input: ContactInput) -> Res<Contact> {
    wrote(&sync, state.with(|k| k.contact_add(&input)))
}

#[tauri::command]
pub async fn contact_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: ContactInput,
) -> Res<Contact> {
    wrote(&sync, state.with(|k| k.contact_edit(&id, &input)))
}

#[tauri::command]
pub async fn contact_remove(state: State<'_, AppState>, sync: State<'_, SyncWorker>, id: String) -> Res<()> {
    wrote(&sync, state.with(|k| k.contact_remove(&id)))
}

#[tauri::command]
pub async fn list_list(state: State<'_, AppState>) -> Res<Vec<MailingList>> {
    state.with(|k| k.list_list())
}

#[tauri::command]
pub async fn list_show(state: State<'_, AppState>, id: String) -> Res<MailingList> {
    state.with(|k| k.list_show(&id))
}

#[tauri::command]
pub async fn list_add(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    input: MailingListInput,
) -> Res<MailingList> {
    wrote(&sync, state.with(|k| k.list_add(&input)))
}

#[tauri::command]
pub async fn list_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: MailingListInput,
) -> Res<MailingList> {
    wrote(&sync, state.with(|k| k.list_edit(&id, &input)))
}

#[tauri::command]
pub async fn list_remove(state: State<'_, AppState>, sync: State<'_, SyncWorker>, id: String) -> Res<()> {
    wrote(&sync, state.with(|k| k.list_remove(&id)))
}

#[tauri::command]
pub async fn list_subscriptions(state: State<'_, AppState>, list_id: String) -> Res<Vec<Subscription>> {
    state.with(|k| k.list_subscriptions(&list_id))
}

/// Subscribes contacts on a day (today when `null`); clears an earlier opt-out.
#[tauri::command]
pub async fn list_subscribe(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    list_id: String,
    contacts: Vec<String>,
    on: Option<String>,
) -> Res<Vec<Subscription>> {
    wrote(&sync, state.with(|k| k.list_subscribe(&list_id, &contacts, on.as_deref())))
}

#[tauri::command]
pub async fn list_unsubscribe(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    list_id: String,
    contact_id: String,
    on: Option<String>,
) -> Res<Subscription> {
    wrote(&sync, state.with(|k| k.list_unsubscribe(&list_id, &contact_id, on.as_deref())))
}

#[tauri::command]
pub async fn list_bounce(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    list_id: String,
    contact_id: String,
    bounced: bool,
) -> Res<Subscription> {
    wrote(&sync, state.with(|k| k.list_bounce(&list_id, &contact_id, bounced)))
}

#[tauri::command]
pub async fn list_export(state: State<'_, AppState>, request: ListExportRequest) -> Res<ListExport> {
    state.with(|k| k.list_export(&request))
}

/// The file extension a list export in `format` is saved with.
fn list_extension(format: ListFormat) -> &'static str {
    match format {
        ListFormat::Csv => "csv",
        ListFormat::Vcard => "vcf",
    }
}

/// Writes a list export to `path` (see `paths`).
#[tauri::command]
pub async fn list_export_save(state: State<'_, AppState>, request: ListExportRequest, path: String) -> Res<ListExport> {
    let path = paths::checked(&path, &[list_extension(request.format.unwrap_or_default())])?;
    state.with(|k| k.list_export_to(&request, &path))
}

/// Per list, who it reached between `from` and `to` (today when `null`).
#[tauri::command]
pub async fn list_reach(state: State<'_, AppState>, from: Option<String>, to: Option<String>) -> Res<Vec<ListReach>> {
    state.with(|k| k.list_reach(from.as_deref(), to.as_deref()))
}

#[tauri::command]
pub async fn recommendation_list(
    state: State<'_, AppState>,
    search: Option<String>,
    status: Option<String>,
) -> Res<Vec<Recommendation>> {
    state.with(|k| k.recommendation_list(search.as_deref(), status.as_deref()))
}

#[tauri::command]
pub async fn recommendation_show(state: State<'_, AppState>, id: String) -> Res<Recommendation> {
    state.with(|k| k.recommendation_show(&id))
}

#[tauri::command]
pub async fn recommendation_add(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    input: RecommendationInput,
) -> Res<Recommendation> {
    wrote(&sync, state.with(|k| k.recommendation_add(&input)))
}

#[tauri::command]
pub async fn recommendation_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: RecommendationInput,
) -> Res<Recommendation> {
    wrote(&sync, state.with(|k| k.recommendation_edit(&id, &input)))
}

#[tauri::command]
pub async fn recommendation_remove(state: State<'_, AppState>, sync: State<'_, SyncWorker>, id: String) -> Res<()> {
    wrote(&sync, state.with(|k| k.recommendation_remove(&id)))
}

#[tauri::command]
pub async fn network_list(state: State<'_, AppState>) -> Res<Vec<NetworkMembership>> {
    state.with(|k| k.network_list())
}

#[tauri::command]
pub async fn network_show(state: State<'_, AppState>, id: String) -> Res<NetworkMembership> {
    state.with(|k| k.network_show(&id))
}

#[tauri::command]
pub async fn network_add(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    input: NetworkMembershipInput,
) -> Res<NetworkMembership> {
    wrote(&sync, state.with(|k| k.network_add(&input)))
}

#[tauri::command]
pub async fn network_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: NetworkMembershipInput,
) -> Res<NetworkMembership> {
    wrote(&sync, state.with(|k| k.network_edit(&id, &input)))
}

#[tauri::command]
pub async fn network_remove(state: State<'_, AppState>, sync: State<'_, SyncWorker>, id: String) -> Res<()> {
    wrote(&sync, state.with(|k| k.network_remove(&id)))
}

#[tauri::command]
pub async fn donor_list(state: State<'_, AppState>, query: FundDonorQuery) -> Res<Page<FundDonor>> {
    state.with(|k| k.donor_list(&query))
}

#[tauri::command]
pub async fn donor_show(state: State<'_, AppState>, id: String) -> Res<FundDonor> {
    state.with(|k| k.donor_show(&id))
}

/// HQ only, as every fund write (the core refuses other offices).
#[tauri::command]
pub async fn donor_add(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    input: FundDonorInput,
) -> Res<FundDonor> {
    wrote(&sync, state.with(|k| k.donor_add(&input)))
}

#[tauri::command]
pub async fn donor_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: FundDonorInput,
) -> Res<FundDonor> {
    wrote(&sync, state.with(|k| k.donor_edit(&id, &input)))
}

/// Refused by the core for a donor with recorded gifts.
#[tauri::command]
pub async fn donor_remove(state: State<'_, AppState>, sync: State<'_, SyncWorker>, id: String) -> Res<()> {
    wrote(&sync, state.with(|k| k.donor_remove(&id)))
}

#[tauri::command]
pub async fn gift_list(state: State<'_, AppState>, query: GiftQuery) -> Res<GiftPage> {
    state.with(|k| k.gift_list(&query))
}

#[tauri::command]
pub async fn gift_show(state: State<'_, AppState>, id: String) -> Res<Gift> {
    state.with(|k| k.gift_show(&id))
}

/// Records a gift; the core gives it the next receipt number of its year.
#[tauri::command]
pub async fn gift_add(state: State<'_, AppState>, sync: State<'_, SyncWorker>, input: GiftInput) -> Res<Gift> {
    wrote(&sync, state.with(|k| k.gift_add(&input)))
}

#[tauri::command]
pub async fn gift_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: GiftInput,
) -> Res<Gift> {
    wrote(&sync, state.with(|k| k.gift_edit(&id, &input)))
}

#[tauri::command]
pub async fn gift_remove(state: State<'_, AppState>, sync: State<'_, SyncWorker>, id: String) -> Res<()> {
    wrote(&sync, state.with(|k| k.gift_remove(&id)))
}

/// `path` as a PDF the page may name: absolute, ending in .pdf, so these
/// commands cannot overwrite any other file.
fn pdf_path(path: &str) -> Res<std::path::PathBuf> {
    let path = std::path::PathBuf::from(path.trim());
    if !path.is_absolute() || !path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
        return Err(
            Error::invalid("path", format!("'{}' is not an absolute path to a .pdf file", path.display())).to_api()
        );
    }
    Ok(path)
}

/// Writes a gift's receipt PDF (ja and en) to `path`.
#[tauri::command]
pub async fn gift_receipt_save(state: State<'_, AppState>, id: String, path: String) -> Res<()> {
    let path = pdf_path(&path)?;
    state.with(|k| k.gift_receipt_to(&id, &path))
}

#[tauri::command]
pub async fn donor_statement(state: State<'_, AppState>, donor: String, year: i32) -> Res<DonorStatement> {
    state.with(|k| k.donor_statement(&donor, year))
}

/// Writes a donor's annual statement PDF for `year` to `path`.
#[tauri::command]
pub async fn donor_statement_save(state: State<'_, AppState>, donor: String, year: i32, path: String) -> Res<()> {
    let path = pdf_path(&path)?;
    state.with(|k| k.donor_statement_to(&donor, year, &path))
}

/// Distributes, or with `dry_run` only computes the split (nothing written).
#[tauri::command]
pub async fn distribute(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    input: DistributionInput,
) -> Res<Distribution> {
    let dry_run = input.dry_run.unwrap_or(false);
    let r = state.with(|k| k.distribute(&input));
    if dry_run { r } else { wrote(&sync, r) }
}

#[tauri::command]
pub async fn distribution_show(state: State<'_, AppState>, id: String) -> Res<Distribution> {
    state.with(|k| k.distribution_show(&id))
}

#[tauri::command]
pub async fn distribution_list(state: State<'_, AppState>, query: DistributionQuery) -> Res<Vec<Distribution>> {
    state.with(|k| k.distribution_list(&query))
}

#[tauri::command]
pub async fn distribution_remove(state: State<'_, AppState>, sync: State<'_, SyncWorker>, id: String) -> Res<()> {
    wrote(&sync, state.with(|k| k.distribution_remove(&id)))
}

#[tauri::command]
pub async fn convert(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    input: ConversionInput,
) -> Res<Conversion> {
    wrote(&sync, state.with(|k| k.convert(&input)))
}

#[tauri::command]
pub async fn conversion_list(state: State<'_, AppState>) -> Res<Vec<Conversion>> {
    state.with(|k| k.conversion_list())
}

#[tauri::command]
pub async fn conversion_remove(state: State<'_, AppState>, sync: State<'_, SyncWorker>, id: String) -> Res<()> {
    wrote(&sync, state.with(|k| k.conversion_remove(&id)))
}

#[tauri::command]
pub async fn fund_ledger(state: State<'_, AppState>, query: LedgerQuery) -> Res<Ledger> {
    state.with(|k| k.fund_ledger(&query))
}

#[tauri::command]
pub async fn fund_totals(state: State<'_, AppState>, query: FundTotalsQuery) -> Res<FundTotals> {
    state.with(|k| k.fund_totals(&query))
}

/// Offers with what each has left, computed by the core; every office may write them.
#[tauri::command]
pub async fn offer_list(state: State<'_, AppState>, query: OfferQuery) -> Res<Page<Offer>> {
    state.with(|k| k.offer_list(&query))
}

#[tauri::command]
pub async fn offer_show(state: State<'_, AppState>, id: String) -> Res<OfferDetail> {
    state.with(|k| k.offer_show(&id))
}

#[tauri::command]
pub async fn offer_add(state: State<'_, AppState>, sync: State<'_, SyncWorker>, input: OfferInput) -> Res<OfferDetail> {
    wrote(&sync, state.with(|k| k.offer_add(&input)))
}

#[tauri::command]
pub async fn offer_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: OfferInput,
) -> Res<OfferDetail> {
    wrote(&sync, state.with(|k| k.offer_edit(&id, &input)))
}

/// Refused by the core for an offer with open matches.
#[tauri::command]
pub async fn offer_remove(state: State<'_, AppState>, sync: State<'_, SyncWorker>, id: String) -> Res<()> {
    wrote(&sync, state.with(|k| k.offer_remove(&id)))
}

#[tauri::command]
pub async fn need_list(state: State<'_, AppState>, query: NeedQuery) -> Res<Page<Need>> {
    state.with(|k| k.need_list(&query))
}

#[tauri::command]
pub async fn need_show(state: State<'_, AppState>, id: String) -> Res<NeedDetail> {
    state.with(|k| k.need_show(&id))
}

#[tauri::command]
pub async fn need_add(state: State<'_, AppState>, sync: State<'_, SyncWorker>, input: NeedInput) -> Res<NeedDetail> {
    wrote(&sync, state.with(|k| k.need_add(&input)))
}

#[tauri::command]
pub async fn need_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: NeedInput,
) -> Res<NeedDetail> {
    wrote(&sync, state.with(|k| k.need_edit(&id, &input)))
}

/// Refused by the core for a need with open matches.
#[tauri::command]
pub async fn need_remove(state: State<'_, AppState>, sync: State<'_, SyncWorker>, id: String) -> Res<()> {
    wrote(&sync, state.with(|k| k.need_remove(&id)))
}

/// Offers for a need, best first, each with its score and reasons.
#[tauri::command]
pub async fn need_suggest(state: State<'_, AppState>, need_id: String, query: SuggestionQuery) -> Res<Vec<Suggestion>> {
    state.with(|k| k.need_suggest(&need_id, &query))
}

/// Needs for an offer, best first.
#[tauri::command]
pub async fn offer_suggest(
    state: State<'_, AppState>,
    offer_id: String,
    query: SuggestionQuery,
) -> Res<Vec<Suggestion>> {
    state.with(|k| k.offer_suggest(&offer_id, &query))
}

#[tauri::command]
pub async fn match_propose(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    proposal: MatchProposal,
) -> Res<Match> {
    wrote(&sync, state.with(|k| k.match_propose(&proposal)))
}

#[tauri::command]
pub async fn match_accept(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    step: MatchStep,
) -> Res<Match> {
    wrote(&sync, state.with(|k| k.match_accept(&id, &step)))
}

#[tauri::command]
pub async fn match_deliver(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    step: MatchStep,
) -> Res<Match> {
    wrote(&sync, state.with(|k| k.match_deliver(&id, &step)))
}

#[tauri::command]
pub async fn match_decline(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    step: MatchStep,
) -> Res<Match> {
    wrote(&sync, state.with(|k| k.match_decline(&id, &step)))
}

#[tauri::command]
pub async fn match_cancel(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    step: MatchStep,
) -> Res<Match> {
    wrote(&sync, state.with(|k| k.match_cancel(&id, &step)))
}

#[tauri::command]
pub async fn match_reduce(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    quantity: i64,
) -> Res<Match> {
    wrote(&sync, state.with(|k| k.match_reduce(&id, quantity)))
}

#[tauri::command]
pub async fn match_show(state: State<'_, AppState>, id: String) -> Res<Match> {
    state.with(|k| k.match_show(&id))
}

#[tauri::command]
pub async fn match_list(state: State<'_, AppState>, query: MatchQuery) -> Res<Page<Match>> {
    state.with(|k| k.match_list(&query))
}

/// Over-committed offers with their competing matches: what matches made apart left to resolve.
#[tauri::command]
pub async fn match_conflicts(state: State<'_, AppState>) -> Res<Vec<MatchConflict>> {
    state.with(|k| k.match_conflicts())
}

#[tauri::command]
pub async fn matching_stats(state: State<'_, AppState>, query: MatchingQuery) -> Res<MatchingStats> {
    state.with(|k| k.matching_stats(&query))
}

/// The JIS X 0402 municipalities of a prefecture, for the site form's type-ahead.
#[tauri::command]
pub async fn municipality_list(state: State<'_, AppState>, prefecture: String) -> Res<Vec<Municipality>> {
    state.with(|k| k.municipality_list(&prefecture))
}

// HQ's grant desk: grants, phases, the instalment schedule, due reports,
// budget lines and expenditures. Each is one core call; the core refuses a
// field office (`unauthorized`).

#[tauri::command]
pub async fn grant_donors(state: State<'_, AppState>) -> Res<Vec<Donor>> {
    state.with(|k| k.grant_donors())
}

#[tauri::command]
pub async fn grant_add(state: State<'_, AppState>, sync: State<'_, SyncWorker>, input: GrantInput) -> Res<GrantDetail> {
    wrote(&sync, state.with(|k| k.grant_add(&input)))
}

#[tauri::command]
pub async fn grant_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: GrantEdit,
) -> Res<GrantDetail> {
    wrote(&sync, state.with(|k| k.grant_edit(&id, &input)))
}

#[tauri::command]
pub async fn phase_add(state: State<'_, AppState>, sync: State<'_, SyncWorker>, input: PhaseInput) -> Res<PhaseDetail> {
    wrote(&sync, state.with(|k| k.phase_add(&input)))
}

#[tauri::command]
pub async fn phase_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: PhaseInput,
) -> Res<PhaseDetail> {
    wrote(&sync, state.with(|k| k.phase_edit(&id, &input)))
}

#[tauri::command]
pub async fn tranche_add(state: State<'_, AppState>, sync: State<'_, SyncWorker>, input: TrancheInput) -> Res<Tranche> {
    wrote(&sync, state.with(|k| k.tranche_add(&input)))
}

#[tauri::command]
pub async fn tranche_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: TrancheInput,
) -> Res<Tranche> {
    wrote(&sync, state.with(|k| k.tranche_edit(&id, &input)))
}

#[tauri::command]
pub async fn tranche_remove(state: State<'_, AppState>, sync: State<'_, SyncWorker>, id: String) -> Res<()> {
    wrote(&sync, state.with(|k| k.tranche_remove(&id)))
}

#[tauri::command]
pub async fn report_due_add(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    input: ReportDueInput,
) -> Res<ReportDue> {
    wrote(&sync, state.with(|k| k.report_due_add(&input)))
}

#[tauri::command]
pub async fn report_due_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: ReportDueInput,
) -> Res<ReportDue> {
    wrote(&sync, state.with(|k| k.report_due_edit(&id, &input)))
}

#[tauri::command]
pub async fn report_due_remove(state: State<'_, AppState>, sync: State<'_, SyncWorker>, id: String) -> Res<()> {
    wrote(&sync, state.with(|k| k.report_due_remove(&id)))
}

#[tauri::command]
pub async fn budget_line_add(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    input: BudgetLineInput,
) -> Res<BudgetLine> {
    wrote(&sync, state.with(|k| k.budget_line_add(&input)))
}

#[tauri::command]
pub async fn budget_line_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: BudgetLineEdit,
) -> Res<BudgetLine> {
    wrote(&sync, state.with(|k| k.budget_line_edit(&id, &input)))
}

/// `with_expenditures` after the person confirmed removing them too.
#[tauri::command]
pub async fn budget_line_remove(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    with_expenditures: bool,
) -> Res<()> {
    wrote(&sync, state.with(|k| k.budget_line_remove(&id, with_expenditures)))
}

#[tauri::command]
pub async fn expenditure_add(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    input: ExpenditureInput,
) -> Res<Expenditure> {
    wrote(&sync, state.with(|k| k.expenditure_add(&input)))
}

#[tauri::command]
pub async fn expenditure_edit(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    id: String,
    input: ExpenditureEdit,
) -> Res<Expenditure> {
    wrote(&sync, state.with(|k| k.expenditure_edit(&id, &input)))
}

#[tauri::command]
pub async fn expenditure_remove(state: State<'_, AppState>, sync: State<'_, SyncWorker>, id: String) -> Res<()> {
    wrote(&sync, state.with(|k| k.expenditure_remove(&id)))
}

/// The period's narrative and sign-off, or null when none is recorded yet.
#[tauri::command]
pub async fn narrative_find(
    state: State<'_, AppState>,
    phase_id: String,
    period_start: Option<String>,
    period_end: Option<String>,
) -> Res<Option<Narrative>> {
    state.with(|k| k.narrative_find(&phase_id, period_start.as_deref(), period_end.as_deref()))
}

#[tauri::command]
pub async fn narrative_set(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    input: NarrativeInput,
) -> Res<Narrative> {
    wrote(&sync, state.with(|k| k.narrative_set(&input)))
}

/// The fields a column of a `kind` file can be mapped to.
#[tauri::command]
pub async fn import_fields(state: State<'_, AppState>, kind: ImportKind) -> Res<Vec<ImportField>> {
    state.with(|k| Ok(k.import_fields(kind)))
}

/// The saved header mapping of `kind` imports.
#[tauri::command]
pub async fn import_mapping(state: State<'_, AppState>, kind: ImportKind) -> Res<Vec<HeaderField>> {
    state.with(|k| k.import_mapping(kind))
}

#[tauri::command]
pub async fn import_mapping_save(
    state: State<'_, AppState>,
    kind: ImportKind,
    mapping: Vec<HeaderField>,
) -> Res<Vec<HeaderField>> {
    state.with(|k| k.import_mapping_save(kind, &mapping))
}

/// Reads a .csv or .xlsx file (see `paths`) and checks every row; unless
/// `request.dry_run`, commits them all in one transaction. The window hears
/// each stage and how far it got.
#[tauri::command]
pub async fn import_run(
    state: State<'_, AppState>,
    sync: State<'_, SyncWorker>,
    mut request: ImportRequest,
    on_progress: Channel<ImportProgress>,
) -> Res<ImportReport> {
    request.path = paths::checked(&request.path, &["csv", "xlsx"])?.display().to_string();
    let report = state.with(|k| {
        k.import_with_progress(&request, &mut |p| {
            let _ = on_progress.send(p);
        })
    });
    match report {
        Ok(r) if r.committed => wrote(&sync, Ok(r)),
        other => other,
    }
}

/// One synced table as CSV or XLSX, to `request.path` (see `paths`).
#[tauri::command]
pub async fn export_table(state: State<'_, AppState>, mut request: TableExportRequest) -> Res<ExportSaved> {
    request.path = paths::checked(&request.path, &[table_extension(request.format)])?.display().to_string();
    state.with(|k| k.export_table(&request))
}

fn table_extension(format: TableFormat) -> &'static str {
    match format {
        TableFormat::Csv => "csv",
        TableFormat::Xlsx => "xlsx",
    }
}

/// A list screen's rows (its filters and order, every page) as CSV or XLSX.
#[tauri::command]
pub async fn list_sheet(state: State<'_, AppState>, mut request: ListSheetRequest) -> Res<ExportSaved> {
    request.path = paths::checked(&request.path, &[table_extension(request.format)])?.display().to_string();
    state.with(|k| k.list_sheet(&request))
}

/// The 3W with HXL hashtags, as CSV.
#[tauri::command]
pub async fn export_hxl(state: State<'_, AppState>, mut request: HxlExportRequest) -> Res<ExportSaved> {
    request.path = paths::checked(&request.path, &["csv"])?.display().to_string();
    state.with(|k| k.export_hxl(&request))
}

/// The grants as IATI 2.03 activity XML.
#[tauri::command]
pub async fn export_iati(state: State<'_, AppState>, mut request: IatiExportRequest) -> Res<ExportSaved> {
    request.path = paths::checked(&request.path, &["xml"])?.display().to_string();
    state.with(|k| k.export_iati(&request))
}

/// A backup of the database, taken while the app keeps running.
#[tauri::command]
pub async fn backup_save(state: State<'_, AppState>, path: String) -> Res<BackupSaved> {
    let path = paths::checked(&path, &["sqlite3"])?;
    state.with(|k| k.backup(&path))
}

/// The automatic daily and weekly backups in the data folder.
#[tauri::command]
pub async fn backup_list(state: State<'_, AppState>) -> Res<Vec<BackupFile>> {
    state.with(|k| k.backup_list())
}

/// Checks a backup and lists what restoring it would discard; changes nothing.
#[tauri::command]
pub async fn restore_check(state: State<'_, AppState>, path: String) -> Res<RestorePlan> {
    let path = paths::checked(&path, &["sqlite3"])?;
    state.with(|k| k.restore_check(&path))
}

/// Restores a backup; refused (a `conflict` listing them) over changes no
/// office has received yet, unless `force`.
#[tauri::command]
pub async fn restore(state: State<'_, AppState>, path: String, force: bool) -> Res<RestoreReport> {
    let path = paths::checked(&path, &["sqlite3"])?;
    state.with(|k| k.restore(&path, force))
}
