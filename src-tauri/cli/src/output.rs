//! How results and errors are printed: human text, or JSON with `--json`.

use kizuna_core::Error;
use serde::Serialize;

pub struct Out {
    pub json: bool,
}

impl Out {
    pub fn emit<T: Serialize>(&self, value: &T, human: impl FnOnce(&T) -> String) {
        if self.json {
            match serde_json::to_string_pretty(value) {
                Ok(s) => print_stdout(&format!("{s}\n")),
                Err(e) => eprintln!("error: cannot encode output: {e}"),
            }
        } else {
            let text = human(value);
            if !text.is_empty() {
                print_stdout(&format!("{text}\n"));
            }
        }
    }

    /// Errors go to stderr as `error[code]: message`, a field's problem as
    /// `error[code]: --flag: problem`, one line per problem; with `--json`
    /// the `{code, message, field, problems}` object is also printed on stdout.
    pub fn error(&self, e: &Error) {
        let api = e.to_api();
        if self.json
            && let Ok(s) = serde_json::to_string_pretty(&serde_json::json!({ "error": api }))
        {
            println!("{s}");
        }
        if api.problems.is_empty() {
            match e {
                Error::LikelyDuplicate { field, .. } => {
                    let message = api.message.strip_prefix(&format!("{field}: ")).unwrap_or(&api.message);
                    eprintln!(
                        "error[{}]: {}: {message}; if it is another organisation, add --allow-duplicate",
                        api.code,
                        flag(field)
                    );
                }
                Error::NeedsCascade { .. } => {
                    eprintln!("error[{}]: {}; add --cascade to remove them all", api.code, api.message);
                }
                _ => eprintln!("error[{}]: {}", api.code, api.message),
            }
        }
        for p in &api.problems {
            eprintln!("error[{}]: {}: {}", api.code, flag(&p.field), p.message);
        }
    }
}

/// Whether text output is for a Japanese reader: the locale (LC_ALL,
/// LC_MESSAGES, LANG, the first one set) says ja.
pub fn japanese() -> bool {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .is_some_and(|l| l.starts_with("ja"))
}

/// A prefecture's name in the reader's language, from its JIS code (the
/// code itself for one that is not a prefecture's).
pub fn prefecture_name(code: &str) -> String {
    match kizuna_core::prefecture::Prefecture::by_code(code) {
        Some(p) if japanese() => p.name_ja.to_string(),
        Some(p) => p.name_en.to_string(),
        None => code.to_string(),
    }
}

/// Several prefectures' names, comma-separated.
pub fn prefecture_names(codes: &[String]) -> String {
    codes.iter().map(|c| prefecture_name(c)).collect::<Vec<_>>().join(", ")
}

/// Writes to stdout. A reader that stops early (`kizuna export json | head`)
/// closes the pipe: that is the reader's choice, not a failure, so the
/// command ends quietly with success instead of panicking as `print!` does.
pub fn print_stdout(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            eprintln!("error[io]: stdout: {e}");
            std::process::exit(1);
        }
    }
}

/// The core's field names that the CLI spells differently. Every other
/// field is its flag with `-` for `_` and a day's `_on` left off (name_ja is
/// --name-ja, opened_on is --opened, due_on is --due).
const FLAGS: &[(&str, &str)] = &[
    ("contact_person", "--contact"),
    ("prefectures", "--prefecture"),
    ("sectors", "--sector"),
    ("latitude", "--lat"),
    ("longitude", "--lon"),
    ("member_id", "--member"),
    ("phase_id", "--phase"),
    ("budget_line_id", "--line"),
    ("held_on", "--date"),
    ("received_on", "--date"),
    ("distributed_on", "--date"),
    ("converted_on", "--date"),
    ("spent_on", "--date"),
    ("eligible_on", "--eligible-on"),
    ("prepared_on", "--prepared-on"),
    ("approved_on", "--approved-on"),
    ("activity", "--result-en"),
];

/// Fields that are an argument, not a flag.
const ARGUMENTS: &[(&str, &str)] = &[("id", "ID"), ("file", "FILE")];

/// How the CLI names the core's field `field`.
pub fn flag(field: &str) -> String {
    if let Some((_, f)) = FLAGS.iter().find(|(name, _)| *name == field) {
        return f.to_string();
    }
    if let Some((_, a)) = ARGUMENTS.iter().find(|(name, _)| *name == field) {
        return a.to_string();
    }
    if !field.is_empty() && field.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        let stem = field.strip_suffix("_on").unwrap_or(field);
        format!("--{}", stem.replace('_', "-"))
    } else {
        field.to_string()
    }
}
