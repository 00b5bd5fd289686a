//! What a run found: the CSV rows, and the Markdown report with each failure put down to the
//! mock, the spec or the client.

use super::{driver, Prepared, Row, PRISM_VERSION};
use std::collections::BTreeMap;
use std::fmt::Write as _;

pub(super) fn csv(rows: &[&Row]) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out =
        String::from("spec,operation,method,path,sent,prism_status,accepted,decoded,detail\n");
    for r in rows {
        // The first problem, else what the driver noted of the call.
        let detail = if r.detail.is_empty() {
            &r.note
        } else {
            &r.detail
        };
        let detail: String = detail.chars().take(400).collect();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{}",
            quote(&r.spec),
            quote(&r.operation),
            r.method,
            quote(&r.path),
            r.sent,
            r.statuses.join("/"),
            r.accepted,
            r.decoded,
            quote(&detail.replace('\n', " "))
        );
    }
    out
}

/// Why an operation failed, from its first problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Cause {
    /// The spec's path has a `#` or `?` (AWS's `/#X-Amz-Target=…`): Prism routes no request to
    /// it. Or Prism matched the request to another path of the spec (`/v1/{id}.{format}` for
    /// `/v1/category-list.{format}`) and refused it for a path parameter this operation does not
    /// have.
    MockCannotRoute,
    /// Prism did not start for the spec.
    MockDidNotStart,
    /// Prism answered with a redirect to the spec's example `Location` (GitHub's downloads), a
    /// host that needs a name lookup, which this offline machine cannot do. The client follows
    /// redirects, as it must against the real API.
    MockRedirectsOffline,
    /// Prism's response broke the spec (its `VIOLATIONS` on the response), or it could not make
    /// one (complex objects as text, schemas too complex, binary bodies, an internal error), or
    /// it hung making one in dynamic mode (the static mode answered the same request).
    MockCannotAnswer,
    /// A one-item array in a multipart or form body, sent as one part or pair (as these
    /// encodings send arrays), which Prism reads as a single value and refuses.
    MockMultipartArray,
    /// An object part of a multipart body, sent as JSON with `Content-Type: application/json`
    /// (OpenAPI's default for an object part), which Prism reads as text and refuses.
    MockMultipartObject,
    /// Prism refused the request only for query parameters it did not carry: it validates an
    /// absent optional `deepObject` parameter as an object of empty arrays, so an array inside
    /// with `minItems` fails though nothing was sent.
    MockValidatesUnsent,
    /// The request's arguments came from a `oneOf` whose alternatives overlap, so any value
    /// matches several of them, and Prism refused it for that.
    SpecOverlappingOneOf,
    /// The response (the spec's example, or a body made from its schema) breaks the spec's own
    /// schema, as Prism's `sl-violations` header says, and the client could not decode it.
    SpecResponseInvalid,
    /// A text or binary body (`text/plain`, `application/octet-stream`), sent as its media type
    /// says, that Prism refused because the spec gives that body an object or array schema:
    /// no text or bytes can be one.
    SpecRawBodyWithObjectSchema,
    /// Prism refused the request (validation, routing, security).
    RequestRefused,
    /// The client did not decode the response.
    NotDecoded,
    /// The harness could not make arguments of the generated types.
    Harness,
    /// Not sent (skipped by the generator) or anything else.
    Other,
}

