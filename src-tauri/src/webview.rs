//! Keeping the window's memory down. Each knob was measured with
//! `xvfb-run -a cargo bench -p kizuna-app --bench window -- memory` on the
//! 100,000-site data set (figures in the README); knobs that did not move the
//! figure (WebKit's DocumentViewer cache model, page cache off, JIT off,
//! MALLOC_ARENA_MAX) are left out.

/// Runs first in main, before GTK and WebKit start. Without compositing the
/// web process paints the page itself instead of through a GL compositor:
/// about 80 MiB less RSS, and a forms-and-tables window loses nothing a
/// person can see. A WEBKIT_DISABLE_COMPOSITING_MODE already set (to 0, say,
/// on a machine where compositing is wanted) is left as it is.
pub fn before_webkit() {
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        // SAFETY: called first thing in main, while the process has one thread.
        unsafe { std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1") };
    }
}

/// Hands the heap pages freed after startup back to the system; glibc keeps
/// them mapped otherwise (about 24 MiB after the first dashboard).
#[allow(dead_code)] // the floor example shares this file and never trims
pub fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}
