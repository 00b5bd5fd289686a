//! Turns the spec's descriptions (CommonMark sprinkled with HTML, written for a web page) into
//! rustdoc that renders well and that `cargo doc` accepts without warnings.

/// Converts a spec description to rustdoc Markdown.
///
/// - `<br>` and paragraph tags become line breaks, `<b>`/`<strong>` bold, `<code>` backticks,
///   list items `- ` lines; any other `<` is escaped so rustdoc never sees a stray HTML tag.
/// - Bare URLs become autolinks (`<https://…>`), which rustdoc's `bare_urls` lint wants.
/// - `[text]` that is not a Markdown link is escaped, so it is not taken for an intra-doc link.
/// - Lines lose leading indentation (four spaces would start a code block that rustdoc would
///   compile as a doctest) and fenced code blocks are marked `text` for the same reason.
pub fn to_rustdoc(text: &str) -> String {
    // Tabs render unevenly in rustdoc (clippy's `tabs_in_doc_comments`): four spaces each.
    let text = replace_html(&text.replace('\t', "    "));
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut list_indent: Option<usize> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            // Whatever language the spec names, rustdoc must not compile the block.
            out.push(if in_fence { "```" } else { "```text" }.to_string());
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.trim_end().to_string());
            continue;
        }
        // Markdown continues a list item with any following line ("lazy continuation"), which
        // is rarely what a spec author meant. An indented line stays part of the item (indented
        // to the item's text); an unindented one starts a new paragraph.
        // The same for a quote (`> Note: …`): a line after it without `>` starts a new
        // paragraph rather than continuing the quote (clippy's `doc_lazy_continuation`).
        let after_quote = out.last().is_some_and(|l: &String| l.starts_with('>'));
        if after_quote && !trimmed.is_empty() && !trimmed.starts_with('>') {
            out.push(String::new());
        }
        if trimmed.is_empty() {
            list_indent = None;
        } else if let Some(width) = list_marker_width(trimmed) {
            list_indent = Some(width);
        } else if let Some(width) = list_indent {
            if line.starts_with(char::is_whitespace) {
                out.push(format!("{}{}", " ".repeat(width), escape_inline(trimmed)));
                continue;
            }
            out.push(String::new());
            list_indent = None;
        }
        out.push(escape_inline(trimmed));
    }
    if in_fence {
        out.push("```".to_string());
    }
    // Collapse runs of blank lines and trim the ends.
    let mut collapsed: Vec<String> = Vec::new();
    for line in out {
        if line.is_empty() && collapsed.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        collapsed.push(line);
    }
    while collapsed.last().is_some_and(|l| l.is_empty()) {
        collapsed.pop();
    }
    collapsed.join("\n")
}

/// The width of a list item's marker (`- `, `* `, `+ `, `1. `, `1) `), if the line is one.
/// The width counts the spaces after the marker, up to where the item's text starts.
fn list_marker_width(line: &str) -> Option<usize> {
    let marker = if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        1
    } else {
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        let rest = &line[digits..];
        if digits == 0 || digits >= 10 || !(rest.starts_with(". ") || rest.starts_with(") ")) {
            return None;
        }
        digits + 1
    };
    let spaces = line[marker..].bytes().take_while(|b| *b == b' ').count();
    Some(marker + spaces)
}

