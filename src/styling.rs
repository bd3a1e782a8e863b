//! Message Styling (XEP-0393) and `/me` (XEP-0245), read from a message body.
//!
//! The result only says how each piece of the body looks: every character of the body is in
//! exactly one text or directive [`Node`], the directives included (shown, de-emphasised),
//! so the UI renders text nodes only and the text a person reads is the text that was sent.
//! Blocks (§6.1): preformatted (```` ``` ```` to a line of just ```` ``` ````) and quotations
//! (`>` at the start of a line, nested by repetition). Spans (§6.2): `*strong*`, `_emphasis_`,
//! `~strike~`, `` `preformatted` ``; an opening directive at the start of the text, after
//! whitespace or after another opening directive, not followed by whitespace; the first matching
//! closing directive not preceded by whitespace ends it; spans are not empty, do not cross lines
//! and do not nest the same style; nothing is styled inside a preformatted span. Closing
//! directives are found by binary search over their positions, so hostile input (thousands of
//! unmatched `*`) costs O(n log n), and bodies over [`MAX_STYLED_BYTES`] are not styled at all.

/// Longer bodies are shown as plain text: styling is for messages, not documents.
pub const MAX_STYLED_BYTES: usize = 20_000;

const DIRECTIVES: [char; 4] = ['*', '_', '~', '`'];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Strong,
    Emphasis,
    Strike,
    /// Monospace, with nothing styled inside.
    Code,
}

impl Style {
    fn of(directive: char) -> Self {
        match directive {
            '*' => Self::Strong,
            '_' => Self::Emphasis,
            '~' => Self::Strike,
            _ => Self::Code,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Plain,
    /// Inside `depth` quotations.
    Quote {
        depth: usize,
    },
    /// A fence or a line of a preformatted block.
    Pre,
}

/// A piece of the body: text, a directive (or quotation marker: shown, quieter than the text),
/// or a styled span holding its directives and content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node<'a> {
    Text(&'a str),
    Directive(&'a str),
    Styled {
        style: Style,
        children: Vec<Node<'a>>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'a> {
    pub kind: LineKind,
    pub nodes: Vec<Node<'a>>,
}

/// The body line by line (split at `\n`, which the UI puts back between lines).
pub fn style(body: &str) -> Vec<Line<'_>> {
    if body.len() > MAX_STYLED_BYTES {
        return body
            .split('\n')
            .map(|text| Line {
                kind: LineKind::Plain,
                nodes: text_node(text),
            })
            .collect();
    }
    let closers = Closers::new(body);
    let mut lines = Vec::new();
    let mut in_pre = false;
    let mut offset = 0;
    for text in body.split('\n') {
        let start = offset;
        offset += text.len() + 1;
        if in_pre {
            in_pre = text != "```";
            let nodes = if in_pre {
                text_node(text)
            } else {
                vec![Node::Directive(text)]
            };
            lines.push(Line {
                kind: LineKind::Pre,
                nodes,
            });
            continue;
        }
        if text.starts_with("```") {
            in_pre = true;
            lines.push(Line {
                kind: LineKind::Pre,
                nodes: vec![Node::Directive(text)],
            });
            continue;
        }
        let (kind, markers) = quotation(text);
        let mut nodes = Vec::new();
        if markers > 0 {
            nodes.push(Node::Directive(&text[..markers]));
        }
        spans(
            body,
            start + markers,
            start + text.len(),
            &[],
            &closers,
            &mut nodes,
        );
        lines.push(Line { kind, nodes });
    }
    lines
}

/// XEP-0245: the text of a `/me` action (after "/me "), if the body is one.
pub fn me_action(body: &str) -> Option<&str> {
    body.strip_prefix("/me ")
        .filter(|rest| !rest.trim().is_empty())
}

/// `>` markers (each optionally followed by one space) at the start of a line.
fn quotation(text: &str) -> (LineKind, usize) {
    let mut depth = 0;
    let mut end = 0;
    let bytes = text.as_bytes();
    while end < bytes.len() && bytes[end] == b'>' {
        depth += 1;
        end += 1;
        if end < bytes.len() && bytes[end] == b' ' {
            end += 1;
        }
    }
    if depth == 0 {
        (LineKind::Plain, 0)
    } else {
        (LineKind::Quote { depth }, end)
    }
}

fn text_node(text: &str) -> Vec<Node<'_>> {
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Node::Text(text)]
    }
}

/// Where each directive character could close a span: after a non-whitespace character.
struct Closers {
    positions: [Vec<usize>; 4],
}

impl Closers {
    fn new(body: &str) -> Self {
        let mut positions: [Vec<usize>; 4] = Default::default();
        let mut previous: Option<char> = None;
        for (i, c) in body.char_indices() {
            if let Some(k) = DIRECTIVES.iter().position(|d| *d == c) {
                if previous.is_some_and(|p| !p.is_whitespace()) {
                    positions[k].push(i);
                }
            }
            previous = Some(c);
        }
        Self { positions }
    }

