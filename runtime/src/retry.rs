//! When and how long to wait before trying a request again: exponential backoff with jitter, and
//! the server's `Retry-After` in three forms (delta seconds, HTTP-date, and the ISO 8601 timestamp
//! some APIs send).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How failed requests are retried.
///
/// Retried: HTTP 429, 502, 503 and 504, connection errors and timeouts — for idempotent methods
/// (GET, HEAD, OPTIONS, PUT, DELETE, TRACE) by default, for POST and PATCH only when
/// [`RetryPolicy::retry_non_idempotent`] (or the request's options) say so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included (default 3; 1 turns retries off).
    pub max_attempts: u32,
    /// Backoff before the first retry (default 500 ms); doubled for each further retry.
    pub base_delay: Duration,
    /// The longest wait (default 30 s). A `Retry-After` longer than this is not slept: the
    /// error is returned with [`crate::ApiError::retry_after`] set.
    pub max_delay: Duration,
    /// Retry POST and PATCH too (default `false`).
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The backoff before retry number `retry` (1 for the first), with jitter: a random wait
    /// between half and all of `base_delay * 2^(retry-1)`, capped at `max_delay`.
    #[doc(hidden)]
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << retry.saturating_sub(1).min(20));
        let capped = exp.min(self.max_delay);
        capped / 2 + capped.mul_f64(random_fraction() / 2.0)
    }
}

/// A number in `[0, 1)`, different on every call; good enough to spread retries apart.
fn random_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The wait a `Retry-After` header asks for, relative to `now`: delta seconds (`120`), an
/// HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`) or an ISO 8601 timestamp
/// (`2020-05-31T00:00:00Z`). A time in the past means no wait; anything else is `None`.
#[doc(hidden)]
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_http_date(value).or_else(|| parse_iso8601(value))?;
    let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs_f64();
    Some(Duration::from_secs_f64((at - now).max(0.0)))
}

/// An HTTP-date (`Sun, 06 Nov 1994 08:49:37 GMT`, and the two obsolete forms RFC 9110 asks
/// recipients to accept) as seconds since the Unix epoch.
fn parse_http_date(value: &str) -> Option<f64> {
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(UNIX_EPOCH).ok()?.as_secs_f64())
}

/// `2020-05-31T00:00:00Z`, `2020-05-31T00:00:00.250+02:00` as seconds since the Unix epoch.
fn parse_iso8601(value: &str) -> Option<f64> {
    let (date, rest) = value.split_once(['T', 't', ' '])?;
    let mut ymd = date.splitn(3, '-');
    let (year, month, day) = (
        ymd.next()?.parse().ok()?,
        ymd.next()?.parse().ok()?,
        ymd.next()?.parse().ok()?,
    );
    let (time, offset) = if let Some(t) = rest.strip_suffix(['Z', 'z']) {
        (t, 0i64)
    } else {
        let at = rest.rfind(['+', '-'])?;
        let (t, off) = rest.split_at(at);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let (oh, om) = off[1..].split_once(':').unwrap_or((&off[1..], "0"));
        (
            t,
            sign * (oh.parse::<i64>().ok()? * 3600 + om.parse::<i64>().ok()? * 60),
        )
    };
    let (whole, fraction) = time.split_once('.').unwrap_or((time, "0"));
    let (h, m, s) = parse_hms(whole)?;
    let fraction: f64 = format!("0.{fraction}").parse().ok()?;
    Some(unix_seconds((year, month, day), (h, m, f64::from(s) + fraction))? - offset as f64)
}

fn parse_hms(time: &str) -> Option<(u32, u32, u32)> {
    let mut it = time.splitn(3, ':');
    let h = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let s = it.next()?.parse().ok()?;
    (h < 24 && m < 60 && s <= 60).then_some((h, m, s))
}

/// Seconds since the Unix epoch of a UTC civil date `(year, month, day)` and time
/// `(hours, minutes, seconds)` (Howard Hinnant's days-from-civil).
fn unix_seconds((year, month, day): (i64, u32, u32), (h, m, s): (u32, u32, f64)) -> Option<f64> {
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(month) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days as f64 * 86_400.0 + f64::from(h * 3600 + m * 60) + s)
}
