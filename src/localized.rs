//! Text written once per language in the shared YAML files (company facts, charts, `site.yaml`).
//!
//! A text field holds either one text, in the site's default language, or a mapping with one
//! text per language:
//!
//! ```yaml
//! period: 2023年                 # default language only
//! period: {zh-CN: 2023年, en: 2023}
//! ```
//!
//! A file is parsed once per edition, inside [`in_language`]; each text field is read with
//! [`text`] (or [`optional_text`], [`texts`]) and becomes the plain `String` of that edition, so
//! nothing after parsing knows about languages. A text missing in the edition being read (or
//! written under a language the site does not publish) becomes a [`problem`] marker in its
//! place: serde errors raised by a field carry no position, so the file's `parse` finds the
//! markers and reports each at the key where the translation belongs ([`check`]).
//!
//! serde gives a `Deserialize` implementation no context, so the edition travels in a scoped
//! thread-local set by [`in_language`] (parsing runs on one thread per file). Outside it, the
//! site has one language and a plain text is what every field must be.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer, StrDeserializer};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// Which edition a file is being read for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The language of the edition being read (`en`).
    pub language: String,
    /// The site's default language, whose text may be written alone (`zh-CN`).
    pub default: String,
    /// Every language the site publishes, default first: the keys a per-language mapping may use.
    pub languages: Vec<String>,
}

thread_local! {
    static READING: RefCell<Option<Reading>> = const { RefCell::new(None) };
}

/// Runs `parse` with text fields read in `reading.language`. Nested calls restore the outer
/// edition when they return.
pub fn in_language<T>(reading: &Reading, parse: impl FnOnce() -> T) -> T {
    let outer = READING.with(|r| r.replace(Some(reading.clone())));
    let result = parse();
    READING.with(|r| *r.borrow_mut() = outer);
    result
}

/// What one text field says for the edition being read.
enum Choice<T> {
    Found(T),
    /// The field has no text in this edition's language; the message says what to write.
    Missing(String),
}

/// A text field as written: one value, or one per language.
enum Written<T> {
    One(T),
    PerLanguage(BTreeMap<String, T>),
}

impl<T> Written<T> {
    fn choose(self, field_hint: &str) -> Result<Choice<T>, String> {
        let reading = READING.with(|r| r.borrow().clone());
        let Some(reading) = reading else {
            return match self {
                Written::One(v) => Ok(Choice::Found(v)),
                Written::PerLanguage(_) => Err(
                    "this site publishes one language: write the text alone, without a language \
                     key (declare more with languages: in content/site.yaml)"
                        .into(),
                ),
            };
        };
        match self {
            Written::One(v) if reading.language == reading.default => Ok(Choice::Found(v)),
            Written::One(_) => Ok(Choice::Missing(format!(
                "missing the {lang} text{field_hint}: write one text per language, \
                 {{{default}: …, {lang}: …}}",
                lang = reading.language,
                default = reading.default,
            ))),
            Written::PerLanguage(mut map) => {
                if let Some(unknown) = map.keys().find(|k| !reading.languages.contains(k)) {
                    return Err(format!(
                        "`{}` is not a language of this site; the languages in content/site.yaml are {}",
                        crate::diagnostic::shorten(unknown),
                        reading.languages.join(", ")
                    ));
                }
                match map.remove(&reading.language) {
                    Some(v) => Ok(Choice::Found(v)),
                    None => Ok(Choice::Missing(format!(
                        "missing the {lang} text{field_hint}: add a line `{lang}: …` to this mapping",
                        lang = reading.language
                    ))),
                }
            }
        }
    }
}

/// Reads a [`Written`] value whose single form is `T` (a string, or a list of them).
struct WrittenVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for WrittenVisitor<T> {
    type Value = Written<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a text, or one text per language such as {zh-CN: …, en: …}")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        T::deserialize(StrDeserializer::<E>::new(v)).map(Written::One)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        T::deserialize(SeqAccessDeserializer::new(seq)).map(Written::One)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        BTreeMap::<String, T>::deserialize(MapAccessDeserializer::new(map))
            .map(Written::PerLanguage)
    }
}

fn written<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Written<T>, D::Error> {
    d.deserialize_any(WrittenVisitor(std::marker::PhantomData))
}

/// Starts a [`problem`] marker: files never hold a NUL (see [`crate::text::decode`]).
const MARK: char = '\0';

fn mark(why: String) -> String {
    format!("{MARK}{why}")
}

/// What is wrong with a text field read by this module, if anything: the field holds a marker
/// instead of a text.
pub fn problem(value: &str) -> Option<&str> {
    value.strip_prefix(MARK)
}

/// Reports the marker in `value` (the field `name` of a file at `path`) at the position
/// `locate` finds for its key.
pub fn check(
    path: &std::path::Path,
    name: &str,
    value: &str,
    locate: impl FnOnce() -> (usize, usize),
    problems: &mut Vec<crate::diagnostic::Diagnostic>,
) {
    if let Some(why) = problem(value) {
        let (line, column) = locate();
        problems.push(crate::diagnostic::Diagnostic::at(
            path,
            line,
            column,
            format!("{name}: {why}"),
        ));
    }
}

fn chosen<T>(written: Written<T>, hint: &str, marked: impl Fn(String) -> T) -> T {
    match written.choose(hint) {
        Ok(Choice::Found(v)) => v,
        Ok(Choice::Missing(why)) | Err(why) => marked(why),
    }
}