/// One line of plain text: Markdown and HTML stripped, whitespace collapsed. Used where the
/// description ends up in a string (error messages), not in rustdoc.
pub fn to_plain_line(text: &str) -> String {
    let text = replace_html(text);
    let stripped: String = text.replace("**", "").replace('`', "");
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn replace_html(text: &str) -> String {
    let text = anchors_to_links(text);
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find('>') else {
            out.push_str("&lt;");
            rest = &after[1..];
            continue;
        };
        let tag = &after[1..end];
        let name = tag
            .trim_start_matches('/')
            .trim_end_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let closing = tag.starts_with('/');
        let replacement = match name.as_str() {
            "br" => Some("\n"),
            "p" | "div" | "ul" | "ol" => Some("\n\n"),
            "li" if closing => Some(""),
            "li" => Some("\n- "),
            "b" | "strong" => Some("**"),
            "i" | "em" => Some("*"),
            "code" => Some("`"),
            _ => None,
        };
        match replacement {
            Some(r) => {
                out.push_str(r);
                rest = &after[end + 1..];
            }
            None if tag.starts_with("http://") || tag.starts_with("https://") => {
                // Already an autolink.
                out.push_str(&after[..=end]);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str("&lt;");
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// HTML links (`<a href="https://…">text</a>`, AWS's and Spotify's descriptions have them)
/// become Markdown links on one line, `[text](https://…)`; a link to anything but an `http(s)`
/// URL keeps only its text. Left as it is without its closing `</a>` (then escaped as any
/// other tag).
fn anchors_to_links(text: &str) -> String {
    if !text.contains("<a") && !text.contains("<A") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = find_ignoring_case(rest, "<a") {
        let after = &rest[start..];
        // `<a` followed by whitespace or `>`: not `<abbr>` or `<address>`.
        let opens = after[2..].starts_with(|c: char| c.is_whitespace() || c == '>');
        let tag_end = after.find('>');
        let close = tag_end.and_then(|e| find_ignoring_case(&after[e..], "</a>").map(|c| e + c));
        let (true, Some(tag_end), Some(close)) = (opens, tag_end, close) else {
            out.push_str(&rest[..start + 2]);
            rest = &rest[start + 2..];
            continue;
        };
        out.push_str(&rest[..start]);
        let inner = after[tag_end + 1..close]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        match href(&after[..tag_end])
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        {
            Some(url) if !inner.is_empty() => {
                let url = url
                    .replace(' ', "%20")
                    .replace('(', "%28")
                    .replace(')', "%29");
                out.push_str(&format!("[{inner}]({url})"));
            }
            Some(url) => out.push_str(&format!("<{url}>")),
            None => out.push_str(&inner),
        }
        rest = &after[close + "</a>".len()..];
    }
    out.push_str(rest);
    out
}

/// The `href` attribute of an HTML tag's text (`<a href="…" …`), quoted either way.
fn href(tag: &str) -> Option<&str> {
    let at = find_ignoring_case(tag, "href=")?;
    let value = &tag[at + "href=".len()..];
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    Some(&value[..value.find(quote)?])
}

/// Where `needle` (ASCII) starts in `haystack`, ignoring ASCII case.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Whether `chars` begin with `prefix` (without collecting them into a `String` first: this is
/// asked at every character of every description).
fn chars_start_with(chars: &[char], prefix: &str) -> bool {
    let mut chars = chars.iter();
    prefix.chars().all(|p| chars.next() == Some(&p))
}

/// Escapes what rustdoc would misread inside one line: stray brackets and bare URLs. Code spans
/// (backticks) are copied as they are.
fn escape_inline(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            if let Some(len) = chars[i + 1..].iter().position(|&c| c == '`') {
                out.extend(&chars[i..=i + 1 + len]);
                i += len + 2;
                continue;
            }
        }
        if c == '[' {
            // A Markdown link `[text](url)` stays; anything else is escaped.
            if let Some(close) = chars[i..].iter().position(|&c| c == ']') {
                let close = i + close;
                if chars.get(close + 1) == Some(&'(') {
                    let label: String = chars[i + 1..close].iter().collect();
                    out.push('[');
                    out.push_str(&escape_inline(&label));
                    out.push(']');
                    // Copy the URL part verbatim up to the closing parenthesis.
                    let mut j = close + 1;
                    while j < chars.len() {
                        out.push(chars[j]);
                        if chars[j] == ')' {
                            break;
                        }
                        j += 1;
                    }
                    i = j + 1;
                    continue;
                }
            }
            out.push_str("\\[");
            i += 1;
            continue;
        }
        if c == ']' {
            out.push_str("\\]");
            i += 1;
            continue;
        }
        if c == 'h'
            && (chars_start_with(&chars[i..], "http://") || chars_start_with(&chars[i..], "https://"))
            // An autolink already; a Markdown link's URL was copied with its link above.
            && (i == 0 || chars[i - 1] != '<')
        {
            let end = chars[i..]
                .iter()
                .position(|c| {
                    c.is_whitespace()
                        || matches!(c, ')' | '<' | '>' | '"' | '\'' | '|' | '[' | ']' | '`')
                })
                .map_or(chars.len(), |p| i + p);
            let mut url: String = chars[i..end].iter().collect();
            let mut trailing = String::new();
            while url.ends_with(['.', ',', ';', ':']) {
                trailing.insert(0, url.pop().unwrap_or_default());
            }
            out.push('<');
            out.push_str(&url);
            out.push('>');
            out.push_str(&trailing);
            i = end;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_ends_before_a_line_without_its_marker() {
        assert_eq!(
            to_rustdoc("> Note: at most 3 times a day.\n**Prerequisite:**\n> more\n> quote"),
            "> Note: at most 3 times a day.\n\n**Prerequisite:**\n> more\n> quote"
        );
    }

    #[test]
    fn tabs_become_spaces() {
        assert_eq!(to_rustdoc("a\tb"), "a    b");
    }

    #[test]
    fn html_breaks_become_markdown() {
        let input = "**HTTP Status Code:** `400` <br>\n Bad Request  \n\n **Error Code:** `300` <br>\n Pagination Error <br>\n";
        assert_eq!(
            to_rustdoc(input),
            "**HTTP Status Code:** `400`\n\nBad Request\n\n**Error Code:** `300`\n\nPagination Error"
        );
        assert_eq!(
            to_plain_line(input),
            "HTTP Status Code: 400 Bad Request Error Code: 300 Pagination Error"
        );
    }

    #[test]
    fn rustdoc_hazards_are_escaped() {
        assert_eq!(
            to_rustdoc("see https://zoom.us/x."),
            "see <https://zoom.us/x>."
        );
        assert_eq!(
            to_rustdoc("[Scopes](https://a.b/c): x"),
            "[Scopes](https://a.b/c): x"
        );
        assert_eq!(to_rustdoc("Enum: [A, B]"), "Enum: \\[A, B\\]");
        assert_eq!(to_rustdoc("a <unknown> b"), "a &lt;unknown> b");
        assert_eq!(
            to_rustdoc("`[x]` and <https://a.b>"),
            "`[x]` and <https://a.b>"
        );
        assert_eq!(to_rustdoc("    indented code"), "indented code");
        assert_eq!(
            to_rustdoc("```\nlet x = 1;\n```"),
            "```text\nlet x = 1;\n```"
        );
        assert_eq!(to_rustdoc("a < b"), "a &lt; b");
        assert_eq!(
            to_rustdoc("pass [the `me` value](https://a.b/#me) in"),
            "pass [the `me` value](https://a.b/#me) in"
        );
        assert_eq!(
            to_rustdoc("`[x]` and `https://a.b` [y]"),
            "`[x]` and `https://a.b` \\[y\\]"
        );
    }

    #[test]
    fn html_links_become_markdown_links() {
        assert_eq!(
            to_rustdoc(
                "see <a href=\"https://docs.aws.amazon.com/wsp.html\">WorkSpaces\n endpoints</a>."
            ),
            "see [WorkSpaces endpoints](https://docs.aws.amazon.com/wsp.html)."
        );
        assert_eq!(
            to_rustdoc("e.g. \"https://a.b/v1\" (http://c.d/) |https://e.f| `https://g.h`"),
            "e.g. \"<https://a.b/v1>\" (<http://c.d/>) |<https://e.f>| `https://g.h`"
        );
        assert_eq!(
            to_rustdoc("<A HREF='https://a.b/x (y)'>x</A> and <a href=\"/relative\">here</a>"),
            "[x](https://a.b/x%20%28y%29) and here"
        );
        assert_eq!(
            to_rustdoc("<a href=\"https://a.b\"></a> <abbr>c</abbr> <a href=\"https://a.b\">open"),
            "<https://a.b> &lt;abbr>c&lt;/abbr> &lt;a href=\"<https://a.b>\">open"
        );
    }

    #[test]
    fn list_items_do_not_swallow_the_next_line() {
        assert_eq!(
            to_rustdoc("- a\n  more of a\nNew paragraph"),
            "- a\n  more of a\n\nNew paragraph"
        );
        assert_eq!(
            to_rustdoc("1. one\n   cont\n2. two"),
            "1. one\n   cont\n2. two"
        );
        assert_eq!(to_rustdoc("*  wide\n  cont"), "*  wide\n   cont");
    }
}
