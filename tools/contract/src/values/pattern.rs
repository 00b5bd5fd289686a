//! Strings that match a regular expression (a `pattern`), made from its syntax tree.

/// A string matching `pattern` (ECMAScript syntax, read as Rust regex syntax, which agrees on
/// what specs use), the shortest such string whose repetitions run at least `reps` times where
/// they may: the first alternative of each alternation, a class's `a`, `A` or `1` where it has
/// one (else its first character). `None` when the pattern does not parse.
pub(super) fn from_pattern(pattern: &str, reps: u32) -> Option<String> {
    // ASCII classes first (`\\d` is a digit, `\\w` a word character, as in ECMAScript); Unicode
    // where the pattern needs it.
    let hir = match regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
    {
        Ok(hir) => hir,
        Err(_) => regex_syntax::Parser::new().parse(pattern).ok()?,
    };
    let mut out = String::new();
    write_match(&hir, reps, &mut out);
    Some(out)
}

fn write_match(hir: &regex_syntax::hir::Hir, reps: u32, out: &mut String) {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(&String::from_utf8_lossy(&literal.0)),
        HirKind::Class(Class::Unicode(class)) => {
            let ranges: Vec<(char, char)> = class
                .ranges()
                .iter()
                .map(|r| (r.start(), r.end()))
                .collect();
            out.extend(pick(&ranges));
        }
        HirKind::Class(Class::Bytes(class)) => {
            let ranges: Vec<(char, char)> = class
                .ranges()
                .iter()
                .filter(|r| r.start().is_ascii())
                .map(|r| (char::from(r.start()), char::from(r.end().min(0x7f))))
                .collect();
            out.extend(pick(&ranges));
        }
        HirKind::Repetition(rep) => {
            let count = reps.max(rep.min).min(rep.max.unwrap_or(u32::MAX));
            for _ in 0..count {
                write_match(&rep.sub, reps, out);
            }
        }
        HirKind::Capture(capture) => write_match(&capture.sub, reps, out),
        HirKind::Concat(parts) => parts.iter().for_each(|p| write_match(p, reps, out)),
        HirKind::Alternation(alternatives) => {
            if let Some(first) = alternatives.first() {
                write_match(first, reps, out);
            }
        }
    }
}

/// A readable character of a class: `a`, `A` or `1` if it has one, else its first printable.
fn pick(ranges: &[(char, char)]) -> Option<char> {
    let has = |c: char| ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c));
    ['a', 'A', '1', '-', '_']
        .into_iter()
        .find(|c| has(*c))
        .or_else(|| {
            ranges
                .iter()
                .flat_map(|(lo, hi)| (*lo..=*hi).take(256))
                .find(|c| !c.is_control() && *c != ' ')
        })
        .or_else(|| ranges.first().map(|(lo, _)| *lo))
}
