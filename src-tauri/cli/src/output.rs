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
                Ok(s) => println!("{s}"),
                Err(e) => eprintln!("error: cannot encode output: {e}"),
            }
        } else {
            let text = human(value);
            if !text.is_empty() {
                println!("{text}");
            }
        }
    }

    /// Errors go to stderr as `error[code]: message`; with `--json` the
    /// `{code, message, field}` object is also printed on stdout.
    pub fn error(&self, e: &Error) {
        let api = e.to_api();
        if self.json
            && let Ok(s) = serde_json::to_string_pretty(&serde_json::json!({ "error": api }))
        {
            println!("{s}");
        }
        eprintln!("error[{}]: {}", api.code, api.message);
    }
}
