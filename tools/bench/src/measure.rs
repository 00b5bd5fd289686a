//! Running a child process and measuring it: wall time, and peak resident memory of the process
//! and every descendant it waited for (`cargo` waits for `rustc`, so a check's peak is rustc's).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run of a command took.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    pub wall: Duration,
    /// Peak resident set size, bytes.
    pub peak_rss: u64,
}

/// Output and measurements of a command that succeeded.
pub struct Run {
    pub measured: Measured,
    pub stderr: String,
}

/// Runs `command` to completion with stdout discarded, measuring it with `wait4`.
///
/// The peak memory is `wait4`'s `ru_maxrss`: the largest of the command's and its descendants'.
/// Linux starts a spawned process's figure at its parent's peak, so this process keeps its own
/// memory small until its last measurement.
///
/// # Errors
///
/// When the command cannot start or exits unsuccessfully (the message carries its stderr's end).
pub fn run(command: &mut Command) -> Result<Run, String> {
    let shown = format!("{command:?}");
    let stderr_file = tempfile(&shown)?;
    let started = Instant::now();
    let child = command
        .stdout(Stdio::null())
        .stderr(
            stderr_file
                .try_clone()
                .map_err(|e| format!("cannot set up stderr for {shown}: {e}"))?,
        )
        .spawn()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    let (status, peak_rss) = wait(child.id())?;
    let wall = started.elapsed();
    let stderr = read_back(stderr_file);
    if status != 0 {
        let tail: String = stderr
            .lines()
            .rev()
            .take(15)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("\n");
        return Err(format!("{shown} failed (status {status}):\n{tail}"));
    }
    Ok(Run {
        measured: Measured { wall, peak_rss },
        stderr,
    })
}

/// Waits for `pid`; its exit status (or 128 + signal) and peak RSS in bytes.
fn wait(pid: u32) -> Result<(i32, u64), String> {
    let pid = libc::pid_t::try_from(pid).map_err(|_| format!("pid {pid} out of range"))?;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain data that `wait4` fills in; `status` is a valid out pointer.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if waited != pid {
        return Err(format!(
            "wait4({pid}) failed: {}",
            std::io::Error::last_os_error()
        ));
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    // Linux reports `ru_maxrss` in KiB.
    let peak = u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024;
    Ok((code, peak))
}

fn tempfile(what: &str) -> Result<std::fs::File, String> {
    let dir = std::env::temp_dir();
    for n in 0..1000u32 {
        let path = dir.join(format!("xtask-bench-{}-{n}.stderr", std::process::id()));
        match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => {
                // The name is not needed once the file is open.
                let _ = std::fs::remove_file(&path);
                return Ok(file);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot capture stderr of {what}: {e}")),
        }
    }
    Err(format!(
        "cannot capture stderr of {what}: no free temporary name"
    ))
}

fn read_back(mut file: std::fs::File) -> String {
    use std::io::{Read, Seek};
    let mut text = String::new();
    if file.seek(std::io::SeekFrom::Start(0)).is_ok() {
        let mut bytes = Vec::new();
        let _ = file.read_to_end(&mut bytes);
        text = String::from_utf8_lossy(&bytes).into_owned();
    }
    text
}

/// The median of `runs` by wall time, with the highest peak memory seen.
pub fn median(runs: &[Measured]) -> Measured {
    Measured {
        wall: middle(runs.iter().map(|m| m.wall).collect(), Ord::cmp).unwrap_or_default(),
        peak_rss: runs.iter().map(|m| m.peak_rss).max().unwrap_or(0),
    }
}

/// The middle value of `values` in the order `cmp` gives (the upper one of an even count), or
/// `None` when there is none.
pub fn middle<T: Copy>(
    mut values: Vec<T>,
    cmp: impl FnMut(&T, &T) -> std::cmp::Ordering,
) -> Option<T> {
    values.sort_by(cmp);
    values.get(values.len() / 2).copied()
}
