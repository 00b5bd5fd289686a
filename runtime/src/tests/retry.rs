//! Unit tests of `retry.rs`, kept apart so that the module ships as it stands.

use crate::retry::*;
use std::time::{Duration, UNIX_EPOCH};

#[test]
fn retry_after_forms() {
    let now = UNIX_EPOCH + Duration::from_secs(1_590_883_190); // 2020-05-30T23:59:50Z
    assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
    assert_eq!(
        parse_retry_after("2020-05-31T00:00:00Z", now),
        Some(Duration::from_secs(10))
    );
    assert_eq!(
        parse_retry_after("Sun, 31 May 2020 00:00:00 GMT", now),
        Some(Duration::from_secs(10))
    );
    // The obsolete RFC 850 and asctime forms, which recipients must accept (RFC 9110, 5.6.7).
    assert_eq!(
        parse_retry_after("Sunday, 31-May-20 00:00:00 GMT", now),
        Some(Duration::from_secs(10))
    );
    assert_eq!(
        parse_retry_after("Sun May 31 00:00:00 2020", now),
        Some(Duration::from_secs(10))
    );
    assert_eq!(
        parse_retry_after("2020-05-31T02:00:00+02:00", now),
        Some(Duration::from_secs(10))
    );
    assert_eq!(
        parse_retry_after("2000-01-01T00:00:00Z", now),
        Some(Duration::ZERO)
    );
    assert_eq!(parse_retry_after("soon", now), None);
}

#[test]
fn backoff_grows_and_is_capped() {
    let policy = RetryPolicy::default();
    for retry in 1..10 {
        let d = policy.backoff(retry);
        let full = (policy.base_delay * (1 << (retry - 1))).min(policy.max_delay);
        assert!(d >= full / 2 && d <= full, "{retry}: {d:?}");
    }
}