impl Cause {
    fn describe(self) -> &'static str {
        match self {
            Cause::MockCannotRoute => "mock: cannot route the spec's path (`#` or `?` in the path key, or it took the request for another path's)",
            Cause::MockDidNotStart => "mock: Prism did not start",
            Cause::MockRedirectsOffline => "mock: a redirect to the spec's example `Location`, a host this offline machine cannot look up",
            Cause::MockCannotAnswer => "mock: no response that fits the spec (Prism's response violations, text serialisation, binary bodies, dynamic generation failing or hanging)",
            Cause::MockMultipartArray => "mock: a one-item array in a multipart or form body, sent as one part or pair, which Prism reads as a single value",
            Cause::MockMultipartObject => "mock: an object part of a multipart body, sent as JSON as OpenAPI says, which Prism reads as text",
            Cause::MockValidatesUnsent => "mock: refused for an optional query parameter the request did not carry (Prism validates an absent `deepObject` parameter as an object of empty arrays)",
            Cause::SpecOverlappingOneOf => "spec: `oneOf` alternatives overlap, so every value matches more than one and the mock refuses it",
            Cause::SpecResponseInvalid => "spec: the response breaks the spec's own schema (Prism's `sl-violations`) and the client could not decode it",
            Cause::SpecRawBodyWithObjectSchema => "spec: a text or binary body whose schema is an object or array, which no text or bytes can be",
            Cause::RequestRefused => "client: request refused by the mock",
            Cause::NotDecoded => "client: response not decoded",
            Cause::Harness => "harness: no arguments of the generated types",
            Cause::Other => "not sent, or other",
        }
    }
}

fn cause(r: &Row) -> Cause {
    let d = r.detail.as_str();
    let weird_path = r.path.contains('#') || r.path.contains('?');
    if d.contains("mock did not start") {
        Cause::MockDidNotStart
    } else if !r.sent {
        Cause::Other
    } else if (d.contains("NO_PATH_MATCHED_ERROR") || d.contains("NO_METHOD_MATCHED_ERROR"))
        && weird_path
    {
        // Prism drops the `#…` and matched another path key (`/tags/{arn}` for
        // `/tags/{arn}#tagKeys`), which lacks this method.
        Cause::MockCannotRoute
    } else if !r.accepted && foreign_path_parameter(d, &r.path) {
        Cause::MockCannotRoute
    } else if d.contains("transport error") && d.contains("dns error") {
        // Every mock listens on 127.0.0.1: a name lookup means a redirect elsewhere.
        Cause::MockRedirectsOffline
    } else if d.contains("NO_COMPLEX_OBJECT_TEXT")
        || d.contains("SCHEMA_TOO_COMPLEX")
        || d.contains(": UNKNOWN:")
        || d.starts_with("dynamic: timed out")
        // The mock died making a response (the harness restarts it for the rest).
        || d.starts_with("dynamic: transport error")
        || (d.contains(": VIOLATIONS:") && d.contains("[\"response\""))
    {
        Cause::MockCannotAnswer
    } else if d.contains(driver::FORM_BODY) && d.contains("must be array") && !r.accepted {
        Cause::MockMultipartArray
    } else if d.contains(driver::MULTIPART_BODY) && d.contains("must be object") && !r.accepted {
        Cause::MockMultipartObject
    } else if !r.accepted && only_unsent_refused(d, &r.unsent) {
        Cause::MockValidatesUnsent
    } else if d.contains(driver::AMBIGUOUS_ONE_OF) && !r.accepted {
        Cause::SpecOverlappingOneOf
    } else if d.contains(driver::RAW_BODY)
        && !r.accepted
        && (d.contains("Request body must be object") || d.contains("Request body must be array"))
    {
        Cause::SpecRawBodyWithObjectSchema
    } else if d.contains("RESPONSE_VIOLATIONS") && r.accepted && !r.decoded {
        Cause::SpecResponseInvalid
    } else if d.contains("does not fit the generated type") {
        Cause::Harness
    } else if !r.accepted {
        Cause::RequestRefused
    } else if !r.decoded {
        Cause::NotDecoded
    } else {
        Cause::Other
    }
}

/// The parameters in `place` (`query`, `path`) that Prism's violations name:
/// `"location":["request","query","filter",…]` in its `sl-violations`, `["query","filter",…]` in
/// its 422 answers.
fn located<'a>(detail: &'a str, place: &str) -> Vec<&'a str> {
    let prefixes = [
        format!("\"location\":[\"request\",\"{place}\",\""),
        format!("\"location\":[\"{place}\",\""),
    ];
    prefixes
        .iter()
        .flat_map(|prefix| {
            detail.match_indices(prefix.as_str()).map(move |(at, _)| {
                let rest = &detail[at + prefix.len()..];
                rest.split('"').next().unwrap_or_default()
            })
        })
        .collect()
}

