//! Keeping the window's memory down. Each knob was measured with
//! `xvfb-run -a cargo bench -p kizuna-e2e --bench window -- memory` on the
//! 100,000-site data set (figures in the README). Left out: WebKit's
//! DocumentViewer cache model, page cache off, JIT off and MALLOC_ARENA_MAX
//! (no effect), and WEBKIT_DISABLE_COMPOSITING_MODE=1: 83 MiB less in the web
//! process, but WebKitWebDriver's screenshot of the dashboard then never
//! returns, so a window that may stall painting is not worth it unexplained.

/// Hands the heap pages freed after startup back to the system; glibc keeps
/// them mapped otherwise (about 24 MiB after the first dashboard).
pub fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}
