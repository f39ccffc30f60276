//! One pass over libyaml's events before the typed parse: finds what serde cannot see or would
//! take too long to see (a key written twice, nesting deeper than [`MAX_DEPTH`], a second
//! document), each at the parser's own position.
//!
//! libyaml is the parser `yaml_serde` runs, so both read every file alike. Its scanner costs
//! time proportional to the nesting depth for every token, so stopping at [`MAX_DEPTH`] keeps
//! every file's cost proportional to its size.

use std::collections::HashMap;
use std::mem::MaybeUninit;

use libyaml_rs as sys;

/// The deepest nesting of mappings and lists a YAML file may have. The site's files need 4; 32
/// leaves room for any file an editor writes and is far below `yaml_serde`'s own limit (128).
pub const MAX_DEPTH: usize = 32;

/// What the pass found, at 1-based `line` and `column` of the text it read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Line of the event.
    pub line: usize,
    /// Column of the event, in characters.
    pub column: usize,
    /// What is wrong there.
    pub what: Problem,
}

/// A problem only the event stream shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A mapping has this key already, first written at `first_line`.
    DuplicateKey {
        /// The key, as written (unquoted).
        key: String,
        /// Line of its first occurrence.
        first_line: usize,
    },
    /// A mapping or list opens here at depth [`MAX_DEPTH`] + 1.
    TooDeep,
    /// A second document starts here.
    SecondDocument,
}

/// The outcome of [`scan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scan {
    /// Well-formed, one document, nothing found.
    Clean,
    /// libyaml stopped at a syntax error; `yaml_serde` reports it with the same position.
    SyntaxError,
    /// A problem found before any syntax error.
    Found(Found),
}

/// A mapping or list being read.
enum Frame {
    List,
    Mapping {
        /// Line of each key read so far. The standard hasher, seeded per process: keys are
        /// written by editors, and a fixed hash made a mapping of numbered keys (`k1`, `k2`, …)
        /// collide into one bucket.
        keys: HashMap<Vec<u8>, usize>,
        /// Whether the next node is a key (else a value).
        at_key: bool,
    },
}

/// Reads `src` event by event and reports the first problem.
pub fn scan(src: &str) -> Scan {
    let Some(mut parser) = Parser::new(src) else {
        return Scan::SyntaxError;
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut documents = 0;
    loop {
        // Only keys' text is kept: values are never compared.
        let at_key = matches!(stack.last(), Some(Frame::Mapping { at_key: true, .. }));
        let Some(event) = parser.next(at_key) else {
            return Scan::SyntaxError;
        };
        let found = |what| {
            Scan::Found(Found {
                line: event.line,
                column: event.column,
                what,
            })
        };
        // A node moves its mapping on from key to value or back (a closing event is no node).
        if let Some(Frame::Mapping { at_key: next, .. }) = stack.last_mut()
            && !matches!(event.kind, Kind::End)
        {
            *next = !*next;
        }
        match event.kind {
            Kind::StreamEnd => return Scan::Clean,
            Kind::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return found(Problem::SecondDocument);
                }
            }
            Kind::Other => {}
            Kind::Scalar(text) => {
                if let (true, Some(Frame::Mapping { keys, .. })) = (at_key, stack.last_mut()) {
                    if let Some(&first) = keys.get(&text) {
                        return found(Problem::DuplicateKey {
                            key: String::from_utf8_lossy(&text).into_owned(),
                            first_line: first,
                        });
                    }
                    keys.insert(text, event.line);
                }
            }
            Kind::Start { mapping } => {
                if stack.len() == MAX_DEPTH {
                    return found(Problem::TooDeep);
                }
                stack.push(if mapping {
                    Frame::Mapping {
                        keys: HashMap::new(),
                        at_key: true,
                    }
                } else {
                    Frame::List
                });
            }
            Kind::End => {
                stack.pop();
            }
        }
    }
}

/// The part of an event the pass uses.
struct Event {
    line: usize,
    column: usize,
    kind: Kind,
}

enum Kind {
    StreamEnd,
    DocumentStart,
    /// A scalar, with its text when asked for (keys).
    Scalar(Vec<u8>),
    /// A mapping or a list opens.
    Start {
        mapping: bool,
    },
    /// A mapping or a list closes.
    End,
    /// Stream start, document end, alias.
    Other,
}

/// libyaml's event parser over a string, freed when dropped.
struct Parser<'a> {
    raw: Box<MaybeUninit<sys::yaml_parser_t>>,
    _input: &'a str,
}

