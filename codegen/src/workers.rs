//! The few worker threads that emit, print and lay out the Rust files. Each file, and each part
//! of the large ones, is emitted, printed and laid out by one worker (token streams are not
//! `Send`, so a part's tokens never leave its thread); only as many parts as there are workers
//! are in memory as tokens and syntax trees at once, which bounds the peak. A panic in a worker becomes an
//! error naming its file, never a crash.

use crate::{format, Error};
use std::time::{Duration, Instant};

/// A file (or part) to emit: its path, and the function that makes its tokens.
pub(crate) type Job<'a> = (
    &'static str,
    Box<dyn Fn(&crate::model::Api) -> proc_macro2::TokenStream + Send + Sync + 'a>,
);

/// A file or part printed: its laid-out text ([`format::lay_out`]), and how long emitting and
/// formatting (printing and laying out) took.
pub(crate) type Printed = Result<(String, Duration, Duration), Error>;

/// Emits and prints every job on `available_parallelism` threads; results in job order.
pub(crate) fn print(api: &crate::model::Api, jobs: &[Job<'_>]) -> Vec<Printed> {
    let workers = std::thread::available_parallelism()
        .map_or(2, std::num::NonZeroUsize::get)
        .clamp(1, jobs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let next = &next;
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(move || {
                    // (index, result) of each file or part this worker took, in turn.
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((path, emit)) = jobs.get(i) else {
                            return done;
                        };
                        let start = Instant::now();
                        let tokens = emit(api);
                        let emitted = start.elapsed();
                        let start = Instant::now();
                        let result = format::unparse(path, tokens)
                            .map(|text| (format::lay_out(&text), emitted, start.elapsed()));
                        done.push((i, result));
                    }
                })
            })
            .collect();
        let mut results: Vec<Option<Printed>> = (0..jobs.len()).map(|_| None).collect();
        for handle in handles {
            // A worker that panicked leaves its files without a result, reported below.
            for (i, result) in handle.join().unwrap_or_default() {
                results[i] = Some(result);
            }
        }
        results
            .into_iter()
            .zip(jobs.iter())
            .map(|(result, (path, _))| {
                result.unwrap_or_else(|| {
                    Err(
                        Error::at(*path, "", "internal error: emitting this file panicked")
                            .hint("this is a bug in the generator; please report it with the spec"),
                    )
                })
            })
            .collect()
    })
}

/// Joins the printed parts of each file (adjacent in `jobs`), in order, with the blank line the
/// layout puts where two parts meet ([`format::join_laid_out`]): (path, text, time to emit, time
/// to format).
pub(crate) fn join_parts(
    jobs: &[Job<'_>],
    printed: Vec<Printed>,
) -> Result<Vec<(&'static str, String, Duration, Duration)>, Error> {
    let mut joined: Vec<(&'static str, String, Duration, Duration)> = Vec::new();
    for ((path, _), result) in jobs.iter().zip(printed) {
        let (text, emitted, took) = result?;
        match joined.last_mut() {
            Some(last) if last.0 == *path => {
                format::join_laid_out(&mut last.1, &text);
                last.2 += emitted;
                last.3 += took;
            }
            _ => joined.push((path, text, emitted, took)),
        }
    }
    Ok(joined)
}
