//! A hint to Linux to back the hashed index's large buffers with 2 MB
//! pages: the comparisons read the text at random, and with 4 KB pages
//! nearly every one misses the address cache (TLB); fresh buffers also
//! fault in 512 times fewer pieces. A hint only: contents never change,
//! and elsewhere (or when the kernel declines) nothing happens.

/// The size of a huge page on x86-64 and most arm64 kernels.
#[cfg(target_os = "linux")]
const HUGE_PAGE: usize = 2 << 20;

/// Asks for huge pages under `values` (the whole 2 MB pages inside it);
/// with `now`, the kernel also moves what is already there into them
/// before returning.
pub(super) fn advise_huge_pages<T>(values: &[T], now: bool) {
    #[cfg(target_os = "linux")]
    {
        let start = values.as_ptr() as usize;
        let end = start + std::mem::size_of_val(values);
        let (from, to) = (
            start.next_multiple_of(HUGE_PAGE),
            end / HUGE_PAGE * HUGE_PAGE,
        );
        if to <= from {
            return;
        }
        let (address, len) = (from as *mut libc::c_void, to - from);
        // SAFETY: the range lies inside memory `values` borrows; both
        // advices change how it is mapped, never what it holds, and a
        // refusal leaves it as it was (the result is ignored on purpose).
        unsafe {
            libc::madvise(address, len, libc::MADV_HUGEPAGE);
            #[cfg(target_env = "gnu")]
            if now {
                libc::madvise(address, len, libc::MADV_COLLAPSE);
            }
        }
    }
    let _ = (values, now);
}
