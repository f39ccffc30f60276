//! libyaml's syntax errors in plain words, at the place the editor must act.
//!
//! libyaml names two places: where it gave up and, often, the construct it was reading ("while
//! scanning a quoted scalar at line 3 column 8"). The message keeps the parser's position unless
//! the construct's start is where the fix goes (an unclosed quote, list or mapping, a key
//! without its colon) or the line above is mis-indented.

/// A libyaml error message taken apart: `problem at line L column C, context at line L column C`.
struct Raw<'a> {
    problem: &'a str,
    context: &'a str,
    /// Where the context starts, when the message says.
    context_at: Option<(usize, usize)>,
}

impl<'a> Raw<'a> {
    fn parse(raw: &'a str) -> Self {
        let (problem, context) = raw.split_once(", ").unwrap_or((raw, ""));
        let problem = problem.split(" at line ").next().unwrap_or(problem);
        let (context, context_at) = match context.split_once(" at line ") {
            Some((what, at)) => {
                let mut nums = at.split(" column ").map(|n| n.trim().parse::<usize>().ok());
                match (nums.next().flatten(), nums.next().flatten()) {
                    (Some(l), Some(c)) => (what, Some((l, c))),
                    _ => (what, None),
                }
            }
            None => (context, None),
        };
        Raw {
            problem,
            context,
            context_at,
        }
    }
}

/// Plain words for libyaml's syntax error `raw`; may move the position (`line`, `column`, 1-based)
/// to where the editor must act. `None` when `raw` is not a syntax error we know.
pub fn message(raw: &str, src: &str, line: &mut usize, column: &mut usize) -> Option<String> {
    let parsed = Raw::parse(raw);
    let text_of = |l: usize| src.lines().nth(l.saturating_sub(1)).unwrap_or("");
    let char_at = |l: usize, c: usize| text_of(l).chars().nth(c.saturating_sub(1));
    let mut move_to_context = || {
        if let Some((l, c)) = parsed.context_at {
            *line = l;
            *column = c;
        }
    };
    for (construct, what, closer) in [
        ("while parsing a flow sequence", "list", "]"),
        ("while parsing a flow mapping", "mapping", "}"),
    ] {
        if parsed.context == construct {
            move_to_context();
            return Some(format!(
                "this {what} is not closed: expected ',' between items or '{closer}' at its end"
            ));
        }
    }
    if parsed.context == "while scanning a quoted scalar"
        && parsed.problem == "found unexpected end of stream"
    {
        move_to_context();
        let quote = char_at(*line, *column).unwrap_or('"');
        return Some(format!(
            "this quoted value is not closed: add the closing {quote} at the end of the value"
        ));
    }
    if parsed.context == "while scanning a simple key"
        && parsed.problem == "could not find expected ':'"
    {
        move_to_context();
        return Some(
            "expected `key: value` on this line: add a colon and a space after the key".into(),
        );
    }
    if raw.contains("cannot start any token") && char_at(*line, *column) == Some('\t') {
        return Some("found a tab character: indent YAML with spaces, not tabs".into());
    }
    let misplaced_key = parsed.problem == "did not find expected key";
    let colon_in_value = parsed.problem == "mapping values are not allowed in this context";
    if !(misplaced_key || colon_in_value) {
        return None;
    }
    let before: String = text_of(*line)
        .chars()
        .take(column.saturating_sub(1))
        .collect();
    if before.trim_end().ends_with(['"', '\'']) {
        return Some(
            "text after a quoted value: put the whole value inside the quotes, or delete what follows the closing quote".into(),
        );
    }
    if colon_in_value && before.contains(": ") {
        return Some(
            "a value cannot contain `: ` (a colon and a space): put the whole value in quotes"
                .into(),
        );
    }
    misindented_line(src, *line).map(|(l, c)| {
        *line = l;
        *column = c;
        "unexpected indentation: expected this line to start in the same column as the line above it"
            .into()
    })
}

/// libyaml notices a mis-indented line only after it; finds that line (1-based) and its first
/// column by walking back from `upto` to the last line whose indentation differs from the one
/// before it.
fn misindented_line(src: &str, upto: usize) -> Option<(usize, usize)> {
    let lines: Vec<&str> = src.lines().take(upto + 1).collect();
    let indent = |t: &str| t.len() - t.trim_start_matches(' ').len();
    let upto = upto.min(lines.len());
    for i in (1..upto).rev() {
        let (prev, this) = (lines[i - 1], lines[i]);
        if this.trim().is_empty() || prev.trim().is_empty() {
            continue;
        }
        let parent_opens = prev.trim_end().ends_with(':');
        if indent(this) != indent(prev) && !(parent_opens && indent(this) > indent(prev)) {
            let deeper_than_next = lines.get(i + 1).is_none_or(|n| indent(n) != indent(this));
            if deeper_than_next || indent(this) < indent(prev) {
                return Some((i + 1, indent(this) + 1));
            }
        }
    }
    None
}
