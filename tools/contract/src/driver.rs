//! The driver of one spec: a program that calls every operation of the generated client once,
//! with arguments made from the spec's schemas, and prints one JSON line per operation:
//! `{"operation", "sent", "status", "accepted", "decoded", "detail"}`. Written as token trees and
//! printed with prettyplease, like the client itself.

use super::values::Synth;
use codegen::inspect::{Api, BodyKind, Location, Operation, SchemeKind, Ty};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

/// Tags the driver puts before a refused request's detail, read back by the report's causes.
/// The request's arguments came from a `oneOf` whose alternatives overlap: any value matches
/// several of them, which `oneOf` forbids.
pub(super) const AMBIGUOUS_ONE_OF: &str = "AMBIGUOUS_ONE_OF";
/// The request had a multipart or form body: Prism reads a one-item array, sent as one part or
/// pair (as these encodings send arrays), as a single value.
pub(super) const FORM_BODY: &str = "FORM_BODY";
/// The request had a multipart body: Prism reads an object part, sent as JSON with
/// `Content-Type: application/json` (OpenAPI's default for an object part), as text.
pub(super) const MULTIPART_BODY: &str = "MULTIPART_BODY";
/// The request had a text or binary body (`text/plain`, `application/octet-stream`, …), sent as
/// that media type says: Prism still validates it against the body's schema, which some specs
/// give as an object.
pub(super) const RAW_BODY: &str = "RAW_BODY";
/// A note on a row, whatever its outcome: the optional body was left out, since every value of
/// its schema matches several alternatives of a `oneOf` (no body is the one valid request).
pub(super) const BODY_LEFT_OUT: &str =
    "sent without its optional body: every value of the body's oneOf matches several alternatives";

/// How long the driver waits for one response. Prism's dynamic mode can take most of a minute
/// to make a large body (a Zoom survey-answers page took 56 s), which is the mock being slow,
/// not the client; a mock that hangs is still caught.
const TIMEOUT_SECS: u64 = 120;

