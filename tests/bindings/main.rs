//! The TypeScript types in ui/src/bindings/ are generated from the Rust types
//! by ts-rs and committed. This test renders them afresh and fails on any
//! difference, so the UI can never compile against a stale shape.
//! `UPDATE_BINDINGS=1 cargo test -p kizuna-core --test bindings` rewrites them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a test, a panic is a failed assertion

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kizuna_core::ApiError;
use kizuna_core::api::MemberRemoved;
use kizuna_core::api::doctor::DoctorReport;
use kizuna_core::api::removed::RemovedRecord;
use kizuna_core::api::{
    Choices, Dashboard, DemoSummary, InitOptions, Installation, ReportProgress, ReportRequest, ReportSaved,
};
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
use kizuna_core::model::grant::{
    BudgetLine, BudgetLineInput, Donor, Expenditure, ExpenditureInput, GrantDetail, GrantOverview, PhaseDetail,
};
use kizuna_core::model::grant_desk::{
    BudgetLineEdit, ExpenditureEdit, GrantEdit, GrantInput, PhaseInput, ReportDue, ReportDueInput, Tranche,
    TrancheInput,
};
use kizuna_core::model::mailing::{
    ListExport, ListExportRequest, ListFormat, ListReach, MailingList, MailingListInput, Subscription,
};
use kizuna_core::model::matching::{
    Match, MatchConflict, MatchProposal, MatchQuery, MatchStep, MatchingQuery, MatchingStats, NeedDetail, NeedInput,
    NeedQuery, OfferDetail, OfferInput, OfferQuery,
};
use kizuna_core::model::meeting::{
    AttendInput, CoordinationQuery, CoordinationStats, FollowUp, FollowUpInput, MeetingDetail, MeetingInput,
    MeetingQuery,
};
use kizuna_core::model::member::{Member, MemberInput, MemberQuery};
use kizuna_core::model::narrative::{Narrative, NarrativeInput};
use kizuna_core::model::office::{Office, OfficeInput};
use kizuna_core::model::profile::Profile;
use kizuna_core::model::site::{Site, SiteInput, SiteQuery};
use kizuna_core::model::suggestion::{Suggestion, SuggestionQuery};
use kizuna_core::municipality::Municipality;
use kizuna_core::sync::{AutoSync, HubSyncReport, SyncProgress, SyncStatus};
// Data exchange.
use kizuna_core::api::{
    BackupFile, BackupSaved, ExportSaved, HxlExportRequest, IatiExportRequest, ImportField, ImportProgress,
    ImportReport, ImportRequest, ListSheetRequest, RestorePlan, RestoreReport, TableExportRequest,
};
use ts_rs::TS;

mod commands;

fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings")
}

