//! Compiles the site's Tera templates and turns template errors into diagnostics.

use std::path::Path;

use tera::{ErrorKind, Tera};

use crate::diagnostic::Diagnostic;

/// Compiles `templates` (name, text), with autoescaping on for `.html` and `.xml`.
pub fn compile(templates: &[(String, String)], root: &Path) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| vec![diagnostic(&e, root, None)])?;
    Ok(tera)
}

/// A template error as `templates/<name>:<line>:<col>: <message>`. `rendering` names the
/// template that was being rendered, for errors that carry no position.
pub fn diagnostic(err: &tera::Error, root: &Path, rendering: Option<&str>) -> Diagnostic {
    let shown = |name: &str| crate::load::display_path(root, &Path::new("templates").join(name));
    match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            Diagnostic::at(
                &shown(report.filename()),
                span.start_line,
                span.start_col + 1,
                format!("template error: {}", report.message()),
            )
        }
        ErrorKind::TemplateNotFound(name) => match rendering {
            Some(r) => Diagnostic::file(
                &shown(r),
                format!("template \"{name}\" not found in templates/"),
            ),
            None => Diagnostic::file(&shown(name), "template not found: create this file"),
        },
        ErrorKind::MissingParent { current, parent } => Diagnostic::file(
            &shown(current),
            format!("extends \"{parent}\", which is not in templates/"),
        ),
        ErrorKind::Msg(text) => match parse_report(text) {
            Some((name, line, column, message)) => Diagnostic::at(
                &shown(&name),
                line,
                column,
                plain_template_message(&message),
            ),
            None => Diagnostic::file(
                &shown(rendering.unwrap_or("")),
                format!("template error: {text}"),
            ),
        },
        other => Diagnostic::file(
            &shown(rendering.unwrap_or("")),
            format!("template error: {other}"),
        ),
    }
}

/// Tera reports some errors (unknown filters and includes) as a message holding its terminal
/// report: `error: <message>` then ` --> <name>:<line>:<col>`. Returns those four parts.
fn parse_report(text: &str) -> Option<(String, usize, usize, String)> {
    let message = text
        .lines()
        .next()?
        .trim()
        .strip_prefix("error: ")?
        .to_string();
    let locus = text.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
    let mut parts = locus.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let name = parts.next()?.to_string();
    Some((name, line, column, message))
}

/// `Unknown template `x`` in the words of our other messages.
fn plain_template_message(message: &str) -> String {
    match message
        .strip_prefix("Unknown template `")
        .and_then(|m| m.strip_suffix('`'))
    {
        Some(name) => format!("template \"{name}\" not found in templates/"),
        None => format!("template error: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_locus_of_a_terminal_report() {
        let text = "error: Unknown filter `shout`\n --> robots.txt:4:29\n  |\n";
        assert_eq!(
            parse_report(text),
            Some(("robots.txt".into(), 4, 29, "Unknown filter `shout`".into()))
        );
        assert_eq!(
            plain_template_message("Unknown template `partials/toc.html`"),
            "template \"partials/toc.html\" not found in templates/"
        );
    }
}
