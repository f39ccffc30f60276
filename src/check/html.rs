//! Just enough HTML reading for link checking: attribute values and element ids.

/// A link-bearing attribute found in HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    /// `href`, `src` or `srcset`.
    pub name: &'static str,
    /// Its unescaped value.
    pub value: String,
}

/// Every `href`, `src` and `srcset` value in `html`, in document order (`srcset` is split into
/// its URLs).
pub fn links(html: &str) -> Vec<Attr> {
    let mut found = Vec::new();
    for name in ["href", "src", "srcset"] {
        for value in values(html, name) {
            if name == "srcset" {
                for candidate in value.split(',') {
                    if let Some(url) = candidate.split_whitespace().next() {
                        found.push(Attr {
                            name,
                            value: url.to_string(),
                        });
                    }
                }
            } else {
                found.push(Attr { name, value });
            }
        }
    }
    found
}

/// Every `id` attribute value in `html`.
pub fn ids(html: &str) -> Vec<String> {
    values(html, "id")
}

/// Values of attribute `name` written as ` name="value"` (the form our templates and the
/// Markdown renderer produce).
fn values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

/// `s` with the entities our templates and the Markdown renderer write replaced by their
/// characters.
pub fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_and_ids() {
        let html = r#"<a href="/a/?x=1&amp;y=2" id="top"><img src="c.svg"><source srcset="n.svg 1x, w.svg 2x">"#;
        let values: Vec<_> = links(html).into_iter().map(|a| a.value).collect();
        assert_eq!(values, ["/a/?x=1&y=2", "c.svg", "n.svg", "w.svg"]);
        assert_eq!(ids(html), ["top"]);
    }
}
