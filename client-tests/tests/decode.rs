//! The generated types' `Deserialize` and `Serialize` (the runtime's `json_object!` for structs,
//! not serde's derive): what they accept and refuse, from text and from a `serde_json::Value`, and
//! what they write.

use serde_json::json;
use zoom_clips_master::types::{Clip, ClipStatus, ListClipsResponse, ShareScope};

#[test]
fn optional_fields_absent_or_null_are_none_and_unknown_keys_are_skipped() {
    let clip: Clip = serde_json::from_str(
        r#"{"title": "a", "duration": null, "surprise": {"nested": [1, 2]}, "status": "RECORD_END"}"#,
    )
    .expect("decodes");
    assert_eq!(clip.title.as_deref(), Some("a"));
    assert_eq!(clip.duration, None);
    assert_eq!(clip.clip_id, None);
    assert_eq!(clip.status, Some(ClipStatus::RecordEnd));
}

#[test]
fn escaped_keys_match_and_a_repeated_key_keeps_the_last_value() {
    // `\u0074itle` is `title` spelled with an escape: the key cannot be borrowed.
    let clip: Clip =
        serde_json::from_str(r#"{"\u0074itle": "first", "title": "second"}"#).expect("decodes");
    assert_eq!(clip.title.as_deref(), Some("second"));
}

#[test]
fn values_decode_from_serde_json_value_too() {
    let page: ListClipsResponse = serde_json::from_value(json!({
        "data": [{"share_link_settings": {"share_scope": "SAME_ORGANIZATON", "enable_passcode": true}}],
        "page_size": 30
    }))
    .expect("decodes from a Value");
    let settings = page.data.expect("data")[0]
        .share_link_settings
        .clone()
        .expect("settings");
    assert_eq!(settings.share_scope, Some(ShareScope::SameOrganizaton));
    assert_eq!(settings.enable_passcode, Some(true));
    assert_eq!(page.page_size, Some(30));
}

#[test]
fn wrong_types_are_errors_that_say_what_was_expected() {
    let err = serde_json::from_str::<Clip>(r#"{"title": 5}"#).expect_err("a number is not a title");
    assert!(err.to_string().contains("expected a string"), "{err}");
    let err = serde_json::from_str::<Clip>("[1, 2]").expect_err("an array is not a clip");
    assert!(err.to_string().contains("a JSON object (Clip)"), "{err}");
}

#[test]
fn serialization_leaves_out_absent_optional_fields_and_round_trips() {
    let mut clip = Clip::default();
    clip.title = Some("a".into());
    clip.status = Some(ClipStatus::Unknown("NEW_STATE".into()));
    let text = serde_json::to_string(&clip).expect("serializes");
    assert_eq!(text, r#"{"title":"a","status":"NEW_STATE"}"#);
    let back: Clip = serde_json::from_str(&text).expect("decodes");
    assert_eq!(back, clip);
}
