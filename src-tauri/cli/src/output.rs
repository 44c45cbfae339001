//! How results and errors are printed: human text, or JSON with `--json`.

use kizuna_core::Error;
use serde::Serialize;

pub struct Out {
    pub json: bool,
    pub flags: Flags,
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
                        self.flags.flag(field)
                    );
                }
                Error::NeedsCascade { .. } => {
                    eprintln!("error[{}]: {}; add --cascade to remove them all", api.code, api.message);
                }
                _ => eprintln!("error[{}]: {}", api.code, api.message),
            }
        }
        for p in &api.problems {
            eprintln!("error[{}]: {}: {}", api.code, self.flags.flag(&p.field), p.message);
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

/// How the command that ran names the core's fields: by its own clap
/// definition, so an error names the flag the person typed in that very
/// command (a tranche's `received_on` is `--received`, a gift's `--date`).
pub struct Flags {
    /// The subcommand path, e.g. `gift add`.
    path: String,
    /// The command that ran, with its arguments.
    command: clap::Command,
}

/// Where a command's argument has another name than the core field it
/// fills and no rule below finds it: (command paths, each a noun or a whole
/// path, field, argument id). `flags_overrides_name_real_arguments` checks
/// that every entry names an argument of a command under each path.
const RENAMED: &[(&[&str], &str, &str)] = &[
    (&["member"], "contact_person", "contact"),
    (&["site", "offer", "need"], "latitude", "lat"),
    (&["site", "offer", "need"], "longitude", "lon"),
    (&["contact", "offer"], "organisation", "org"),
    (&["offer"], "available_until", "until"),
    (&["donor"], "named_consent", "consent"),
    (&["meeting"], "held_on", "date"),
    (&["meeting"], "start_time", "time"),
    (&["meeting attend"], "name_ja", "new_org_ja"),
    (&["meeting attend"], "name_en", "new_org_en"),
    (&["meeting attend"], "kind", "new_org_kind"),
    (&["gift"], "received_on", "date"),
    (&["spend"], "spent_on", "date"),
    (&["spend"], "budget_line_id", "line"),
    (&["phase"], "title_en", "phase_title_en"),
    (&["phase"], "title_ja", "phase_title_ja"),
    (&["fund distribute"], "distributed_on", "date"),
    (&["fund convert"], "converted_on", "date"),
    (&["narrative set"], "activity", "results_en"),
    (&["narrative set"], "result", "results_en"),
];

/// Suffixes the core's columns carry and the flags leave off (`opened_on` is
/// `--opened`, `phase_id` is `--phase`, `prefecture_code` is `--prefecture`).
const SUFFIXES: [&str; 3] = ["_on", "_id", "_code"];

fn path_matches(running: &str, listed: &str) -> bool {
    running == listed || running.strip_prefix(listed).is_some_and(|rest| rest.starts_with(' '))
}

impl Flags {
    /// The command `matches` ran, found in `root` (the whole CLI).
    pub fn of(root: &clap::Command, matches: &clap::ArgMatches) -> Flags {
        let mut command = root.clone();
        let mut names = Vec::new();
        let mut m = matches;
        while let Some((name, sub)) = m.subcommand() {
            match command.find_subcommand(name) {
                Some(c) => command = c.clone(),
                None => break,
            }
            names.push(name.to_string());
            m = sub;
        }
        Flags { path: names.join(" "), command }
    }

    /// How this command names the core's field `field`: the argument with
    /// that id or long name, after an entry of [`RENAMED`] or with a column
    /// suffix left off; the field itself when the command has no such
    /// argument (better than a flag it does not take).
    pub fn flag(&self, field: &str) -> String {
        let renamed = RENAMED
            .iter()
            .filter(|(paths, f, _)| *f == field && paths.iter().any(|p| path_matches(&self.path, p)))
            .find_map(|(_, _, id)| self.argument(id));
        let arg = renamed
            .or_else(|| self.argument(field))
            .or_else(|| SUFFIXES.iter().find_map(|s| field.strip_suffix(s).and_then(|stem| self.argument(stem))));
        match arg {
            Some(a) => match a.get_long() {
                Some(long) => format!("--{long}"),
                None => a
                    .get_value_names()
                    .and_then(|v| v.first())
                    .map_or_else(|| a.get_id().as_str().to_uppercase(), |v| v.to_string()),
            },
            None => field.to_string(),
        }
    }

    fn argument(&self, name: &str) -> Option<&clap::Arg> {
        let long = name.replace('_', "-");
        self.command.get_arguments().find(|a| a.get_id() == name || a.get_long() == Some(long.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(path: &str) -> Flags {
        let mut command = <crate::Cli as clap::CommandFactory>::command();
        for name in path.split(' ') {
            command = command.find_subcommand(name).unwrap().clone();
        }
        Flags { path: path.to_string(), command }
    }

    #[test]
    fn a_field_is_named_by_the_flag_of_the_command_that_ran() {
        assert_eq!(flags("gift add").flag("received_on"), "--date");
        assert_eq!(flags("tranche add").flag("received_on"), "--received");
        assert_eq!(flags("tranche edit").flag("expected_on"), "--expected");
        assert_eq!(flags("site add").flag("opened_on"), "--opened");
        assert_eq!(flags("site add").flag("latitude"), "--lat");
        assert_eq!(flags("site add").flag("member_id"), "--member");
        assert_eq!(flags("member edit").flag("contact_person"), "--contact");
        assert_eq!(flags("member add").flag("prefectures"), "--prefecture");
        assert_eq!(flags("member add").flag("name_ja"), "--name-ja");
        assert_eq!(flags("spend add").flag("spent_on"), "--date");
        assert_eq!(flags("spend add").flag("budget_line_id"), "--line");
        assert_eq!(flags("narrative set").flag("prepared_on"), "--prepared-on");
        assert_eq!(flags("narrative set").flag("activity"), "--result-en");
        assert_eq!(flags("member show").flag("id"), "ID");
        // A field the command takes no argument for is not dressed up as a flag.
        assert_eq!(flags("gift add").flag("phase_id"), "phase_id");
    }

    #[test]
    fn flags_overrides_name_real_arguments() {
        let root = <crate::Cli as clap::CommandFactory>::command();
        fn leaves(cmd: &clap::Command, path: &str, out: &mut Vec<(String, clap::Command)>) {
            for sub in cmd.get_subcommands() {
                let here =
                    if path.is_empty() { sub.get_name().to_string() } else { format!("{path} {}", sub.get_name()) };
                out.push((here.clone(), sub.clone()));
                leaves(sub, &here, out);
            }
        }
        let mut all = Vec::new();
        leaves(&root, "", &mut all);
        for (paths, field, id) in RENAMED {
            for p in *paths {
                let found = all
                    .iter()
                    .filter(|(path, _)| path_matches(path, p))
                    .any(|(_, c)| c.get_arguments().any(|a| a.get_id() == *id));
                assert!(found, "RENAMED ({p}, {field}) names {id}, an argument no `{p}` command has");
            }
        }
    }
}