    /// The first closer of `directive` in `from..before`.
    fn first(&self, directive: char, from: usize, before: usize) -> Option<usize> {
        let k = DIRECTIVES.iter().position(|d| *d == directive)?;
        let list = &self.positions[k];
        let at = list.partition_point(|&p| p < from);
        list.get(at).copied().filter(|&p| p < before)
    }
}

/// The spans of `body[start..end]` (one line, or the inside of a span within the `open` styles),
/// appended to `nodes`.
fn spans<'a>(
    body: &'a str,
    start: usize,
    end: usize,
    open: &[Style],
    closers: &Closers,
    nodes: &mut Vec<Node<'a>>,
) {
    let mut text_from = start;
    let mut i = start;
    // At `start` an opening directive may follow the enclosing span's opening one.
    let mut previous: Option<char> = None;
    while i < end {
        let Some(c) = body[i..end].chars().next() else {
            break;
        };
        let opens = DIRECTIVES.contains(&c)
            && !open.contains(&Style::of(c))
            && previous.is_none_or(char::is_whitespace)
            && body[i + 1..end]
                .chars()
                .next()
                .is_some_and(|n| !n.is_whitespace());
        // Not empty: the closer comes after at least one character of content.
        let close = if opens {
            closers.first(c, i + 2, end)
        } else {
            None
        };
        if let Some(close) = close {
            nodes.extend(text_node(&body[text_from..i]));
            let style = Style::of(c);
            let mut children = vec![Node::Directive(&body[i..i + 1])];
            if style == Style::Code {
                children.extend(text_node(&body[i + 1..close]));
            } else {
                let mut inner = open.to_vec();
                inner.push(style);
                spans(body, i + 1, close, &inner, closers, &mut children);
            }
            children.push(Node::Directive(&body[close..close + 1]));
            nodes.push(Node::Styled { style, children });
            i = close + 1;
            text_from = i;
            previous = Some(c);
            continue;
        }
        previous = Some(c);
        i += c.len_utf8();
    }
    nodes.extend(text_node(&body[text_from..end]));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(nodes: &[Node]) -> String {
        nodes
            .iter()
            .map(|n| match n {
                Node::Text(t) | Node::Directive(t) => (*t).to_owned(),
                Node::Styled { children, .. } => text_of(children),
            })
            .collect()
    }

    /// The body again, from the nodes: nothing lost, nothing added.
    fn rejoined(lines: &[Line]) -> String {
        lines
            .iter()
            .map(|l| text_of(&l.nodes))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A one-line body's shape: spans as `<S|…>` (S, E, X, C for strong, emphasis, strike,
    /// code), directives in `[…]`.
    fn shape(body: &str) -> String {
        fn draw(nodes: &[Node]) -> String {
            nodes
                .iter()
                .map(|n| match n {
                    Node::Text(t) => (*t).to_owned(),
                    Node::Directive(d) => format!("[{d}]"),
                    Node::Styled { style, children } => {
                        let s = match style {
                            Style::Strong => 'S',
                            Style::Emphasis => 'E',
                            Style::Strike => 'X',
                            Style::Code => 'C',
                        };
                        format!("<{s}|{}>", draw(children))
                    }
                })
                .collect()
        }
        let lines = style(body);
        assert_eq!(rejoined(&lines), body);
        draw(&lines[0].nodes)
    }

    #[test]
    fn spans_follow_the_xep_rules() {
        assert_eq!(shape("a *bold* move"), "a <S|[*]bold[*]> move");
        // Nested, opening right after another opening directive.
        assert_eq!(shape("*_both_*"), "<S|[*]<E|[_]both[_]>[*]>");
        // Nothing inside a preformatted span.
        assert_eq!(shape("`*not*`"), "<C|[`]*not*[`]>");
        for unstyled in [
            "2 * 3 * 4",
            "snake_case_name",
            "**",
            "* not bold*",
            "*not bold *",
            "a*b*",
            "~",
            "",
        ] {
            assert_eq!(shape(unstyled), unstyled);
        }
        // The first closer ends the span; the same style does not nest.
        assert_eq!(shape("*a* b*"), "<S|[*]a[*]> b*");
        assert_eq!(shape("*a *b* c*"), "<S|[*]a *b[*]> c*");
        assert_eq!(shape("~gone~ _ok_"), "<X|[~]gone[~]> <E|[_]ok[_]>");
    }

    #[test]
    fn spans_do_not_cross_lines() {
        let lines = style("*one\ntwo*");
        assert!(lines
            .iter()
            .all(|l| l.nodes.iter().all(|n| matches!(n, Node::Text(_)))));
    }

    #[test]
    fn blocks_quotations_and_preformatted() {
        let body = "> quoted *text*\n>> deeper\nplain\n```rust\nlet *x* = 1;\n```\nafter";
        let lines = style(body);
        assert_eq!(rejoined(&lines), body);
        let kinds: Vec<LineKind> = lines.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            vec![
                LineKind::Quote { depth: 1 },
                LineKind::Quote { depth: 2 },
                LineKind::Plain,
                LineKind::Pre,
                LineKind::Pre,
                LineKind::Pre,
                LineKind::Plain
            ]
        );
        assert_eq!(lines[0].nodes[0], Node::Directive("> "));
        assert!(matches!(
            lines[0].nodes.last(),
            Some(Node::Styled {
                style: Style::Strong,
                ..
            })
        ));
        assert_eq!(lines[4].nodes, vec![Node::Text("let *x* = 1;")]);
        // An unclosed block runs to the end of the message.
        assert!(style("```\n*x*").iter().all(|l| l.kind == LineKind::Pre));
    }

    #[test]
    fn hostile_bodies_stay_fast_and_whole() {
        let stars = "* *a ".repeat(3000);
        assert_eq!(rejoined(&style(&stars)), stars);
        let long = "*x* ".repeat(MAX_STYLED_BYTES);
        let lines = style(&long);
        assert_eq!(rejoined(&lines), long);
        assert_eq!(lines[0].nodes, vec![Node::Text(&long)]);
        let multibyte = "*ёж* _ü_ `日本`";
        assert_eq!(shape(multibyte), "<S|[*]ёж[*]> <E|[_]ü[_]> <C|[`]日本[`]>");
    }

    #[test]
    fn me_actions() {
        assert_eq!(me_action("/me waves"), Some("waves"));
        assert_eq!(me_action("/me "), None);
        assert_eq!(me_action("/meaning"), None);
        assert_eq!(me_action("hi /me waves"), None);
    }
}
