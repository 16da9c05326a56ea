//! Whose staging folder is it: the process id in its name, and whether that
//! process still runs (a live build's folder is never removed).

#[cfg(target_os = "linux")]
use std::path::Path;

/// The process id in a staging folder's name after its prefix: exactly
/// `PID-SEQ` or `PID-SEQ.old` (biji's own names, nothing a user would make).
pub(super) fn staging_pid(rest: &str) -> Option<u32> {
    let rest = rest.strip_suffix(".old").unwrap_or(rest);
    let (pid, seq) = rest.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(pid) && digits(seq))
        .then(|| pid.parse().ok())
        .flatten()
}

/// Whether process `pid` still runs (a folder of a live build is left alone).
#[allow(unsafe_code)]
pub(super) fn process_alive(pid: u32) -> bool {
    #[cfg(target_os = "linux")]
    {
        Path::new("/proc").join(pid.to_string()).exists()
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        // Signal 0 checks existence; EPERM means it exists but is not ours.
        let Ok(pid) = i32::try_from(pid) else {
            return false;
        };
        // SAFETY: kill with signal 0 sends nothing; it only checks the pid.
        unsafe { libc::kill(pid, 0) == 0 }
        || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(windows)]
    {
        // No process API without unsafe code: ask `tasklist`, which prints the
        // process as a CSV row with its quoted pid (and only a localized note
        // when there is none). Leftovers are rare, so one spawn is cheap here.
        // If tasklist cannot run, keep the folder.
        std::process::Command::new("tasklist")
            .args(["/FI", &format!("PID eq {pid}"), "/FO", "CSV", "/NH"])
            .output()
            .map_or(true, |o| {
                String::from_utf8_lossy(&o.stdout).contains(&format!("\"{pid}\""))
            })
    }
    #[cfg(not(any(unix, windows)))]
    {
        // No check: keep it (a later build on that machine may still remove it).
        let _ = pid;
        true
    }
}
