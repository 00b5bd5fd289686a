//! Path templates (`/users/{userId}/clips`): literal text and parameter names.

/// A piece of a path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TemplatePart<'a> {
    /// Text sent as it is.
    Literal(&'a str),
    /// `{name}`: a path parameter.
    Param(&'a str),
}

/// A path template, split once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PathTemplate<'a> {
    parts: Vec<TemplatePart<'a>>,
}

impl<'a> PathTemplate<'a> {
    /// Splits `path` at `{…}`. An unclosed `{` and everything after it is literal text.
    pub(super) fn parse(path: &'a str) -> PathTemplate<'a> {
        let mut parts = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            if open > 0 {
                parts.push(TemplatePart::Literal(&rest[..open]));
            }
            parts.push(TemplatePart::Param(&rest[open + 1..open + close]));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(TemplatePart::Literal(rest));
        }
        PathTemplate { parts }
    }

    /// The pieces, in order.
    pub(super) fn parts(&self) -> &[TemplatePart<'a>] {
        &self.parts
    }

    /// The parameter names, in order.
    pub(super) fn params(&self) -> Vec<&'a str> {
        self.parts
            .iter()
            .filter_map(|p| match p {
                TemplatePart::Param(name) => Some(*name),
                TemplatePart::Literal(_) => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TemplatePart::{Literal, Param};

    #[test]
    fn literals_and_parameters_alternate_as_written() {
        let t = PathTemplate::parse("/users/{userId}/clips/{clipId}");
        assert_eq!(
            t.parts(),
            [
                Literal("/users/"),
                Param("userId"),
                Literal("/clips/"),
                Param("clipId")
            ]
        );
        assert_eq!(t.params(), ["userId", "clipId"]);
    }

    #[test]
    fn edge_cases() {
        assert_eq!(PathTemplate::parse("/").parts(), [Literal("/")]);
        assert_eq!(PathTemplate::parse("").parts(), []);
        assert_eq!(PathTemplate::parse("{a}{b}").params(), ["a", "b"]);
        assert_eq!(
            PathTemplate::parse("/files/{name}.json").parts(),
            [Literal("/files/"), Param("name"), Literal(".json")]
        );
        // An unclosed brace is text, not a parameter.
        assert_eq!(PathTemplate::parse("/a/{b").parts(), [Literal("/a/{b")]);
        assert_eq!(PathTemplate::parse("/a/{}").params(), [""]);
    }
}