/// Every type the desktop shell sends or receives; ts-rs adds the types
/// they depend on (Money, Currency, ProjectDate, ...).
fn render(into: &Path) {
    macro_rules! export {
        ($($t:ty),* $(,)?) => { $( <$t>::export_all_to(into).unwrap_or_else(|e| panic!("exporting {}: {e}", stringify!($t))); )* };
    }
    export!(
        ApiError,
        Installation,
        InitOptions,
        Choices,
        Dashboard,
        DemoSummary,
        Office,
        OfficeInput,
        Profile,
        Page<ts_rs::Dummy>,
        Member,
        MemberInput,
        MemberQuery,
        Site,
        SiteInput,
        SiteQuery,
        GrantOverview,
        BudgetLineInput,
        ExpenditureInput,
        ReportRequest,
        ReportProgress,
        ReportSaved,
        SyncStatus,
        SyncProgress,
        HubSyncReport,
        AutoSync,
        RemovedRecord,
        DoctorReport,
        MeetingDetail,
        MeetingInput,
        MeetingQuery,
        AttendInput,
        AttendeeCandidate,
        FollowUp,
        FollowUpInput,
        CoordinationQuery,
        CoordinationStats,
        Organisation,
        OrganisationInput,
        Contact,
        ContactInput,
        DirectoryQuery,
        MailingList,
        MailingListInput,
        Subscription,
        ListFormat,
        ListExportRequest,
        ListExport,
        ListReach,
        Recommendation,
        RecommendationInput,
        NetworkMembership,
        NetworkMembershipInput,
        FundDonor,
        FundDonorInput,
        FundDonorQuery,
        Gift,
        GiftInput,
        GiftQuery,
        GiftPage,
        DonorStatement,
        Distribution,
        DistributionInput,
        DistributionQuery,
        Conversion,
        ConversionInput,
        Ledger,
        LedgerQuery,
        FundTotals,
        FundTotalsQuery,
        OfferInput,
        OfferQuery,
        OfferDetail,
        NeedInput,
        NeedQuery,
        NeedDetail,
        Match,
        MatchProposal,
        MatchStep,
        MatchQuery,
        MatchConflict,
        Suggestion,
        SuggestionQuery,
        MatchingQuery,
        MatchingStats,
        MemberRemoved,
        Municipality,
        ImportRequest,
        ImportReport,
        ImportField,
        ImportProgress,
        TableExportRequest,
        ListSheetRequest,
        HxlExportRequest,
        IatiExportRequest,
        ExportSaved,
        BackupSaved,
        BackupFile,
        RestorePlan,
        RestoreReport,
        GrantInput,
        GrantEdit,
        GrantDetail,
        PhaseInput,
        PhaseDetail,
        TrancheInput,
        Tranche,
        ReportDueInput,
        ReportDue,
        BudgetLine,
        BudgetLineEdit,
        Expenditure,
        ExpenditureEdit,
        Donor,
        Narrative,
        NarrativeInput,
    );
}

fn read_ts(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.ends_with(".ts") {
            files.insert(name, std::fs::read_to_string(entry.path()).unwrap_or_default());
        }
    }
    files
}

#[test]
fn committed_typescript_bindings_match_the_rust_types() {
    let fresh = tempfile::tempdir().expect("temp dir");
    render(fresh.path());
    let rendered = read_ts(fresh.path());
    assert!(
        rendered.contains_key("Member.ts") && rendered.contains_key("Money.ts"),
        "ts-rs rendered nothing: {rendered:?}"
    );

    // serde_json sends every integer as a JSON number, and JSON.stringify
    // refuses a bigint: a field typed `bigint` would be a lie to the UI.
    let bigints: Vec<&String> = rendered.iter().filter(|(_, t)| t.contains("bigint")).map(|(n, _)| n).collect();
    assert!(
        bigints.is_empty(),
        "integers cross as number: add #[ts(type = \"number\")] to the i64/u64 fields of {bigints:?}"
    );

    let dir = committed_dir();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::create_dir_all(&dir).expect("create ui/src/bindings");
        for (name, _) in read_ts(&dir) {
            if !rendered.contains_key(&name) {
                std::fs::remove_file(dir.join(&name)).expect("remove stale binding");
            }
        }
        for (name, text) in &rendered {
            std::fs::write(dir.join(name), text).expect("write binding");
        }
        return;
    }

    let committed = read_ts(&dir);
    let mut problems = Vec::new();
    for (name, text) in &rendered {
        match committed.get(name) {
            None => problems.push(format!("missing: {name}")),
            Some(c) if c != text => {
                problems.push(format!("differs: {name}\n--- committed\n{c}\n--- from Rust\n{text}"))
            }
            Some(_) => {}
        }
    }
    for name in committed.keys().filter(|n| !rendered.contains_key(*n)) {
        problems.push(format!("stale (no Rust type any more): {name}"));
    }
    assert!(
        problems.is_empty(),
        "ui/src/bindings drifted from the Rust types; run `UPDATE_BINDINGS=1 cargo test -p kizuna-core --test bindings` \
         and commit the result.\n{}",
        problems.join("\n")
    );
}
