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
        other => Diagnostic::file(
            &shown(rendering.unwrap_or("")),
            format!("template error: {other}"),
        ),
    }
}