impl<'a> Parser<'a> {
    fn new(input: &'a str) -> Option<Self> {
        let mut raw = Box::new(MaybeUninit::<sys::yaml_parser_t>::uninit());
        // SAFETY: `raw` is a valid allocation for a parser; initialize fills it or fails (and
        // then owns nothing). The input outlives the parser (`_input` borrows it).
        unsafe {
            if sys::yaml_parser_initialize(raw.as_mut_ptr()).fail {
                return None;
            }
            sys::yaml_parser_set_encoding(raw.as_mut_ptr(), sys::YAML_UTF8_ENCODING);
            sys::yaml_parser_set_input_string(raw.as_mut_ptr(), input.as_ptr(), input.len() as _);
        }
        Some(Parser { raw, _input: input })
    }

    /// The next event, or `None` at a syntax error (after which libyaml must not be asked
    /// again, so the caller stops). A scalar's text is copied only if `keep_text`.
    fn next(&mut self, keep_text: bool) -> Option<Event> {
        let mut event = MaybeUninit::<sys::yaml_event_t>::uninit();
        // SAFETY: the parser was initialized in `new`; on success `event` is filled, read for
        // the fields its type has, and deleted once.
        unsafe {
            if sys::yaml_parser_parse(self.raw.as_mut_ptr(), event.as_mut_ptr()).fail {
                return None;
            }
            let e = event.as_mut_ptr();
            let kind = match (*e).type_ {
                sys::YAML_STREAM_END_EVENT => Kind::StreamEnd,
                sys::YAML_DOCUMENT_START_EVENT => Kind::DocumentStart,
                sys::YAML_SCALAR_EVENT if keep_text => {
                    let s = (*e).data.scalar;
                    Kind::Scalar(std::slice::from_raw_parts(s.value, s.length as usize).to_vec())
                }
                sys::YAML_SCALAR_EVENT => Kind::Scalar(Vec::new()),
                sys::YAML_SEQUENCE_START_EVENT => Kind::Start { mapping: false },
                sys::YAML_MAPPING_START_EVENT => Kind::Start { mapping: true },
                sys::YAML_SEQUENCE_END_EVENT | sys::YAML_MAPPING_END_EVENT => Kind::End,
                _ => Kind::Other,
            };
            let mark = (*e).start_mark;
            sys::yaml_event_delete(e);
            Some(Event {
                line: mark.line as usize + 1,
                column: mark.column as usize + 1,
                kind,
            })
        }
    }
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        // SAFETY: initialized in `new` (a failed initialize never builds a `Parser`).
        unsafe { sys::yaml_parser_delete(self.raw.as_mut_ptr()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(src: &str) -> (usize, usize, Problem) {
        match scan(src) {
            Scan::Found(f) => (f.line, f.column, f.what),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_key_written_twice_is_found_at_its_second_line() {
        assert_eq!(
            found("a: 1\nb:\n  x: 1\n  y: 2\n  x: 3\n"),
            (
                5,
                3,
                Problem::DuplicateKey {
                    key: "x".into(),
                    first_line: 3
                }
            )
        );
        // Quoting does not make a key different; equal keys in different mappings are fine.
        assert!(matches!(
            found("{a: 1, 'a': 2}"),
            (1, 8, Problem::DuplicateKey { .. })
        ));
        assert_eq!(scan("a: {x: 1}\nb: {x: 1}\nc: [x, x]\n"), Scan::Clean);
    }

    #[test]
    fn values_equal_to_keys_are_not_keys() {
        assert_eq!(scan("a: a\nb: [a, b]\nc: {a: a}\n"), Scan::Clean);
    }

    #[test]
    fn nesting_stops_at_the_limit() {
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert_eq!(scan(&ok), Scan::Clean);
        let deep = "[".repeat(100_000);
        assert_eq!(found(&deep), (1, MAX_DEPTH + 1, Problem::TooDeep));
        let block = "- ".repeat(MAX_DEPTH + 1) + "x\n";
        assert_eq!(found(&block), (1, 2 * MAX_DEPTH + 1, Problem::TooDeep));
    }

    #[test]
    fn a_second_document_is_found_at_its_marker() {
        assert_eq!(found("a: 1\n---\nb: 2\n"), (2, 1, Problem::SecondDocument));
        assert_eq!(scan("---\na: 1\n"), Scan::Clean);
    }

    #[test]
    fn syntax_errors_are_left_to_the_typed_parse() {
        assert_eq!(scan("a: [1,\nb: 2\n"), Scan::SyntaxError);
        assert_eq!(scan(""), Scan::Clean);
    }
}