/// The driver's `src/main.rs`.
pub fn main_rs(api: &Api, doc: &Value) -> Result<String, String> {
    let credentials: Vec<TokenStream> = api
        .auth
        .schemes
        .iter()
        .map(|s| {
            let method = codegen::inspect::ident(&s.method);
            match s.kind {
                SchemeKind::Basic => quote!(.#method("user", "password")),
                _ => quote!(.#method("credential")),
            }
        })
        .collect();
    let calls: Vec<TokenStream> = api
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| call(api, doc, op, i))
        .collect();
    // A table rather than one `if … { op_N().await }` per operation in `main`: that made one
    // state machine of every call, and rustc ran out of memory on Microsoft Graph's 11,000.
    let table = api.operations.iter().enumerate().map(|(i, op)| {
        let f = format_ident!("op_{i}");
        let id = &op.operation_id;
        quote!((#id, |client| Box::pin(#f(client))))
    });
    let (helpers, main_fn) = (helpers(), main_fn(&credentials));
    let tokens = quote! {
        //! Calls every operation once and prints one JSON line per operation.
        #![allow(unused_mut, dead_code, clippy::all)]

        #helpers

        #(#calls)*

        /// One operation's call.
        type Call = for<'c> fn(&'c api::Client) -> std::pin::Pin<Box<dyn std::future::Future<Output = serde_json::Value> + 'c>>;

        /// Every operation, by operationId, in the spec's order.
        const OPERATIONS: &[(&str, Call)] = &[#(#table),*];

        #main_fn
    };
    let file =
        syn::parse2::<syn::File>(tokens).map_err(|e| format!("the driver does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

/// The driver's fixed helpers: decoding made values, reading Prism's errors and
/// `sl-violations`, and the JSON row of each call's outcome.
fn helpers() -> TokenStream {
    quote! {
    /// Decodes a value made from the spec's schema into the type the client takes.
    fn v<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
        serde_json::from_str(text).map_err(|e| format!("the value made from the schema does not fit the generated type: {e}"))
    }

    /// What Prism's error bodies say, when the body is one.
    fn prism_error(body: &[u8]) -> Option<String> {
        let value: serde_json::Value = serde_json::from_slice(body).ok()?;
        let kind = value.get("type")?.as_str()?.split("prism/errors#").nth(1)?.to_string();
        let detail = value.get("detail").and_then(|d| d.as_str()).unwrap_or("");
        let violations = value.get("validation").map(|v| v.to_string()).unwrap_or_default();
        Some(format!("{kind}: {detail} {violations}"))
    }

    /// Whether a Prism error means Prism refused the request (rather than having no response).
    fn refused(kind: &str) -> bool {
        ["UNPROCESSABLE_ENTITY", "UNAUTHORIZED", "INVALID_CONTENT_TYPE", "NOT_ACCEPTABLE", "NO_PATH_MATCHED_ERROR", "NO_METHOD_MATCHED_ERROR", "NO_SERVER_MATCHED_ERROR"]
            .iter()
            .any(|k| kind.starts_with(k))
    }

    /// Prism's `sl-violations` header, split into the request's violations (Prism refused
    /// the request, and answered with the spec's 400 or 422 where it has one) and the
    /// response's (the example or generated body breaks the spec's own schema).
    fn violations(header: Option<&str>) -> (String, String) {
        let list: Vec<serde_json::Value> = header
            .and_then(|h| serde_json::from_str(h).ok())
            .unwrap_or_default();
        let (mut request, mut response) = (Vec::new(), Vec::new());
        for v in list {
            let side = v["location"][0].as_str().unwrap_or("").to_string();
            if v["severity"].as_str() != Some("Error") {
                continue;
            }
            if side == "request" {
                request.push(v.to_string());
            } else {
                response.push(v.to_string());
            }
        }
        (request.join(" "), response.join(" "))
    }

    fn outcome<T>(result: Result<api::ApiResponse<T>, api::Error>) -> serde_json::Value {
        match result {
            Ok(response) => {
                let (request, _) = violations(response.meta.header("sl-violations"));
                let detail = if request.is_empty() { String::new() } else { format!("REQUEST_VIOLATIONS: {request}") };
                serde_json::json!({"sent": true, "status": response.meta.status.as_u16(), "accepted": request.is_empty(), "decoded": true, "detail": detail})
            }
            Err(api::Error::Api(e)) => match prism_error(&e.body) {
                Some(detail) => serde_json::json!({"sent": true, "status": e.status.as_u16(), "accepted": !refused(&detail), "decoded": false, "detail": detail}),
                None => {
                    let (request, _) = violations(e.header("sl-violations"));
                    let detail = if request.is_empty() { format!("HTTP {}", e.status) } else { format!("REQUEST_VIOLATIONS: {request}") };
                    serde_json::json!({"sent": true, "status": e.status.as_u16(), "accepted": request.is_empty(), "decoded": e.documented.is_some(), "detail": detail})
                }
            },
            Err(api::Error::Decode(e)) => {
                let header = e.headers.get("sl-violations").and_then(|v| v.to_str().ok());
                let (request, response) = violations(header);
                let detail = if !request.is_empty() {
                    format!("REQUEST_VIOLATIONS: {request}")
                } else if !response.is_empty() {
                    format!("RESPONSE_VIOLATIONS: {response}; {e}")
                } else {
                    e.to_string()
                };
                serde_json::json!({"sent": true, "status": e.status.as_u16(), "accepted": request.is_empty(), "decoded": false, "detail": detail})
            }
            Err(e @ api::Error::InvalidRequest { .. }) => serde_json::json!({"sent": false, "accepted": false, "decoded": false, "detail": e.to_string()}),
            Err(e) => serde_json::json!({"sent": true, "accepted": false, "decoded": false, "detail": e.to_string()}),
        }
    }

    /// Prefixes a refused request's detail with `tag`, which says what the report should
    /// put the refusal down to.
    fn note(mut row: serde_json::Value, note: &str) -> serde_json::Value {
        row["note"] = serde_json::Value::from(note);
        row
    }

    fn mark(mut row: serde_json::Value, tag: &str) -> serde_json::Value {
        if row["accepted"] == false {
            let detail = row["detail"].as_str().unwrap_or("").to_string();
            row["detail"] = serde_json::Value::from(format!("{tag}: {detail}"));
        }
        row
    }

    /// Whether the mock never answered (it hung or died).
    fn unanswered(row: &serde_json::Value) -> bool {
        let detail = row.get("detail").and_then(|d| d.as_str()).unwrap_or("");
        detail.starts_with("transport error") || detail.starts_with("timed out")
    }

    fn not_sent(detail: String) -> serde_json::Value {
        serde_json::json!({"sent": false, "accepted": false, "decoded": false, "detail": detail})
    }
    }
}

/// The driver's `main`: a client for the base URL in its first argument, then each operation
/// of `OPERATIONS` (or those `CONTRACT_ONLY` names) called in turn, one JSON line each.
fn main_fn(credentials: &[TokenStream]) -> TokenStream {
    let timeout = TIMEOUT_SECS;
    quote! {
    #[tokio::main(flavor = "current_thread")]
    async fn main() {
        // `CONTRACT_LIST`: print the operationIds, one a line, and call nothing.
        if std::env::var("CONTRACT_LIST").is_ok() {
            for (id, _) in OPERATIONS {
                println!("{id}");
            }
            return;
        }
        let base_url = std::env::args().nth(1).unwrap_or_default();
        // `CONTRACT_ONLY`: the operationIds to call, one a line (default: all).
        let only: Option<Vec<String>> = std::env::var("CONTRACT_ONLY")
            .ok()
            .map(|ids| ids.lines().map(str::to_string).collect());
        let wanted = |id: &str| only.as_ref().is_none_or(|ids| ids.iter().any(|i| i == id));
        // `CONTRACT_STOP`: stop after an operation the mock did not answer (it hung or died).
        let stop_on_silence = std::env::var("CONTRACT_STOP").is_ok();
        let client = match api::ClientBuilder::new()
            .base_url(base_url)
            .retry(api::RetryPolicy::none())
            .timeout(Some(std::time::Duration::from_secs(#timeout)))
            #(#credentials)*
            .build()
        {
            Ok(client) => client,
            Err(e) => {
                eprintln!("driver: {e}");
                std::process::exit(1);
            }
        };
        for (id, call) in OPERATIONS {
            if !wanted(id) {
                continue;
            }
            let mut row = call(&client).await;
            row["operation"] = serde_json::Value::from(*id);
            println!("{row}");
            if stop_on_silence && unanswered(&row) {
                return;
            }
        }
    }
    }
}

/// `async fn op_N(client) -> row`: one call, with the required arguments and any body.
fn call(api: &Api, doc: &Value, op: &Operation, index: usize) -> TokenStream {
    let f = format_ident!("op_{index}");
    let method = codegen::inspect::ident(&op.method_name);
    let Some(node) = doc.pointer(&op.pointer) else {
        let detail = format!("no operation at {}", op.pointer);
        return quote!(async fn #f(_: &api::Client) -> serde_json::Value { not_sent(#detail.to_string()) });
    };
    let mut synth = Synth::new(doc);
    synth.text = true;
    let schemas = param_schemas(doc, &synth, &op.pointer, node);
    let mut args = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        let schema = schemas
            .iter()
            .find(|(name, loc, _)| *name == p.wire && *loc == p.location)
            .map(|(_, _, s)| s.clone())
            .unwrap_or(Value::Null);
        let value = synth.value(&schema);
        args.push(argument(api, &p.ty, &value));
    }
    let mut body_setter = quote!();
    // How the request was made, for the row: values from overlapping `oneOf`s, a form or
    // multipart body, an optional body left out.
    let mut ambiguous = synth.ambiguous.get();
    let mut form = false;
    let mut multipart = false;
    let mut raw = false;
    let mut left_out = false;
    if let Some(body) = &op.body {
        let schema = synth
            .resolve(node.get("requestBody").unwrap_or(&Value::Null))
            .get("content")
            .and_then(|c| c.get(&body.content_key))
            .and_then(|m| m.get("schema"))
            .cloned()
            .unwrap_or(Value::Null);
        let mut body_synth = Synth::new(doc);
        body_synth.files = body.kind == BodyKind::Multipart;
        let value = match body.kind {
            BodyKind::Bytes => quote!(vec![104u8, 105]),
            BodyKind::Text => quote!("text"),
            _ => argument(api, &body.ty, &body_synth.value(&schema)),
        };
        let body_ambiguous = body_synth.ambiguous.get();
        if !body.required && body_ambiguous {
            // No value fits the body's schema: the one valid request is the one without it.
            left_out = true;
        } else {
            ambiguous |= body_ambiguous;
            form = matches!(body.kind, BodyKind::Multipart | BodyKind::Form);
            multipart = body.kind == BodyKind::Multipart;
            raw = matches!(body.kind, BodyKind::Text | BodyKind::Bytes);
            if body.required {
                args.push(value);
            } else {
                body_setter = quote!(.body(#value));
            }
        }
    }
    let mut sent = quote!(outcome(request.send_with_meta().await));
    if ambiguous {
        sent = quote!(mark(#sent, #AMBIGUOUS_ONE_OF));
    }
    if left_out {
        sent = quote!(note(#sent, #BODY_LEFT_OUT));
    }
    if form {
        sent = quote!(mark(#sent, #FORM_BODY));
    }
    if multipart {
        sent = quote!(mark(#sent, #MULTIPART_BODY));
    }
    if raw {
        sent = quote!(mark(#sent, #RAW_BODY));
    }
    quote! {
        async fn #f(client: &api::Client) -> serde_json::Value {
            let prepared = (|| -> Result<_, String> { Ok(client.#method(#(#args),*) #body_setter) })();
            match prepared {
                Ok(request) => #sent,
                Err(detail) => not_sent(detail),
            }
        }
    }
}

/// The tokens of one argument with `value`: a literal where the client takes `impl Into<…>`,
/// else the value decoded into the generated type (inferred from the method).
fn argument(api: &Api, ty: &Ty, value: &Value) -> TokenStream {
    if *ty == Ty::Bytes {
        return quote!(vec![104u8, 105]);
    }
    if *codegen::inspect::resolve(api, ty) == Ty::String {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Null => "value".to_string(),
            other => other.to_string(),
        };
        return quote!(#text);
    }
    let text = value.to_string();
    quote!(v(#text)?)
}

/// (name, location, schema) of every parameter the operation has, the path item's included.
fn param_schemas(
    doc: &Value,
    synth: &Synth<'_>,
    pointer: &str,
    op: &Value,
) -> Vec<(String, Location, Value)> {
    let item = pointer.rsplit_once('/').and_then(|(p, _)| doc.pointer(p));
    let mut out = Vec::new();
    let lists = [item.and_then(|i| i.get("parameters")), op.get("parameters")];
    for list in lists.into_iter().flatten().filter_map(Value::as_array) {
        for p in list {
            let p = synth.resolve(p);
            let (Some(name), Some(location)) = (
                p.get("name").and_then(Value::as_str),
                p.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let location = match location {
                "path" => Location::Path,
                "header" => Location::Header,
                "cookie" => Location::Cookie,
                _ => Location::Query,
            };
            let schema = p.get("schema").cloned().unwrap_or(Value::Null);
            out.retain(|(n, l, _): &(String, Location, Value)| !(n == name && *l == location));
            out.push((name.to_string(), location, schema));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The driver of a one-operation spec whose body is `content`.
    fn driver_for(content: Value) -> String {
        driver_with_body(json!({"required": true, "content": content}))
    }

    /// The driver of a one-operation spec whose request body is `body`.
    fn driver_with_body(body: Value) -> String {
        let spec = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/volumes": {"put": {
                "operationId": "replaceVolume",
                "requestBody": body,
                "responses": {"204": {"description": "ok"}}
            }}}
        });
        let bytes = serde_json::to_vec(&spec).expect("a JSON value serializes");
        let input = codegen::inspect::Input {
            spec_path: std::path::Path::new("t.json"),
            spec_bytes: &bytes,
            spec_label: "t.json".into(),
            config: codegen::Config::default(),
            command: "test".into(),
        };
        let generation = codegen::inspect::generate_with_model(&input).expect("the spec generates");
        let doc = serde_json::to_value(&generation.spec).expect("the spec serializes");
        main_rs(&generation.api, &doc).expect("the driver is made")
    }

    #[test]
    fn a_body_under_a_wildcard_is_made_from_its_schema() {
        // Kubernetes' `*/*`: the client sends `application/json`, and the body's schema is
        // still found under the spec's own key.
        let main = driver_for(json!({"*/*": {"schema": {
            "type": "object", "required": ["size"],
            "properties": {"size": {"type": "integer", "enum": [7]}}
        }}}));
        assert!(main.contains(r#"{\"size\":7}"#), "{main}");
    }

    #[test]
    fn an_optional_body_no_value_can_fit_is_left_out() {
        // Zoom's settings updates: the alternatives of the body's `oneOf` require nothing and
        // allow any other property, so every object matches all of them.
        let overlapping = json!({"application/json": {"schema": {"oneOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}},
            {"type": "object", "properties": {"b": {"type": "string"}}}
        ]}}});
        let optional = driver_with_body(json!({"content": overlapping}));
        assert!(optional.contains(BODY_LEFT_OUT), "{optional}");
        assert!(!optional.contains(".body("), "{optional}");
        // A required body is sent all the same, and its refusal is put down to the spec.
        let required = driver_with_body(json!({"required": true, "content": overlapping}));
        assert!(!required.contains(BODY_LEFT_OUT), "{required}");
        assert!(required.contains(AMBIGUOUS_ONE_OF), "{required}");
        // Alternatives a value can tell apart are sent.
        let distinct = driver_with_body(
            json!({"content": {"application/json": {"schema": {"oneOf": [
                {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}, "additionalProperties": false},
                {"type": "object", "required": ["b"], "properties": {"b": {"type": "string"}}, "additionalProperties": false}
            ]}}}}),
        );
        assert!(distinct.contains(".body("), "{distinct}");
        assert!(!distinct.contains(BODY_LEFT_OUT), "{distinct}");
    }
}
