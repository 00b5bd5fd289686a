//! The documentation of each operation's `Client` method.

use super::*;

pub(super) fn method_docs(api: &Api, op: &Operation) -> String {
    let mut parts = Vec::new();
    if let Some(summary) = op
        .summary
        .as_deref()
        .map(crate::docs::to_rustdoc)
        .filter(|s| !s.is_empty())
    {
        parts.push(summary);
    }
    if let Some(description) = &op.description {
        parts.push(description.clone());
    }
    parts.push(format!(
        "`{} {}` (operationId `{}`)",
        op.method.as_str(),
        op.path.replace('`', "'"),
        op.operation_id.replace('`', "'")
    ));
    if !op.scopes.is_empty() {
        let scopes: Vec<String> = op
            .scopes
            .iter()
            .map(|s| format!("`{}`", s.replace('`', "'")))
            .collect();
        parts.push(format!("Required scopes: {}", scopes.join(", ")));
    }
    if let Some(credentials) = credentials_doc(api, op) {
        parts.push(credentials);
    }
    if let Some(label) = op.description.as_deref().and_then(rate_limit_label) {
        parts.push(format!("Rate limit label: `{label}`"));
    }
    if !op.errors.is_empty() || !op.error_bodies.is_empty() {
        let mut errors = String::from(
            "# Errors\n\nStatuses the API documents for this operation (as [`Error::Api`]):",
        );
        let body_of = |status: &str| {
            op.error_bodies
                .iter()
                .find(|(s, _)| s == status)
                .map(|(_, ty)| {
                    format!(
                        "; body [`{}`], decoded by [`ApiError::json`](crate::ApiError::json)",
                        doc_type(api, ty)
                    )
                })
                .unwrap_or_default()
        };
        for (status, meaning) in &op.errors {
            errors.push_str(&format!(
                "\n- `{status}`: {}{}",
                crate::docs::to_rustdoc(meaning).replace('\n', " "),
                body_of(&status.to_string())
            ));
        }
        for (status, _) in &op.error_bodies {
            if op
                .errors
                .iter()
                .all(|(code, _)| code.to_string() != *status)
            {
                errors.push_str(&format!("\n- `{status}`{}", body_of(status)));
            }
        }
        parts.push(errors);
    }
    parts.join("\n\n")
}

/// A type as an intra-doc link target: `types::Name`, `Vec<types::Name>`, …
pub(super) fn doc_type(api: &Api, ty: &Ty) -> String {
    ty.text(api, TypeText::DocLink)
}

/// What the operation's `security` asks for, in words: the alternatives, each a set of schemes.
pub(super) fn credentials_doc(api: &Api, op: &Operation) -> Option<String> {
    let schemes = &api.auth.schemes;
    if schemes.is_empty() {
        return None;
    }
    if op.security.is_empty() {
        return Some("Credentials: none are sent (the spec requires none, or only schemes the generator skipped).".to_string());
    }
    let alternatives: Vec<String> = op
        .security
        .iter()
        .map(|alt| {
            if alt.is_empty() {
                return "none".to_string();
            }
            let names: Vec<String> = alt
                .iter()
                .map(|&i| format!("`{}`", schemes[i].name.replace('`', "'")))
                .collect();
            names.join(" and ")
        })
        .collect();
    Some(format!("Credentials: {}.", alternatives.join(", or ")))
}

/// Zoom writes the rate-limit label as "Rate Limit Label…: `LIGHT`" in descriptions.
pub(super) fn rate_limit_label(description: &str) -> Option<&str> {
    let at = description.find("Rate Limit Label")?;
    let rest = &description[at..];
    let start = rest.find('`')? + 1;
    let len = rest[start..].find('`')?;
    let label = &rest[start..start + len];
    (!label.is_empty()
        && label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ' '))
    .then_some(label)
}
