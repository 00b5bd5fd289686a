//! The allocator of the command-line tools (`openapi-rs`, and `cargo xtask` in the generator's
//! repository, which includes this file).
//!
//! The generator allocates and frees many small token trees; mimalloc is faster at that than
//! glibc's allocator (`cargo xtask bench` measures generation with it).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// By default mimalloc returns memory that has stayed free for a few milliseconds to the OS,
/// and the generator's worker threads soon allocate it again, at the cost of a page fault and
/// the kernel zeroing the page each time (generating GitHub's client took 2,000 to 8,000 page
/// faults; with this, 460). The process is short-lived, so freed memory is kept for reuse.
pub(crate) fn keep_freed_memory() {
    /// `mi_option_purge_delay` in mimalloc's `mi_option_t`, which `libmimalloc-sys` does not
    /// name. mimalloc keeps the numbering stable: retired options keep their places as
    /// `mi_option_deprecated_*`. -1 means never purge.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is a plain store, which mimalloc allows at any time.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}
