//! Paths the page names. The page may type a path as well as pick one, so a
//! command that writes or reads a file takes only an absolute path with the
//! extension its format has: a command meant for reports cannot be turned
//! into a way to overwrite any other file.

use std::path::PathBuf;

use kizuna_core::{ApiError, Error};

/// `path` trimmed, when it is absolute and ends in one of `extensions`.
pub fn checked(path: &str, extensions: &[&str]) -> Result<PathBuf, ApiError> {
    let path = PathBuf::from(path.trim());
    let ext_ok = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        let e = e.to_ascii_lowercase();
        extensions.iter().any(|x| *x == e)
    });
    if path.is_absolute() && ext_ok {
        return Ok(path);
    }
    let wanted = extensions.iter().map(|x| format!(".{x}")).collect::<Vec<_>>().join(" or ");
    Err(Error::invalid("path", format!("'{}' is not an absolute path to a {wanted} file", path.display())).to_api())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absolute_paths_with_a_listed_extension_pass() {
        assert_eq!(checked(" /tmp/a.PDF ", &["pdf"]).map_err(|e| e.message), Ok(PathBuf::from("/tmp/a.PDF")));
        let relative = checked("relative/report.pdf", &["pdf"]).map(|_| ()).unwrap_err();
        assert_eq!(relative.message, "path: 'relative/report.pdf' is not an absolute path to a .pdf file");
        let wrong = checked("/home/x/.bashrc", &["csv", "xlsx"]).map(|_| ()).unwrap_err();
        assert!(wrong.message.ends_with("is not an absolute path to a .csv or .xlsx file"), "{}", wrong.message);
    }
}