/// A required text field, in the edition being read.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(chosen(written::<D, String>(d)?, "", mark))
}

/// An optional text field (`#[serde(default)]` beside it), in the edition being read.
pub fn optional_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    text(d).map(Some)
}

/// A text field that may be left untranslated: `None` when the edition's language has no text
/// (a company's name, which falls back to its original name).
pub fn text_if_given<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match written::<D, String>(d)?.choose("") {
        Ok(Choice::Found(v)) => Some(v),
        Ok(Choice::Missing(_)) => None,
        Err(why) => Some(mark(why)),
    })
}

/// A list of texts: each item one text or one per language, or the whole list per language (a
/// problem with the whole list is one marked item).
pub fn texts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    /// One item of the list.
    struct Item(String);
    impl<'de> Deserialize<'de> for Item {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            text(d).map(Item)
        }
    }
    struct ListVisitor;
    impl<'de> Visitor<'de> for ListVisitor {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of texts, or one list per language such as {zh-CN: […], en: […]}")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(Item(v)) = seq.next_element()? {
                out.push(v);
            }
            Ok(out)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            let per =
                BTreeMap::<String, Vec<String>>::deserialize(MapAccessDeserializer::new(map))?;
            Ok(chosen(Written::PerLanguage(per), "", |why| vec![mark(why)]))
        }
    }
    d.deserialize_any(ListVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::path::Path;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Doc {
        #[serde(deserialize_with = "text")]
        title: String,
        #[serde(default, deserialize_with = "optional_text")]
        note: Option<String>,
        #[serde(default, deserialize_with = "texts")]
        series: Vec<String>,
    }

    fn reading(language: &str) -> Reading {
        Reading {
            language: language.into(),
            default: "zh-CN".into(),
            languages: vec!["zh-CN".into(), "en".into()],
        }
    }

    fn read(language: Option<&str>, src: &str) -> Result<Doc, String> {
        let parse = || {
            let doc = crate::yaml::from_str::<Doc>(Path::new("a.yaml"), src, 0)
                .map_err(|d| d.to_string())?;
            let mut problems = Vec::new();
            let path = Path::new("a.yaml");
            let at = |keys: &[&str]| crate::diagnostic::locate_key(src, keys);
            check(path, "title", &doc.title, || at(&["title"]), &mut problems);
            for (i, s) in doc.series.iter().enumerate() {
                let name = format!("series[{i}]");
                check(path, &name, s, || at(&["series"]), &mut problems);
            }
            match problems.first() {
                Some(p) => Err(p.to_string()),
                None => Ok(doc),
            }
        };
        match language {
            Some(l) => in_language(&reading(l), parse),
            None => parse(),
        }
    }

    #[test]
    fn each_edition_reads_its_own_text() {
        let src = "title: {zh-CN: 标题, en: Title}\nnote:\n  zh-CN: 说明\n  en: Note\nseries:\n  - {zh-CN: 营收, en: Revenue}\n  - {zh-CN: 支出, en: Spending}\n";
        let zh = read(Some("zh-CN"), src).unwrap();
        assert_eq!(zh.title, "标题");
        assert_eq!(zh.note.as_deref(), Some("说明"));
        assert_eq!(zh.series, ["营收", "支出"]);
        let en = read(Some("en"), src).unwrap();
        assert_eq!(en.title, "Title");
        assert_eq!(en.note.as_deref(), Some("Note"));
        assert_eq!(en.series, ["Revenue", "Spending"]);
        let lists = "title: {zh-CN: 标题, en: Title}\nseries: {zh-CN: [营收], en: [Revenue]}\n";
        assert_eq!(read(Some("en"), lists).unwrap().series, ["Revenue"]);
    }

    #[test]
    fn a_text_alone_is_the_default_language() {
        let src = "title: 标题\nseries: [营收]\n";
        assert_eq!(read(Some("zh-CN"), src).unwrap().title, "标题");
        assert_eq!(read(None, src).unwrap().title, "标题");
        assert_eq!(read(None, "title: 2023\n").unwrap().title, "2023");
    }

    #[test]
    fn a_missing_translation_is_reported_where_it_belongs() {
        assert_eq!(
            read(Some("en"), "title: 标题\n").unwrap_err(),
            "a.yaml:1:1: title: missing the en text: write one text per language, {zh-CN: …, en: …}"
        );
        assert_eq!(
            read(Some("en"), "title:\n  zh-CN: 标题\n").unwrap_err(),
            "a.yaml:1:1: title: missing the en text: add a line `en: …` to this mapping"
        );
        assert_eq!(
            read(
                Some("en"),
                "title: {zh-CN: 标题, en: T}\nseries:\n  - 营收\n"
            )
            .unwrap_err(),
            "a.yaml:2:1: series[0]: missing the en text: write one text per language, {zh-CN: …, en: …}"
        );
        assert_eq!(
            read(Some("en"), "title: {zh-CN: 标题, fr: Titre}\n").unwrap_err(),
            "a.yaml:1:1: title: `fr` is not a language of this site; the languages in content/site.yaml are zh-CN, en"
        );
        assert!(
            read(None, "title: {zh-CN: 标题, en: T}\n")
                .unwrap_err()
                .starts_with("a.yaml:1:1: title: this site publishes one language")
        );
    }
}