/// Whether Prism names a path parameter that the operation's path template does not have: it
/// took the request for another path's.
fn foreign_path_parameter(detail: &str, template: &str) -> bool {
    located(detail, "path")
        .iter()
        .any(|name| !template.contains(&format!("{{{name}}}")))
}

/// Whether every violation Prism names is on one of the `unsent` query parameters, and it names
/// at least one.
fn only_unsent_refused(detail: &str, unsent: &[String]) -> bool {
    let named = located(detail, "query");
    !named.is_empty()
        && named.len() == detail.matches("\"location\":[").count()
        && named.iter().all(|name| unsent.iter().any(|u| u == name))
}

pub(super) fn markdown(set: &str, version: &str, specs: &[Prepared], summary: &str) -> String {
    let operations: Vec<&Row> = specs
        .iter()
        .flat_map(|s| &s.rows)
        .filter(|r| !r.operation.is_empty())
        .collect();
    let both = operations
        .iter()
        .filter(|r| r.accepted && r.decoded)
        .count();
    #[allow(clippy::cast_precision_loss)] // counts of operations
    let share = 100.0 * both as f64 / operations.len().max(1) as f64;
    let mut md = format!(
        "# Contract report: `{set}`\n\nMade by `cargo xtask contract --set {set}` with the generator at commit `{version}`, \
         against Prism {PRISM_VERSION} (static examples, then `--dynamic`). {summary}; \
         {both} of the operations both accepted and decoded ({share:.1}%).\n\n\
         An operation is *accepted* when Prism raised no validation or security error in both modes (its error \
         bodies, and request violations in its `sl-violations` header), and \
         *decoded* when the client decoded both responses (a documented error status counts as decoded). \
         Per-operation rows, with the first problem seen, are in `{set}.csv`. \
         Prism mocks the spec itself, except that its dynamic mode makes arrays of at most two \
         items where the schema allows (`x-json-schema-faker: {{maxItems: 2}}`; else it can take \
         minutes for one response), that a response's JSON schema under `*/*` (and no JSON \
         media type) is listed as `application/json`, which Prism 5 can serve, and that an \
         operation whose path key has a `#` is moved where Prism can route to it: \
         `/#X-Amz-Target=S.Op` (AWS's operations told apart by that header) to \
         `/X-Amz-Target=S.Op`, where a proxy in front of Prism sends a request for `/` with that \
         header, and `/path#fragment` to `/path` unless that path has the method already.\n\n\
         | spec | operations | sent | accepted | decoded |\n|---|---:|---:|---:|---:|\n"
    );
    for s in specs {
        let n = s.rows.iter().filter(|r| !r.operation.is_empty()).count();
        let count = |f: &dyn Fn(&Row) -> bool| s.rows.iter().filter(|r| f(r)).count();
        let _ = writeln!(
            md,
            "| {} | {n} | {} | {} | {} |",
            s.name,
            count(&|r| r.sent),
            count(&|r| r.accepted),
            count(&|r| r.decoded)
        );
    }
    let noted: Vec<&Row> = specs
        .iter()
        .flat_map(|s| &s.rows)
        .filter(|r| !r.note.is_empty())
        .collect();
    if !noted.is_empty() {
        md.push_str(
            "\n## Called differently\n\nOperations the driver called without something the spec lets it leave out, \
             and why. They count like the others.\n\n\
             | spec | operation | accepted and decoded | how |\n|---|---|---|---|\n",
        );
        for r in noted {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                r.spec,
                r.operation.replace('|', "\\|"),
                if r.accepted && r.decoded { "yes" } else { "no" },
                r.note
            );
        }
    }
    let failing: Vec<&Row> = specs
        .iter()
        .flat_map(|s| &s.rows)
        .filter(|r| !(r.accepted && r.decoded))
        .collect();
    if !failing.is_empty() {
        let mut causes: BTreeMap<Cause, usize> = BTreeMap::new();
        for r in &failing {
            *causes.entry(cause(r)).or_default() += 1;
        }
        md.push_str(
            "\n## Why the rest failed\n\nEach failing operation by its first problem. Those marked \
             *mock* are Prism's limits (it could not route the spec's path, start, or make a \
             response, or it refused a parameter the request did not carry); the client was not \
             judged there. Those marked *spec* are the spec's own \
             contradictions: a response that breaks its schema (served anyway, so the client is \
             judged on it, and counted here only when it could not decode it), `oneOf` \
             alternatives that no value can tell apart, or a text or binary body whose schema \
             is an object.\n\n\
             | cause | operations |\n|---|---:|\n",
        );
        for (c, n) in &causes {
            let _ = writeln!(md, "| {} | {n} |", c.describe());
        }
    }
    if !failing.is_empty() {
        md.push_str("\n## Not accepted or not decoded\n\n| spec | operation | statuses | first problem |\n|---|---|---|---|\n");
        // A spec whose mock did not start is one line, not one per operation (Microsoft Graph
        // would be 11,422 lines saying the same).
        let mut not_started: BTreeMap<&str, usize> = BTreeMap::new();
        for r in failing
            .iter()
            .filter(|r| cause(r) == Cause::MockDidNotStart)
        {
            *not_started.entry(r.spec.as_str()).or_default() += 1;
        }
        for r in failing {
            if let Some(n) = not_started.remove(r.spec.as_str()) {
                let detail: String = r.detail.chars().take(200).collect();
                let _ = writeln!(
                    md,
                    "| {} | all {n} not run: the mock did not start | - | {} |",
                    r.spec,
                    detail.replace('|', "\\|").replace('\n', " ")
                );
                continue;
            }
            if cause(r) == Cause::MockDidNotStart {
                continue;
            }
            let detail: String = r.detail.chars().take(200).collect();
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                r.spec,
                r.operation.replace('|', "\\|"),
                r.statuses.join("/"),
                detail.replace('|', "\\|").replace('\n', " ")
            );
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mock_that_did_not_start_is_one_line() {
        let not_started = |operation: &str| Row {
            spec: "big".into(),
            operation: operation.into(),
            detail: "the static mock did not start: prism did not listen within 90 s".into(),
            ..Row::default()
        };
        let spec = Prepared {
            name: "big".into(),
            mock: super::super::mock::MockSpec {
                path: "big.json".into(),
                routes: Vec::new(),
            },
            slug: "big".into(),
            rows: vec![not_started("a"), not_started("b"), not_started("c")],
            called: Vec::new(),
        };
        let md = markdown("large", "abc1234", &[spec], "contract: 3 operations");
        assert!(
            md.contains("| big | all 3 not run: the mock did not start | - |"),
            "{md}"
        );
        assert!(!md.contains("| big | b |"), "{md}");
        assert!(md.contains("| mock: Prism did not start | 3 |"), "{md}");
    }

    fn row(path: &str, accepted: bool, decoded: bool, detail: &str) -> Row {
        Row {
            spec: "s".into(),
            operation: "op".into(),
            method: "GET".into(),
            path: path.into(),
            sent: true,
            statuses: Vec::new(),
            accepted,
            decoded,
            detail: detail.into(),
            note: String::new(),
            unsent: Vec::new(),
        }
    }

    /// A refusal for optional query parameters the request did not carry is the mock's; one
    /// that also names a parameter it sent, or another place, is the client's.
    #[test]
    fn refusals_for_unsent_parameters_are_the_mocks() {
        let violation = |place: &str| {
            format!(
                r#"{{"code":"minItems","location":[{place}],"message":"…","severity":"Error"}}"#
            )
        };
        let refused = |detail: String| Row {
            unsent: vec!["filter".into(), "range".into()],
            ..row("/leagues/{id}", false, true, &detail)
        };
        let unsent = format!(
            "static: REQUEST_VIOLATIONS: {} {}",
            violation(r#""request","query","filter","begin_at""#),
            violation(r#""request","query","range","id""#)
        );
        assert_eq!(cause(&refused(unsent)), Cause::MockValidatesUnsent);
        let unsent_422 = format!(
            "static: UNPROCESSABLE_ENTITY: … [{}]",
            violation(r#""query","filter","ids""#)
        );
        assert_eq!(cause(&refused(unsent_422)), Cause::MockValidatesUnsent);
        let also_sent = format!(
            "static: REQUEST_VIOLATIONS: {} {}",
            violation(r#""request","query","filter","begin_at""#),
            violation(r#""request","query","page","size""#)
        );
        assert_eq!(cause(&refused(also_sent)), Cause::RequestRefused);
        let elsewhere = format!(
            "static: REQUEST_VIOLATIONS: {} {}",
            violation(r#""request","query","filter","begin_at""#),
            violation(r#""request","path","id""#)
        );
        assert_eq!(cause(&refused(elsewhere)), Cause::RequestRefused);
        let nothing_named = "static: REQUEST_VIOLATIONS: no location".to_string();
        assert_eq!(cause(&refused(nothing_named)), Cause::RequestRefused);
    }

    /// An object part of a multipart body refused as "must be object" is the mock's; the same
    /// words about a form body are the client's.
    #[test]
    fn object_parts_of_multipart_bodies_are_the_mocks() {
        let refusal = "UNPROCESSABLE_ENTITY: … Request body property podcast must be object";
        let multipart = format!(
            "static: {} {}: {refusal}",
            driver::FORM_BODY,
            driver::MULTIPART_BODY
        );
        let row_of = |detail: &str| row("/podcasts", false, true, detail);
        assert_eq!(cause(&row_of(&multipart)), Cause::MockMultipartObject);
        let form = format!("static: {}: {refusal}", driver::FORM_BODY);
        assert_eq!(cause(&row_of(&form)), Cause::RequestRefused);
    }

    /// A text or binary body refused for not being an object is the spec's; a JSON body refused
    /// so is the client's.
    #[test]
    fn text_bodies_with_object_schemas_are_the_specs() {
        let refusal = r#"UNPROCESSABLE_ENTITY: … [{"code":"type","location":["body"],"message":"Request body must be object"}]"#;
        let row_of = |detail: &str| row("/sendtx", false, false, detail);
        let raw = format!("static: {}: {refusal}", driver::RAW_BODY);
        assert_eq!(cause(&row_of(&raw)), Cause::SpecRawBodyWithObjectSchema);
        assert_eq!(
            cause(&row_of(&format!("static: {refusal}"))),
            Cause::RequestRefused
        );
        let other = format!(
            "static: {}: REQUEST_VIOLATIONS: Request body must match format \"byte\"",
            driver::RAW_BODY
        );
        assert_eq!(cause(&row_of(&other)), Cause::RequestRefused);
    }

    #[test]
    fn failures_are_put_down_to_the_mock_or_the_client() {
        let cases = [
            (
                row(
                    "/#X-Amz-Target=A.B",
                    false,
                    false,
                    "static: NO_PATH_MATCHED_ERROR: The route / hasn't been found",
                ),
                Cause::MockCannotRoute,
            ),
            (
                row(
                    "/items",
                    false,
                    false,
                    "static: NO_PATH_MATCHED_ERROR: The route /itemz hasn't been found",
                ),
                Cause::RequestRefused,
            ),
            (
                row(
                    "/tags/{arn}#tagKeys",
                    false,
                    false,
                    "static: NO_METHOD_MATCHED_ERROR: The route /tags/a has been matched, but it does not have \"delete\" method defined",
                ),
                Cause::MockCannotRoute,
            ),
            (
                row(
                    "/v1/category-list.{output_format}",
                    false,
                    false,
                    r#"static: UNPROCESSABLE_ENTITY: … [{"code":"type","location":["path","id"],"message":"Request path parameter id must be integer"}]"#,
                ),
                Cause::MockCannotRoute,
            ),
            (
                row(
                    "/v1/{id}.{output_format}",
                    false,
                    false,
                    r#"static: UNPROCESSABLE_ENTITY: … [{"code":"type","location":["path","id"],"message":"Request path parameter id must be integer"}]"#,
                ),
                Cause::RequestRefused,
            ),
            (
                row(
                    "/tags/{arn}",
                    false,
                    false,
                    "static: NO_METHOD_MATCHED_ERROR: The route /tags/a has been matched, but it does not have \"delete\" method defined",
                ),
                Cause::RequestRefused,
            ),
            (
                row(
                    "/repos/{o}/{r}/tarball",
                    false,
                    false,
                    "static: transport error: error sending request for url (http://127.0.0.1:1/repos/o/r/tarball): client error (Connect): dns error: failed to lookup address information",
                ),
                Cause::MockRedirectsOffline,
            ),
            (
                row(
                    "/connections",
                    false,
                    false,
                    "static: transport error: error sending request for url (http://127.0.0.1:1/connections): client error (SendRequest): connection closed before message completed",
                ),
                Cause::RequestRefused,
            ),
            (
                row(
                    "/items",
                    true,
                    false,
                    r#"static: VIOLATIONS: … [{"code":"type","location":["response","body"]}]"#,
                ),
                Cause::MockCannotAnswer,
            ),
            (
                row(
                    "/items",
                    false,
                    false,
                    r#"static: VIOLATIONS: … [{"code":"required","location":["request","body"]}]"#,
                ),
                Cause::RequestRefused,
            ),
            (
                row(
                    "/items",
                    true,
                    false,
                    "static: NO_COMPLEX_OBJECT_TEXT: Cannot serialise complex objects as text",
                ),
                Cause::MockCannotAnswer,
            ),
            (
                row("/items", true, false, "dynamic: UNKNOWN:  "),
                Cause::MockCannotAnswer,
            ),
            (
                row(
                    "/items",
                    false,
                    false,
                    "dynamic: transport error: error sending request for url (http://127.0.0.1:1/items)",
                ),
                Cause::MockCannotAnswer,
            ),
            (
                row(
                    "/items",
                    false,
                    false,
                    "the static mock did not start: prism did not listen within 90 s",
                ),
                Cause::MockDidNotStart,
            ),
            (
                row(
                    "/items",
                    true,
                    false,
                    "static: GetItems: the HTTP 200 OK response body does not match",
                ),
                Cause::NotDecoded,
            ),
            (
                row(
                    "/items",
                    false,
                    false,
                    "static: the value made from the schema does not fit the generated type",
                ),
                Cause::Harness,
            ),
            (
                row(
                    "/items",
                    false,
                    false,
                    r#"static: REQUEST_VIOLATIONS: {"code":"enum","location":["request","query","type"]}"#,
                ),
                Cause::RequestRefused,
            ),
            (
                row(
                    "/items",
                    false,
                    false,
                    r#"static: AMBIGUOUS_ONE_OF: UNPROCESSABLE_ENTITY: [{"code":"oneOf","location":["body"]}]"#,
                ),
                Cause::SpecOverlappingOneOf,
            ),
            (
                row(
                    "/items",
                    true,
                    false,
                    r#"static: RESPONSE_VIOLATIONS: {"code":"type","location":["response","body","description"]}; GetItems: the HTTP 200 OK response body does not match"#,
                ),
                Cause::SpecResponseInvalid,
            ),
            (
                row(
                    "/items",
                    false,
                    false,
                    r#"static: FORM_BODY: REQUEST_VIOLATIONS: {"code":"type","location":["request","body","files"],"message":"Request body property files must be array"}"#,
                ),
                Cause::MockMultipartArray,
            ),
        ];
        for (r, want) in cases {
            assert_eq!(cause(&r), want, "{}", r.detail);
        }
    }
}
