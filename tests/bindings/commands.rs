//! The window's command names live in three places that no compiler checks
//! against each other: the `#[tauri::command]` functions of
//! src-tauri/src/commands.rs, the shell's `generate_handler![...]` list in
//! src-tauri/src/main.rs, and the `call<T>("name")` strings of ui/src/api.ts.
//! A name in one place only compiles fine and fails at run time ("command
//! not found"), so this test reads the three files as text and wants the
//! same set of names in each.

use std::collections::BTreeSet;
use std::path::Path;

fn repo_file(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn ident_at(s: &str) -> String {
    s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

/// The `fn` names that directly follow a `#[tauri::command]` attribute.
fn shell_commands(src: &str) -> BTreeSet<String> {
    src.split("#[tauri::command]")
        .skip(1)
        .filter_map(|after| {
            let fn_at = after.find("fn ")?;
            // Another item between the attribute and its fn would mean the parse went wrong.
            assert!(!after[..fn_at].contains(';'), "#[tauri::command] not followed by a fn: {}", &after[..fn_at]);
            Some(ident_at(&after[fn_at + 3..]))
        })
        .collect()
}

/// The `commands::NAME` entries of the `generate_handler![...]` list.
fn handler_list(src: &str) -> BTreeSet<String> {
    let start = src.find("generate_handler![").expect("main.rs has a generate_handler! list");
    let list = &src[start..];
    let list = &list[..list.find(']').expect("generate_handler! list closes")];
    list.split("commands::").skip(1).map(ident_at).collect()
}

/// The command strings of `call<T>("name", ...)` in api.ts; `T` may nest
/// angle brackets (`call<Page<Member>>`).
fn ui_calls(src: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = src;
    while let Some(at) = rest.find("call<") {
        rest = &rest[at + "call<".len()..];
        let mut depth = 1;
        let mut end = None;
        for (i, c) in rest.char_indices() {
            match c {
                '<' => depth += 1,
                '>' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                end = Some(i);
                break;
            }
        }
        let Some(end) = end else { break };
        rest = &rest[end + 1..];
        // `call<T>(cmd: string, ...)` is the helper's own signature, not a use.
        // A formatter may break the line after `(`.
        if let Some(name) = rest.strip_prefix('(').map(str::trim_start).and_then(|r| r.strip_prefix('"')) {
            out.insert(ident_at(name));
        }
    }
    out
}

/// One line per name missing from a place, empty when all three agree.
fn drift(commands_rs: &str, main_rs: &str, api_ts: &str) -> Vec<String> {
    let places = [
        ("src-tauri/src/commands.rs (#[tauri::command])", shell_commands(commands_rs)),
        ("src-tauri/src/main.rs (generate_handler!)", handler_list(main_rs)),
        ("ui/src/api.ts (call)", ui_calls(api_ts)),
    ];
    let all: BTreeSet<&String> = places.iter().flat_map(|(_, names)| names).collect();
    let mut problems = Vec::new();
    for name in all {
        for (place, names) in &places {
            if !names.contains(name) {
                let has: Vec<&str> = places.iter().filter(|(_, n)| n.contains(name)).map(|(p, _)| *p).collect();
                problems.push(format!("`{name}` is missing from {place} (it is in {})", has.join(", ")));
            }
        }
    }
    problems
}

struct Sources {
    commands: String,
    main: String,
    api: String,
}

fn sources() -> Sources {
    Sources {
        commands: repo_file("src-tauri/src/commands.rs"),
        main: repo_file("src-tauri/src/main.rs"),
        api: repo_file("ui/src/api.ts"),
    }
}

#[test]
fn command_names_are_the_same_in_the_shell_its_handler_list_and_the_ui() {
    let s = sources();
    let names = shell_commands(&s.commands);
    // The parse found the commands, not nothing (an empty set matches everywhere).
    for known in ["startup", "member_list", "report_save", "sync_restore"] {
        assert!(names.contains(known), "{known} not found in commands.rs: {names:?}");
    }
    let problems = drift(&s.commands, &s.main, &s.api);
    assert!(problems.is_empty(), "the window's command names drifted:\n{}", problems.join("\n"));
}

/// The check itself: a name added to one place only is reported, in each
/// of the three places.
#[test]
fn a_command_name_added_to_one_place_only_is_reported() {
    let s = sources();
    let extra_command = s.commands.clone() + "\n#[tauri::command]\npub async fn member_merge() {}\n";
    let extra_handler = s.main.replacen("commands::startup,", "commands::startup,\n commands::member_merge,", 1);
    let extra_call =
        s.api.replacen("export const api = {", "export const api = {\n  x: () => call<null>(\"member_merge\"),", 1);
    assert_ne!(extra_handler, s.main);
    assert_ne!(extra_call, s.api);
    for (commands, main, api, missing_from) in [
        (&extra_command, &s.main, &s.api, ["main.rs", "api.ts"]),
        (&s.commands, &extra_handler, &s.api, ["commands.rs", "api.ts"]),
        (&s.commands, &s.main, &extra_call, ["commands.rs", "main.rs"]),
    ] {
        let problems = drift(commands, main, api);
        assert_eq!(problems.len(), 2, "{problems:?}");
        for (p, place) in problems.iter().zip(missing_from) {
            assert!(p.starts_with("`member_merge` is missing from") && p.contains(place), "{p}");
        }
    }
}
