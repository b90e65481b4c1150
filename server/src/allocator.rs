//! Keeps password hashing from inflating the server's memory for good.
//!
//! Each Argon2id hash or check allocates about 19 MiB and frees it again. glibc's malloc
//! raises its mmap threshold to the size of a freed mmap'd block, so from the second
//! hash on those 19 MiB come from a per-thread heap arena and stay resident: with
//! Tokio's blocking threads, 10 sign-ins took the process from 37 to 260 MiB
//! (`cargo bench -p server --bench load`). A fixed threshold of 1 MiB keeps large blocks
//! mmap'd, so they go back to the system when freed.

/// Fixes glibc's mmap threshold (see the module docs); elsewhere does nothing.
pub fn keep_large_blocks_mapped() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const ONE_MIB: libc::c_int = 1 << 20;
        // SAFETY: mallopt only changes malloc's tuning; called at start, before other
        // threads allocate.
        let set = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, ONE_MIB) };
        if set != 1 {
            tracing::warn!("could not set malloc's mmap threshold");
        }
    }
}
