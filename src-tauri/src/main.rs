//! Kizuna's desktop window. This crate is the only one that imports Tauri;
//! every command in `commands` is one call into `kizuna_core`.

// Release builds on Windows would open a console without this.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod paths;
mod settings;
mod state;
mod sync;
mod webview;

use std::path::PathBuf;
use std::time::Instant;

use tauri::Manager;

use crate::state::AppState;

/// The window's log files, inside the data folder.
const LOG_DIR: &str = "logs";
/// A log file is rotated at this size; the newest few are kept.
const LOG_FILE_BYTES: u128 = 2 * 1024 * 1024;
const LOG_FILES_KEPT: usize = 5;

/// `--data-dir <path>` overrides the data folder; otherwise the core's
/// default (KIZUNA_DATA_DIR, else the OS data directory) as the CLI uses.
fn data_dir_from_args() -> PathBuf {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--data-dir")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .unwrap_or_else(kizuna_core::default_data_dir)
}

fn main() {
    let started = Instant::now();
    let state = AppState::open(data_dir_from_args(), started);
    let (data_dir, hub) = (state.data_dir.clone(), settings::load(&state.data_dir).hub_url);
    let log_dir = data_dir.join(LOG_DIR);
    let app = tauri::Builder::default()
        // A second launch focuses the running window instead of opening the
        // same database twice.
        .plugin(tauri_plugin_single_instance::init(|app, _, _| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        // The core logs through `tracing`, which hands its events to `log`
        // when no tracing subscriber is installed: one log for both, kept in
        // the data folder beside the database, rotated by size.
        .plugin(
            tauri_plugin_log::Builder::default()
                .level(log::LevelFilter::Info)
                .targets([
                    tauri_plugin_log::Target::new(tauri_plugin_log::TargetKind::Stdout),
                    tauri_plugin_log::Target::new(tauri_plugin_log::TargetKind::Folder {
                        path: log_dir,
                        file_name: Some("kizuna".into()),
                    }),
                ])
                .max_file_size(LOG_FILE_BYTES)
                .rotation_strategy(tauri_plugin_log::RotationStrategy::KeepSome(LOG_FILES_KEPT))
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .setup(move |app| {
            app.manage(sync::SyncWorker::start(app.handle().clone(), data_dir, hub));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::startup,
            commands::init,
            commands::join,
            commands::pick_open_path,
            commands::pick_save_path,
            commands::choices,
            commands::installation,
            commands::office_list,
            commands::office_add,
            commands::dashboard,
            commands::member_list,
            commands::member_show,
            commands::member_add,
            commands::member_edit,
            commands::member_remove,
            commands::site_list,
            commands::site_show,
            commands::site_add,
            commands::site_edit,
            commands::site_remove,
            commands::grant_list,
            commands::export_json,
            commands::report_save,
            commands::language_get,
            commands::language_set,
            commands::ui_ready,
            commands::sync_status,
            commands::sync_state,
            commands::sync_hub_set,
            commands::sync_now,
            commands::sync_restore,
            commands::removed_list,
            commands::removed_restore,
            commands::doctor,
            commands::doctor_repair,
            commands::meeting_list,
            commands::meeting_show,
            commands::meeting_add,
            commands::meeting_edit,
            commands::meeting_remove,
            commands::meeting_attend,
            commands::meeting_unattend,
            commands::attendee_search,
            commands::follow_up_add,
            commands::follow_up_show,
            commands::follow_up_edit,
            commands::follow_up_remove,
            commands::coordination_stats,
            commands::organisation_list,
            commands::organisation_show,
            commands::organisation_add,
            commands::organisation_edit,
            commands::organisation_remove,
            commands::contact_list,
            commands::contact_show,
            commands::contact_add,
            commands::contact_edit,
            commands::contact_remove,
            commands::list_list,
            commands::list_show,
            commands::list_add,
            commands::list_edit,
            commands::list_remove,
            commands::list_subscriptions,
            commands::list_subscribe,
            commands::list_unsubscribe,
            commands::list_bounce,
            commands::list_export,
            commands::list_export_save,
            commands::list_reach,
            commands::recommendation_list,
            commands::recommendation_show,
            commands::recommendation_add,
            commands::recommendation_edit,
            commands::recommendation_remove,
            commands::network_list,
            commands::network_show,
            commands::network_add,
            commands::network_edit,
            commands::network_remove,
            commands::donor_list,
            commands::donor_show,
            commands::donor_add,
            commands::donor_edit,
            commands::donor_remove,
            commands::gift_list,
            commands::gift_show,
            commands::gift_add,
            commands::gift_edit,
            commands::gift_remove,
            commands::gift_receipt_save,
            commands::donor_statement,
            commands::donor_statement_save,
            commands::distribute,
            commands::distribution_show,
            commands::distribution_list,
            commands::distribution_remove,
            commands::convert,
            commands::conversion_list,
            commands::conversion_remove,
            commands::fund_ledger,
            commands::fund_totals,
            commands::offer_list,
            commands::offer_show,
            commands::offer_add,
            commands::offer_edit,
            commands::offer_remove,
            commands::need_list,
            commands::need_show,
            commands::need_add,
            commands::need_edit,
            commands::need_remove,
            commands::need_suggest,
            commands::offer_suggest,
            commands::match_propose,
            commands::match_accept,
            commands::match_deliver,
            commands::match_decline,
            commands::match_cancel,
            commands::match_reduce,
            commands::match_show,
            commands::match_list,
            commands::match_conflicts,
            commands::matching_stats,
            commands::municipality_list,
            commands::grant_donors,
            commands::grant_add,
            commands::grant_edit,
            commands::phase_add,
            commands::phase_edit,
            commands::tranche_add,
            commands::tranche_edit,
            commands::tranche_remove,
            commands::report_due_add,
            commands::report_due_edit,
            commands::report_due_remove,
            commands::budget_line_add,
            commands::budget_line_edit,
            commands::budget_line_remove,
            commands::expenditure_add,
            commands::expenditure_edit,
            commands::expenditure_remove,
            commands::narrative_find,
            commands::narrative_set,
            commands::import_fields,
            commands::import_mapping,
            commands::import_mapping_save,
            commands::import_run,
            commands::export_table,
            commands::list_sheet,
            commands::export_hxl,
            commands::export_iati,
            commands::backup_save,
            commands::backup_list,
            commands::restore_check,
            commands::restore,
        ])
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => {
            eprintln!("kizuna-app: cannot start the window: {e}");
            std::process::exit(1);
        }
    }
}
