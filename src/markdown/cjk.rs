//! CJK-friendly emphasis for an unmodified pulldown-cmark.
//!
//! CommonMark decides whether a run of `*` or `_` may open or close emphasis from the two
//! characters around it (the *flanking* rules). Those rules treat a Chinese character like a
//! letter and Chinese punctuation like any other punctuation, so `这是**“重要”**的`,
//! `**真，**她` and `融资**（B轮）**完成` stay as literal asterisks. The CommonMark CJK-friendly
//! amendments (tats-u/markdown-cjk-friendly, `specification.md`) change only those flanking
//! rules: a CJK character (or an ideographic variation selector) next to a delimiter run counts
//! like punctuation on the outer side, and CJK punctuation stops counting as punctuation on the
//! inner side. Pairing — the delimiter stack, the rule of three, links and code spans taking
//! precedence — stays CommonMark's. pulldown-cmark 0.13.6 has no option for the amendment.
//!
//! # How: correct what the parser sees, let it do the pairing
//!
//! pulldown-cmark computes "can open / can close" for each run from the raw source characters
//! just before and after it, and only from those. So instead of forking it, or rebuilding
//! emphasis from literal `*` left in the event stream (which would mean re-implementing the
//! whole delimiter algorithm, and undoing pairings the parser already made with the wrong
//! flags), [`prepare`] edits what the parser sees around a run:
//!
//! 1. Parse the source once and collect every delimiter run that is really inline text: the
//!    `*`/`_` bytes of literal `Text` events and the delimiters of `Emphasis`/`Strong` events —
//!    never code spans or blocks, HTML, autolinks, link destinations, our `[[company/fact]]`
//!    references, or labels of shortcut/collapsed reference links (whose text must still match
//!    their definition).
//! 2. For each run compute (can open, can close) twice: under the amendment, and the way
//!    pulldown-cmark computes it. Both use the parser's own notion of Unicode punctuation, asked
//!    from the parser itself ([`Classifier::is_punctuation`]), and its notion of whitespace
//!    (`char::is_whitespace`), so the prediction cannot drift from the parser's tables.
//! 3. Where the two differ, insert a *sentinel* between the run and its outer neighbour on one
//!    or both sides: a rare character the parser classifies as punctuation and that does not
//!    occur in the document. Seeing punctuation there is exactly what makes CommonMark's rules
//!    agree with the amendment (every combination is reachable; see the exhaustive test). A
//!    sentinel is only ever placed next to a letter-like character, so it cannot start or end a
//!    construct of its own.
//! 4. The caller parses [`Prepared::text`] and passes every event through [`Prepared::clean`],
//!    which removes the sentinels, so none reaches the HTML, heading ids or tables of contents.
//!
//! Rendering does not pay for two parses: [`parse_prepared`] places the sentinels from the
//! text alone (every `*`/`_` run, as if it were inline text), parses that once, and keeps the
//! result when the runs its events show to be inline text need exactly those sentinels, which
//! is what steps 1–3 would have produced; otherwise it falls back to them. Which characters
//! the parser counts as punctuation is asked once per thread, not once per document.
//!
//! Offsets into the prepared text differ from the original by the sentinels inserted before
//! them; fact references are therefore located on the original text (the sentinel never
//! changes what is a link), see `markdown::fact_refs`.
//!
//! Which characters are CJK follows the specification: East Asian Width W, F or H minus
//! default-emoji-presentation characters, plus Hangul (the ranges published with the
//! specification, Unicode 16, unassigned code points in the ideograph planes included).
//! Variation selectors are handled as the reference implementation does: a standard
//! variation selector U+FE00–U+FE0E after a character is looked through to that character;
//! `‘’“”` followed by U+FE01 (their fullwidth form) are CJK punctuation; a wide emoji that can
//! be shown as text becomes CJK when followed by U+FE0E, and a CJK symbol that can be shown as
//! an emoji (㊗ 〰 …) stops being CJK when followed by U+FE0F.
//!
//! Not covered: GFM strikethrough `~~` (a separate amendment), and the `*` asterisks of a
//! shortcut reference link's label (`[**（注）**]` with a matching definition) are left as
//! CommonMark parses them.

use std::borrow::Cow;
use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

/// Characters the sentinel is chosen from: obscure punctuation (medieval and Duployan
/// shorthand marks) with no Markdown meaning. The first one absent from the document and seen
/// as punctuation by the parser is used.
const SENTINELS: [char; 4] = ['\u{2E4E}', '\u{2E4F}', '\u{1BC9F}', '\u{2E3E}'];

/// Markdown prepared for parsing with CJK-friendly emphasis.
#[derive(Debug)]
pub(super) struct Prepared<'a> {
    /// The text to parse: the original, or a copy with sentinels inserted.
    pub text: Cow<'a, str>,
    /// The sentinel, when any was inserted.
    sentinel: Option<char>,
    /// Offsets in the original text where a sentinel was inserted, ascending.
    inserted: Vec<usize>,
    /// Where each of them is in `text`, ascending.
    placed: Vec<usize>,
}

impl<'a> Prepared<'a> {
    fn unchanged(text: &'a str) -> Self {
        Prepared {
            text: Cow::Borrowed(text),
            sentinel: None,
            inserted: Vec::new(),
            placed: Vec::new(),
        }
    }

    /// `event` with every sentinel removed; `None` when nothing is left of a text event.
    pub fn clean<'e>(&self, event: Event<'e>) -> Option<Event<'e>> {
        let Some(s) = self.sentinel else {
            return Some(event);
        };
        let strip = |t: CowStr<'e>| -> CowStr<'e> {
            if self.holds(&t, s) {
                t.replace(s, "").into()
            } else {
                t
            }
        };
        Some(match event {
            Event::Text(t) => {
                let t = strip(t);
                if t.is_empty() {
                    return None;
                }
                Event::Text(t)
            }
            Event::Code(t) => Event::Code(strip(t)),
            Event::InlineHtml(t) => Event::InlineHtml(strip(t)),
            Event::Html(t) => Event::Html(strip(t)),
            other => other,
        })
    }

    /// Whether `t` holds the sentinel `s`. Text that is a slice of this text holds it only
    /// where a sentinel was placed, which a search of the offsets answers; other text (decoded
    /// entities, joined lines) is searched.
    fn holds(&self, t: &str, s: char) -> bool {
        let text = self.text.as_bytes();
        let (base, at) = (text.as_ptr() as usize, t.as_ptr() as usize);
        if at < base || at + t.len() > base + text.len() {
            return t.contains(s);
        }
        let start = at - base;
        let k = self.placed.partition_point(|&p| p < start);
        self.placed.get(k).is_some_and(|&p| p < start + t.len())
    }
}

/// Inserts sentinels into `markdown` so that pulldown-cmark, parsing with `options`, flanks
/// emphasis delimiters as the CJK-friendly amendment says. See the module documentation.
pub(super) fn prepare(markdown: &str, options: Options) -> Prepared<'_> {
    let Some(sentinel) = sentinel_for(markdown) else {
        return Prepared::unchanged(markdown);
    };
    let runs = delimiter_runs(
        markdown,
        Parser::new_ext(markdown, options).into_offset_iter(),
    );
    insert(markdown, sentinel, sentinels_for(&fixed(markdown, runs)))
}

/// Parses `markdown` prepared as [`prepare`] does and hands the prepared text and its events
/// to `render`, usually after a single parse.
///
/// The sentinels are first placed from the text alone, at every run of `*` or `_` (a table
/// cell assumed wherever the line holds a `|`). The events of that guess are then checked: the
/// runs they show to be inline text, mapped back to the original, must need exactly the
/// sentinels guessed. Code spans, links and HTML are decided before emphasis, so a sentinel
/// beside a run that the parser treats as inline text cannot change which runs those are;
/// a guess that put a sentinel anywhere else fails the check, and then [`prepare`] parses
/// twice as before. Either way the events are those of [`prepare`]'s text.
pub(super) fn parse_prepared<T>(
    markdown: &str,
    options: Options,
    render: impl FnOnce(&Prepared<'_>, Parsed<'_>) -> T,
) -> T {
    let sentinel = sentinel_for(markdown);
    let guessed = match sentinel {
        Some(_) => fixed(
            markdown,
            runs_of_marks(markdown.as_bytes(), raw_marks(markdown)),
        ),
        None => Vec::new(),
    };
    let guess = match sentinel {
        Some(sentinel) => insert(markdown, sentinel, sentinels_for(&guessed)),
        None => Prepared::unchanged(markdown),
    };
    let events: Parsed<'_> = Parser::new_ext(&guess.text, options)
        .into_offset_iter()
        .collect();
    if guess.confirmed_by(markdown, &events, &guessed) {
        return render(&guess, events);
    }
    drop(events);
    let prepared = prepare(markdown, options);
    let events = Parser::new_ext(&prepared.text, options)
        .into_offset_iter()
        .collect();
    render(&prepared, events)
}

/// Events as parsed, each with its byte range in the text parsed.
pub(super) type Parsed<'e> = Vec<(Event<'e>, std::ops::Range<usize>)>;

/// The sentinel for `markdown`, or `None` when it needs none: the amendment only differs from
/// CommonMark next to a `*` or `_` and characters from U+1100 up.
fn sentinel_for(markdown: &str) -> Option<char> {
    let has_delimiter = markdown.bytes().any(|b| b == b'*' || b == b'_');
    if !has_delimiter || !markdown.chars().any(|c| c as u32 >= 0x1100) {
        return None;
    }
    SENTINELS
        .into_iter()
        .find(|&c| !markdown.contains(c) && !c.is_whitespace() && Classifier.is_punctuation(c))
}

/// Each of `runs` with where it needs sentinels in `markdown` (see [`Classifier::fix`]).
fn fixed(markdown: &str, runs: Vec<Run>) -> Vec<(Run, (bool, bool))> {
    runs.into_iter()
        .map(|run| {
            let fix = Classifier.fix(markdown, &run);
            (run, fix)
        })
        .collect()
}

/// The offsets where `runs` need a sentinel, ascending and without repeats.
fn sentinels_for(runs: &[(Run, (bool, bool))]) -> Vec<usize> {
    let mut inserted = Vec::new();
    for (run, (before, after)) in runs {
        if *before {
            inserted.push(run.start);
        }
        if *after {
            inserted.push(run.end);
        }
    }
    inserted.sort_unstable();
    inserted.dedup();
    inserted
}

/// `markdown` with `sentinel` inserted at each offset of `inserted` (ascending).
fn insert(markdown: &str, sentinel: char, inserted: Vec<usize>) -> Prepared<'_> {
    if inserted.is_empty() {
        return Prepared::unchanged(markdown);
    }
    let mut text = String::with_capacity(markdown.len() + inserted.len() * sentinel.len_utf8());
    let mut placed = Vec::with_capacity(inserted.len());
    let mut from = 0;
    for &at in &inserted {
        text.push_str(&markdown[from..at]);
        placed.push(text.len());
        text.push(sentinel);
        from = at;
    }
    text.push_str(&markdown[from..]);
    Prepared {
        text: Cow::Owned(text),
        sentinel: Some(sentinel),
        inserted,
        placed,
    }
}

impl Prepared<'_> {
    /// Whether `events`, parsed from this text, show that `markdown` needs exactly the
    /// sentinels this text has (see [`parse_prepared`]); `guessed` are the runs guessed, by
    /// start, with their sentinels, which a run found again need not work out anew.
    fn confirmed_by(
        &self,
        markdown: &str,
        events: &[(Event<'_>, std::ops::Range<usize>)],
        guessed: &[(Run, (bool, bool))],
    ) -> bool {
        let width = self.sentinel.map_or(0, char::len_utf8);
        // An offset in this text minus the width of the sentinels before it is the offset in
        // `markdown`.
        let placed = &self.placed;
        let original = |at: usize| at - placed.partition_point(|&p| p < at) * width;
        let marks: Vec<(usize, bool)> = event_marks(&self.text, events)
            .into_iter()
            .filter(|(i, _)| placed.binary_search(i).is_err())
            .map(|(i, t)| (original(i), t))
            .collect();
        let runs = runs_of_marks(markdown.as_bytes(), marks);
        let needed = if self.sentinel.is_some() || sentinel_for(markdown).is_some() {
            let runs: Vec<(Run, (bool, bool))> = runs
                .into_iter()
                .map(|run| {
                    let known = guessed
                        .binary_search_by_key(&run.start, |(r, _)| r.start)
                        .ok()
                        .filter(|&k| guessed[k].0 == run);
                    let fix =
                        known.map_or_else(|| Classifier.fix(markdown, &run), |k| guessed[k].1);
                    (run, fix)
                })
                .collect();
            sentinels_for(&runs)
        } else {
            Vec::new()
        };
        needed == self.inserted
    }
}

/// A run of `*` or `_` that the parser treats as inline text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Run {
    /// Byte range in the source.
    start: usize,
    end: usize,
    delim: u8,
    /// In a table cell, where an unescaped `|` next to the run acts as whitespace.
    in_table: bool,
}

/// The delimiter runs of `markdown` that are inline text, in order, from its parsed `events`.
fn delimiter_runs<'e>(
    markdown: &str,
    events: impl Iterator<Item = (Event<'e>, std::ops::Range<usize>)>,
) -> Vec<Run> {
    let events: Vec<_> = events.collect();
    runs_of_marks(markdown.as_bytes(), event_marks(markdown, &events))
}

/// Every `*` and `_` of `markdown` that could be a delimiter, guessing a table cell wherever
/// its line holds a `|`: the guess of [`parse_prepared`].
fn raw_marks(markdown: &str) -> Vec<(usize, bool)> {
    let bytes = markdown.as_bytes();
    let mut marks = Vec::new();
    // The end of the line of the last mark (after its `\n`), and whether that line holds a `|`.
    let (mut line_end, mut in_table) = (0, false);
    for i in memchr::memchr2_iter(b'*', b'_', bytes) {
        if i >= line_end {
            let start = memchr::memrchr(b'\n', &bytes[..i]).map_or(0, |n| n + 1);
            line_end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n + 1);
            in_table = memchr::memchr(b'|', &bytes[start..line_end]).is_some();
        }
        marks.push((i, in_table));
    }
    marks
}

/// The offsets (with whether in a table cell) of the `*` and `_` that `events` show to be
/// inline text: the `*`/`_` bytes of literal text and the delimiters of emphasis, never code,
/// HTML, autolinks, link destinations, fact references, or labels of shortcut and collapsed
/// reference links.
fn event_marks(
    markdown: &str,
    events: &[(Event<'_>, std::ops::Range<usize>)],
) -> Vec<(usize, bool)> {
    let bytes = markdown.as_bytes();
    // (offset of a `*` or `_`, inside a table cell)
    let mut marks: Vec<(usize, bool)> = Vec::new();
    let mut code_blocks = 0usize;
    let mut table_cells = 0usize;
    // One entry per open link or image: whether its text must be left alone.
    let mut links: Vec<bool> = Vec::new();
    for (event, range) in events {
        let range = range.clone();
        let opaque = code_blocks > 0 || links.iter().any(|&o| o);
        let in_table = table_cells > 0;
        match event {
            Event::Start(Tag::CodeBlock(_)) => code_blocks += 1,
            Event::End(TagEnd::CodeBlock) => code_blocks = code_blocks.saturating_sub(1),
            Event::Start(Tag::TableCell) => table_cells += 1,
            Event::End(TagEnd::TableCell) => table_cells = table_cells.saturating_sub(1),
            Event::Start(Tag::Link { link_type, .. } | Tag::Image { link_type, .. }) => {
                links.push(matches!(
                    link_type,
                    LinkType::WikiLink { .. }
                        | LinkType::Autolink
                        | LinkType::Email
                        | LinkType::Shortcut
                        | LinkType::ShortcutUnknown
                        | LinkType::Collapsed
                        | LinkType::CollapsedUnknown
                ));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                links.pop();
            }
            Event::Start(tag @ (Tag::Emphasis | Tag::Strong)) if !opaque => {
                let n = if matches!(tag, Tag::Strong) { 2 } else { 1 };
                if range.len() >= 2 * n {
                    for i in 0..n {
                        marks.push((range.start + i, in_table));
                        marks.push((range.end - 1 - i, in_table));
                    }
                }
            }
            // Only text that is its source verbatim: not entities, not escapes.
            Event::Text(t) if !opaque && verbatim(markdown, &range, t) => {
                let found = memchr::memchr2_iter(b'*', b'_', &bytes[range.clone()]);
                marks.extend(found.map(|i| (range.start + i, in_table)));
            }
            _ => {}
        }
    }
    marks
}

/// Whether `text` is the slice `range` of `markdown`, as most text events are.
fn verbatim(markdown: &str, range: &std::ops::Range<usize>, text: &str) -> bool {
    let same = |source: &str| {
        (source.as_ptr() == text.as_ptr() && source.len() == text.len()) || source == text
    };
    markdown.get(range.clone()).is_some_and(same)
}

/// The whole runs made of `marks` (offsets of `*` or `_` in `bytes`, with whether in a table
/// cell), in order.
fn runs_of_marks(bytes: &[u8], mut marks: Vec<(usize, bool)>) -> Vec<Run> {
    marks.sort_unstable();
    marks.dedup_by_key(|m| m.0);
    marks.retain(|&(i, _)| matches!(bytes[i], b'*' | b'_') && !escaped(bytes, i));

    let mut runs: Vec<Run> = Vec::new();
    for (i, in_table) in marks {
        match runs.last_mut() {
            Some(run) if run.end == i && run.delim == bytes[i] => run.end += 1,
            _ => runs.push(Run {
                start: i,
                end: i + 1,
                delim: bytes[i],
                in_table,
            }),
        }
    }
    // A run must be whole: the parser would extend it over a following same delimiter, and an
    // earlier one can only be an escaped `\*`. Anything else is not understood: leave it.
    runs.retain(|r| {
        bytes.get(r.end) != Some(&r.delim)
            && (r.start == 0 || bytes[r.start - 1] != r.delim || escaped(bytes, r.start - 1))
    });
    runs
}

/// Whether the byte at `i` is escaped by an odd number of backslashes.
fn escaped(bytes: &[u8], i: usize) -> bool {
    bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

/// What a character next to a delimiter run counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Unicode whitespace, the start or end of a line, a table cell border.
    Space,
    /// Unicode punctuation (categories P and S) that is not CJK.
    Punct,
    /// CJK punctuation: wide punctuation such as `，。：（）【】《》`. The ambiguous-width
    /// `“”‘’—…·` are not CJK.
    CjkPunct,
    /// Any other CJK character: ideographs, kana, hangul, fullwidth letters and digits.
    Cjk,
    /// Anything else: letters, digits, marks, variation selectors.
    Other,
}

impl Class {
    fn with_cjk(self) -> Class {
        match self {
            Class::Punct => Class::CjkPunct,
            Class::Other => Class::Cjk,
            c => c,
        }
    }

    fn without_cjk(self) -> Class {
        match self {
            Class::CjkPunct => Class::Punct,
            Class::Cjk => Class::Other,
            c => c,
        }
    }

    fn is_cjk(self) -> bool {
        matches!(self, Class::Cjk | Class::CjkPunct)
    }

    fn is_punctuation(self) -> bool {
        matches!(self, Class::Punct | Class::CjkPunct)
    }
}

/// The side before a run: its class, and whether it is an ideographic variation selector
/// (which lets a run followed by punctuation open, rule 2bδ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Before {
    class: Class,
    ivs: bool,
}

impl From<Class> for Before {
    fn from(class: Class) -> Self {
        Before { class, ivs: false }
    }
}

/// (can open, can close) of a run of `delim` between `before` and `after`, under the
/// CJK-friendly amendment. With only `Space`, `Punct` and `Other` (no CJK involved) this is
/// CommonMark's rule, which is how pulldown-cmark decides.
fn flags(delim: u8, before: Before, after: Class) -> (bool, bool) {
    let b = before.class;
    // Left-flanking: (1) not followed by whitespace, and (2a) not followed by non-CJK
    // punctuation, or (2b) preceded by whitespace, non-CJK punctuation, CJK, or an IVS.
    let left = after != Class::Space
        && (after != Class::Punct
            || b == Class::Space
            || b == Class::Punct
            || b.is_cjk()
            || before.ivs);
    // Right-flanking: (1) not preceded by whitespace, and (2a) not preceded by non-CJK
    // punctuation, or (2b) followed by whitespace, non-CJK punctuation or CJK.
    let right = b != Class::Space
        && (b != Class::Punct || after == Class::Space || after == Class::Punct || after.is_cjk());
    if delim == b'*' {
        (left, right)
    } else {
        // `_` is not intraword: it opens only when not also right-flanking or after
        // punctuation, and closes only when not also left-flanking or before punctuation.
        (
            left && (!right || b.is_punctuation()),
            right && (!left || after.is_punctuation()),
        )
    }
}

/// Where to put sentinels around a run so the parser's flags equal `target`: (before, after).
/// `plain_*` is what the parser sees there now (`Space`, `Punct` or `Other`).
fn choose(
    delim: u8,
    target: (bool, bool),
    plain_before: Class,
    plain_after: Class,
) -> Option<(bool, bool)> {
    [(false, false), (true, false), (false, true), (true, true)]
        .into_iter()
        .find(|&(b, a)| {
            let before = if b { Class::Punct } else { plain_before };
            let after = if a { Class::Punct } else { plain_after };
            flags(delim, before.into(), after) == target
        })
}

/// Classifies characters, asking the parser what it counts as punctuation.
struct Classifier;

thread_local! {
    /// What the parser said of each character asked about, kept for the thread's lifetime so
    /// each character costs one probe parse per thread rather than one per document.
    static PUNCTUATION: std::cell::RefCell<HashMap<char, bool>> = Default::default();
}

impl Classifier {
    /// Whether pulldown-cmark counts `c` as Unicode punctuation when flanking emphasis. Its
    /// table is private, so ask it: in `a**Xb**` the first `**` can open (and the text turns
    /// bold) exactly when `X` is not punctuation.
    fn is_punctuation(&self, c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_punctuation();
        }
        if c.is_whitespace() || c.is_control() {
            return false;
        }
        PUNCTUATION.with_borrow_mut(|known| {
            *known.entry(c).or_insert_with(|| {
                let probe = format!("a**{c}b**");
                !Parser::new(&probe).any(|e| matches!(e, Event::Start(Tag::Strong)))
            })
        })
    }

    /// One character on its own, under the amendment.
    fn class(&self, c: char) -> Class {
        if c.is_whitespace() {
            return Class::Space;
        }
        if is_standard_vs(c) || is_ivs(c) {
            return Class::Other;
        }
        match (is_cjk(c), self.is_punctuation(c)) {
            (true, true) => Class::CjkPunct,
            (true, false) => Class::Cjk,
            (false, true) => Class::Punct,
            (false, false) => Class::Other,
        }
    }

    /// How the parser itself sees a neighbour: whitespace, punctuation or other.
    fn plain(&self, c: Option<char>) -> Class {
        match c {
            None => Class::Space,
            Some(c) if c.is_whitespace() => Class::Space,
            Some(c) if self.is_punctuation(c) => Class::Punct,
            Some(_) => Class::Other,
        }
    }

    /// The character before a run, `p`, with the one before it, `pp`: a variation selector is
    /// looked through to the character it modifies.
    fn before(&self, p: char, pp: Option<char>) -> Before {
        if is_ivs(p) {
            return Before {
                class: Class::Other,
                ivs: true,
            };
        }
        if !is_standard_vs(p) {
            return self.class(p).into();
        }
        let class = match pp {
            None => Class::Other,
            Some(q) if q.is_whitespace() || is_ivs(q) || is_standard_vs(q) => Class::Other,
            Some(q) if is_quotation_mark(q) && p == '\u{FE01}' => Class::CjkPunct,
            Some(q) if is_text_capable_emoji(q) && p == '\u{FE0E}' => self.class(q).with_cjk(),
            Some(q) => self.class(q),
        };
        class.into()
    }

    /// The character after a run, `n`, with the one after it, `nn`.
    fn after(&self, n: char, nn: Option<char>) -> Class {
        match nn {
            Some('\u{FE01}') if is_quotation_mark(n) => Class::CjkPunct,
            Some('\u{FE0E}') if is_text_capable_emoji(n) => self.class(n).with_cjk(),
            Some('\u{FE0F}') if is_emoji_capable_cjk(n) => self.class(n).without_cjk(),
            _ => self.class(n),
        }
    }

    /// Where `run` in `src` needs sentinels: (before it, after it).
    fn fix(&self, src: &str, run: &Run) -> (bool, bool) {
        let mut back = src[..run.start].chars().rev();
        let (p, pp) = (back.next(), back.next());
        let mut ahead = src[run.end..].chars();
        let (n, nn) = (ahead.next(), ahead.next());

        // The parser starts each line (after container markers) and each table cell afresh:
        // there the run counts as preceded by whitespace.
        let line = src[..run.start].rsplit('\n').next().unwrap_or("");
        let line_start = line.chars().all(|c| matches!(c, ' ' | '\t' | '>'));
        let cell_start = run.in_table && p == Some('|') && pp != Some('\\');
        let cell_end = run.in_table && n == Some('|');

        let (before, plain_before) = match p {
            Some(p) if !line_start && !cell_start => (self.before(p, pp), self.plain(Some(p))),
            _ => (Class::Space.into(), Class::Space),
        };
        let (after, plain_after) = match n {
            Some(n) if !cell_end => (self.after(n, nn), self.plain(Some(n))),
            _ => (Class::Space, Class::Space),
        };
        let target = flags(run.delim, before, after);
        choose(run.delim, target, plain_before, plain_after).unwrap_or((false, false))
    }
}

/// U+FE00–U+FE0E: standardized variation selectors other than the emoji presentation selector.
fn is_standard_vs(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0E}')
}

/// Ideographic variation selectors (the Variation Selectors Supplement block).
fn is_ivs(c: char) -> bool {
    matches!(c, '\u{E0100}'..='\u{E01EF}')
}

/// `‘’“”`: ambiguous-width quotation marks, fullwidth when followed by U+FE01.
fn is_quotation_mark(c: char) -> bool {
    matches!(c, '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}')
}

/// Wide CJK symbols that are also emoji with text presentation by default (〰 〽 ㊗ ㊙ 🈂 🈷):
/// CJK, except when followed by the emoji presentation selector U+FE0F.
fn is_emoji_capable_cjk(c: char) -> bool {
    matches!(
        c as u32,
        0x3030 | 0x303D | 0x3297 | 0x3299 | 0x1F202 | 0x1F237
    )
}

/// Whether `c` is a CJK character: East Asian Width W, F or H and not an emoji shown as emoji
/// by default, or Hangul. Unassigned code points of the ideograph blocks and planes count
/// (their default width is W).
pub(super) fn is_cjk(c: char) -> bool {
    in_ranges(c as u32, CJK)
}

/// Whether `c` is Hangul (script Hangul: jamo, compatibility and halfwidth jamo, syllables).
pub(super) fn is_hangul(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x3131..=0x318E | 0xA960..=0xA97C | 0xAC00..=0xD7A3 |
        0xD7B0..=0xD7FB | 0xFFA0..=0xFFDC)
}

/// Wide emoji shown as emoji by default that have a text presentation sequence (with U+FE0E),
/// in which case they count as CJK.
fn is_text_capable_emoji(c: char) -> bool {
    in_ranges(c as u32, TEXT_CAPABLE_EMOJI)
}

fn in_ranges(cp: u32, ranges: &[(u32, u32)]) -> bool {
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// CJK characters as inclusive code point ranges, ascending (Unicode 16 data: EastAsianWidth,
/// Scripts, emoji-data, as the specification defines them).
const CJK: &[(u32, u32)] = &[
    (0x1100, 0x11FF), // Hangul Jamo
    (0x20A9, 0x20A9), // WON SIGN (halfwidth)
    (0x2329, 0x232A), // angle brackets
    (0x2630, 0x2637), // trigrams
    (0x268A, 0x268F), // monograms and digrams
    (0x2E80, 0x2E99), // CJK radicals supplement
    (0x2E9B, 0x2EF3),
    (0x2F00, 0x2FD5), // Kangxi radicals
    (0x2FF0, 0x303E), // ideographic description, CJK symbols and punctuation
    (0x3041, 0x3096), // Hiragana
    (0x3099, 0x30FF), // Katakana
    (0x3105, 0x312F), // Bopomofo
    (0x3131, 0x318E), // Hangul compatibility Jamo
    (0x3190, 0x31E5), // Kanbun, Bopomofo extended, CJK strokes
    (0x31EF, 0x321E), // Katakana phonetic extensions, enclosed CJK
    (0x3220, 0x3247),
    (0x3250, 0xA48C), // enclosed CJK … CJK unified ideographs … Yi syllables
    (0xA490, 0xA4C6), // Yi radicals
    (0xA960, 0xA97C), // Hangul Jamo extended-A
    (0xAC00, 0xD7A3), // Hangul syllables
    (0xD7B0, 0xD7C6), // Hangul Jamo extended-B
    (0xD7CB, 0xD7FB),
    (0xF900, 0xFAFF), // CJK compatibility ideographs
    (0xFE10, 0xFE19), // vertical forms
    (0xFE30, 0xFE52), // CJK compatibility forms, small form variants
    (0xFE54, 0xFE66),
    (0xFE68, 0xFE6B),
    (0xFF01, 0xFFBE), // fullwidth forms, halfwidth Katakana and Hangul
    (0xFFC2, 0xFFC7),
    (0xFFCA, 0xFFCF),
    (0xFFD2, 0xFFD7),
    (0xFFDA, 0xFFDC),
    (0xFFE0, 0xFFE6),   // fullwidth signs
    (0xFFE8, 0xFFEE),   // halfwidth symbols
    (0x16FE0, 0x16FE4), // ideographic symbols and punctuation
    (0x16FF0, 0x16FF6),
    (0x17000, 0x18CD5), // Tangut, Khitan
    (0x18CFF, 0x18D1E),
    (0x18D80, 0x18DF2),
    (0x1AFF0, 0x1AFF3), // Kana extended-B
    (0x1AFF5, 0x1AFFB),
    (0x1AFFD, 0x1AFFE),
    (0x1B000, 0x1B122), // Kana supplement, Kana extended-A
    (0x1B132, 0x1B132),
    (0x1B150, 0x1B152), // small Kana extension
    (0x1B155, 0x1B155),
    (0x1B164, 0x1B167),
    (0x1B170, 0x1B2FB), // Nushu
    (0x1D300, 0x1D356), // Tai Xuan Jing symbols
    (0x1D360, 0x1D376), // counting rod numerals
    (0x1F200, 0x1F200), // enclosed ideographic supplement (not the emoji among them)
    (0x1F202, 0x1F202),
    (0x1F210, 0x1F219),
    (0x1F21B, 0x1F22E),
    (0x1F230, 0x1F231),
    (0x1F237, 0x1F237),
    (0x1F23B, 0x1F23B),
    (0x1F240, 0x1F248),
    (0x1F260, 0x1F265),
    (0x20000, 0x3FFFD), // CJK ideographs, planes 2 and 3
];

/// Emoji with East Asian Width W and default emoji presentation that have a text presentation
/// sequence (emoji-variation-sequences.txt), inclusive ranges, ascending.
const TEXT_CAPABLE_EMOJI: &[(u32, u32)] = &[
    (0x231A, 0x231B),
    (0x23E9, 0x23EC),
    (0x23F0, 0x23F0),
    (0x23F3, 0x23F3),
    (0x25FD, 0x25FE),
    (0x2614, 0x2615),
    (0x2648, 0x2653),
    (0x267F, 0x267F),
    (0x2693, 0x2693),
    (0x26A1, 0x26A1),
    (0x26AA, 0x26AB),
    (0x26BD, 0x26BE),
    (0x26C4, 0x26C5),
    (0x26CE, 0x26CE),
    (0x26D4, 0x26D4),
    (0x26EA, 0x26EA),
    (0x26F2, 0x26F3),
    (0x26F5, 0x26F5),
    (0x26FA, 0x26FA),
    (0x26FD, 0x26FD),
    (0x2705, 0x2705),
    (0x270A, 0x270B),
    (0x2728, 0x2728),
    (0x274C, 0x274C),
    (0x274E, 0x274E),
    (0x2753, 0x2755),
    (0x2757, 0x2757),
    (0x2795, 0x2797),
    (0x27B0, 0x27B0),
    (0x27BF, 0x27BF),
    (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B50),
    (0x2B55, 0x2B55),
    (0x1F004, 0x1F004),
    (0x1F21A, 0x1F21A),
    (0x1F22F, 0x1F22F),
    (0x1F30D, 0x1F30F),
    (0x1F315, 0x1F315),
    (0x1F31C, 0x1F31C),
    (0x1F378, 0x1F378),
    (0x1F393, 0x1F393),
    (0x1F3A7, 0x1F3A7),
    (0x1F3AC, 0x1F3AE),
    (0x1F3C2, 0x1F3C2),
    (0x1F3C4, 0x1F3C4),
    (0x1F3C6, 0x1F3C6),
    (0x1F3CA, 0x1F3CA),
    (0x1F3E0, 0x1F3E0),
    (0x1F3ED, 0x1F3ED),
    (0x1F408, 0x1F408),
    (0x1F415, 0x1F415),
    (0x1F41F, 0x1F41F),
    (0x1F426, 0x1F426),
    (0x1F442, 0x1F442),
    (0x1F446, 0x1F449),
    (0x1F44D, 0x1F44E),
    (0x1F453, 0x1F453),
    (0x1F46A, 0x1F46A),
    (0x1F47D, 0x1F47D),
    (0x1F4A3, 0x1F4A3),
    (0x1F4B0, 0x1F4B0),
    (0x1F4B3, 0x1F4B3),
    (0x1F4BB, 0x1F4BB),
    (0x1F4BF, 0x1F4BF),
    (0x1F4CB, 0x1F4CB),
    (0x1F4DA, 0x1F4DA),
    (0x1F4DF, 0x1F4DF),
    (0x1F4E4, 0x1F4E6),
    (0x1F4EA, 0x1F4ED),
    (0x1F4F7, 0x1F4F7),
    (0x1F4F9, 0x1F4FB),
    (0x1F508, 0x1F508),
    (0x1F50D, 0x1F50D),
    (0x1F512, 0x1F513),
    (0x1F550, 0x1F567),
    (0x1F610, 0x1F610),
    (0x1F687, 0x1F687),
    (0x1F68D, 0x1F68D),
    (0x1F691, 0x1F691),
    (0x1F694, 0x1F694),
    (0x1F698, 0x1F698),
    (0x1F6AD, 0x1F6AD),
    (0x1F6B2, 0x1F6B2),
    (0x1F6B9, 0x1F6BA),
    (0x1F6BC, 0x1F6BC),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The HTML of `md`, checked to be free of sentinels.
    fn html(md: &str) -> String {
        let out = crate::markdown::render(md, &|_| None).html;
        assert!(!out.contains(SENTINELS), "sentinel leaked: {out:?}");
        out
    }

    /// Each case is a paragraph of its own: (Markdown, expected HTML inside `<p>`).
    fn check(cases: &[(&str, &str)]) {
        let mut failures = Vec::new();
        for (md, want) in cases {
            let got = html(md);
            let want = format!("<p>{want}</p>\n");
            if got != want {
                failures.push(format!("{md:?}\n   got  {got:?}\n   want {want:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn issue_examples() {
        check(&[
            ("这是**“重要”**的", "这是<strong>“重要”</strong>的"),
            ("**真，**她", "<strong>真，</strong>她"),
            (
                "营收**增长50%**，融资**（B轮）**完成",
                "营收<strong>增长50%</strong>，融资<strong>（B轮）</strong>完成",
            ),
        ]);
    }

    /// specification: testcases/strong.md, expected output from the reference implementation's
    /// snapshot (which writes `"` in text as `&quot;`; pulldown-cmark leaves it as is). A table
    /// of the specification's cases, hence its length.
    #[test]
    fn spec_strong() {
        check(&[
            (
                "これは**私のやりたかったこと。**だからするの。",
                "これは<strong>私のやりたかったこと。</strong>だからするの。",
            ),
            (
                "**[製品ほげ](./product-foo)**と**[製品ふが](./product-bar)**をお試しください",
                "<strong><a href=\"./product-foo\">製品ほげ</a></strong>と<strong><a href=\"./product-bar\">製品ふが</a></strong>をお試しください",
            ),
            (
                "単語と**[単語と](word-and)**単語",
                "単語と<strong><a href=\"word-and\">単語と</a></strong>単語",
            ),
            (
                "**これは太字になりません。**ご注意ください。",
                "<strong>これは太字になりません。</strong>ご注意ください。",
            ),
            (
                "カッコに注意**（太字にならない）**文が続く場合に要警戒。",
                "カッコに注意<strong>（太字にならない）</strong>文が続く場合に要警戒。",
            ),
            (
                "**[リンク](https://example.com)**も注意。（画像も同様）",
                "<strong><a href=\"https://example.com\">リンク</a></strong>も注意。（画像も同様）",
            ),
            (
                "先頭の**\\`コード\\`も注意。**",
                "先頭の<strong>`コード`も注意。</strong>",
            ),
            (
                "**末尾の\\`コード\\`**も注意。",
                "<strong>末尾の`コード`</strong>も注意。",
            ),
            (
                "税込**¥10,000**で入手できます。",
                "税込<strong>¥10,000</strong>で入手できます。",
            ),
            ("正解は**④**です。", "正解は<strong>④</strong>です。"),
            (
                "太郎は**「こんにちわ」**といった",
                "太郎は<strong>「こんにちわ」</strong>といった",
            ),
            (
                "太郎は**\"こんにちわ\"**といった",
                "太郎は<strong>\"こんにちわ\"</strong>といった",
            ),
            (
                "太郎は**こんにちわ**といった",
                "太郎は<strong>こんにちわ</strong>といった",
            ),
            (
                "太郎は**「Hello」**といった",
                "太郎は<strong>「Hello」</strong>といった",
            ),
            (
                "太郎は**\"Hello\"**といった",
                "太郎は<strong>\"Hello\"</strong>といった",
            ),
            (
                "太郎は**Hello**といった",
                "太郎は<strong>Hello</strong>といった",
            ),
            (
                "太郎は**「Oh my god」**といった",
                "太郎は<strong>「Oh my god」</strong>といった",
            ),
            (
                "太郎は**\"Oh my god\"**といった",
                "太郎は<strong>\"Oh my god\"</strong>といった",
            ),
            (
                "太郎は**Oh my god**といった",
                "太郎は<strong>Oh my god</strong>といった",
            ),
            (
                "**C#**や**F#**は**「.NET」**というプラットフォーム上で動作します。",
                "<strong>C#</strong>や<strong>F#</strong>は<strong>「.NET」</strong>というプラットフォーム上で動作します。",
            ),
            (
                "IDが**001号**になります。",
                "IDが<strong>001号</strong>になります。",
            ),
            (
                "IDが**００１号**になります。",
                "IDが<strong>００１号</strong>になります。",
            ),
            (
                "Go**「初心者」**を対象とした記事です。",
                "Go<strong>「初心者」</strong>を対象とした記事です。",
            ),
            (
                "**⻲田太郎**と申します",
                "<strong>⻲田太郎</strong>と申します",
            ),
            (
                "・**㋐**:選択肢１つ目",
                "・<strong>㋐</strong>:選択肢１つ目",
            ),
            ("**真，**她", "<strong>真，</strong>她"),
            ("**真。**她", "<strong>真。</strong>她"),
            ("**真、**她", "<strong>真、</strong>她"),
            ("**真；**她", "<strong>真；</strong>她"),
            ("**真：**她", "<strong>真：</strong>她"),
            ("**真？**她", "<strong>真？</strong>她"),
            ("**真！**她", "<strong>真！</strong>她"),
            ("**真“**她", "<strong>真“</strong>她"),
            ("**真”**她", "<strong>真”</strong>她"),
            ("**真‘**她", "<strong>真‘</strong>她"),
            ("**真’**她", "<strong>真’</strong>她"),
            ("**真（**她", "<strong>真（</strong>她"),
            ("真**（她**", "真<strong>（她</strong>"),
            ("**真）**她", "<strong>真）</strong>她"),
            ("**真【**她", "<strong>真【</strong>她"),
            ("真**【她**", "真<strong>【她</strong>"),
            ("**真】**她", "<strong>真】</strong>她"),
            ("**真《**她", "<strong>真《</strong>她"),
            ("真**《她**", "真<strong>《她</strong>"),
            ("**真》**她", "<strong>真》</strong>她"),
            ("**真—**她", "<strong>真—</strong>她"),
            ("**真～**她", "<strong>真～</strong>她"),
            ("**真…**她", "<strong>真…</strong>她"),
            ("**真·**她", "<strong>真·</strong>她"),
            ("**真〃**她", "<strong>真〃</strong>她"),
            ("**真-**她", "<strong>真-</strong>她"),
            ("**真々**她", "<strong>真々</strong>她"),
            ("**真**她", "<strong>真</strong>她"),
            ("**真，** 她", "<strong>真，</strong> 她"),
            ("**真**，她", "<strong>真</strong>，她"),
            (
                "**真，**&ZeroWidthSpace;她",
                "<strong>真，</strong>\u{200B}她",
            ),
            (
                "私は**⻲田太郎**と申します",
                "私は<strong>⻲田太郎</strong>と申します",
            ),
            (
                "選択肢**㋐**: 1つ目の選択肢",
                "選択肢<strong>㋐</strong>: 1つ目の選択肢",
            ),
            (
                "**さようなら︙**と太郎はいった。",
                "<strong>さようなら︙</strong>と太郎はいった。",
            ),
            (
                ".NET**（.NET Frameworkは不可）**では、",
                ".NET<strong>（.NET Frameworkは不可）</strong>では、",
            ),
            (
                "「禰󠄀」の偏は示ではなく**礻**です。",
                "「禰󠄀」の偏は示ではなく<strong>礻</strong>です。",
            ),
            (
                "Git**（注：不是GitHub）**",
                "Git<strong>（注：不是GitHub）</strong>",
            ),
            (
                "太郎は**「こんにちわ」**といった。",
                "太郎は<strong>「こんにちわ」</strong>といった。",
            ),
            (
                "𰻞𰻞**（ビャンビャン）**麺",
                "𰻞𰻞<strong>（ビャンビャン）</strong>麺",
            ),
            (
                "𰻞𰻞**(ビャンビャン)**麺",
                "𰻞𰻞<strong>(ビャンビャン)</strong>麺",
            ),
            (
                "ハイパーテキストコーヒーポット制御プロトコル**(HTCPCP)**",
                "ハイパーテキストコーヒーポット制御プロトコル<strong>(HTCPCP)</strong>",
            ),
            ("﨑**(崎)**", "﨑<strong>(崎)</strong>"),
            (
                "国際規格**[ECMA-262](https://tc39.es/ecma262/)**",
                "国際規格<strong><a href=\"https://tc39.es/ecma262/\">ECMA-262</a></strong>",
            ),
            ("㐧**(第の俗字)**", "㐧<strong>(第の俗字)</strong>"),
            (
                "𠮟**(こちらが正式表記)**",
                "𠮟<strong>(こちらが正式表記)</strong>",
            ),
            (
                "𪜈**(トモの合略仮名)**",
                "𪜈<strong>(トモの合略仮名)</strong>",
            ),
            ("𫠉**(馬の俗字)**", "𫠉<strong>(馬の俗字)</strong>"),
            (
                "谺𬤲**(こだま)**石神社",
                "谺𬤲<strong>(こだま)</strong>石神社",
            ),
            ("石𮧟**(いしただら)**", "石𮧟<strong>(いしただら)</strong>"),
            (
                "**推荐几个框架：**React、Vue等前端框架。",
                "<strong>推荐几个框架：</strong>React、Vue等前端框架。",
            ),
            (
                "葛󠄀**(こちらが正式表記)**城市",
                "葛󠄀<strong>(こちらが正式表記)</strong>城市",
            ),
            (
                "禰󠄀**(こちらが正式表記)**豆子",
                "禰󠄀<strong>(こちらが正式表記)</strong>豆子",
            ),
            ("𱟛**(U+317DB)**", "𱟛<strong>(U+317DB)</strong>"),
            (
                "阿寒湖アイヌシアターイコㇿ**(Akanko Ainu Theater Ikor)**",
                "阿寒湖アイヌシアターイコㇿ<strong>(Akanko Ainu Theater Ikor)</strong>",
            ),
            ("あ𛀙**(か)**よろし", "あ𛀙<strong>(か)</strong>よろし"),
            (
                "𮹝**(simplified form of 龘 in China)**",
                "𮹝<strong>(simplified form of 龘 in China)</strong>",
            ),
            (
                "大塚\u{FE00}**(U+585A U+FE00)** 大塚**(U+FA10)**",
                "大塚\u{FE00}<strong>(U+585A U+FE00)</strong> 大塚<strong>(U+FA10)</strong>",
            ),
            (
                "〽\u{FE0E}**(庵点)**は、",
                "〽\u{FE0E}<strong>(庵点)</strong>は、",
            ),
            (
                "**“\u{FE01}Git”\u{FE01}**Hub",
                "<strong>“\u{FE01}Git”\u{FE01}</strong>Hub",
            ),
        ]);
    }

    /// specification: testcases/korean.md.
    #[test]
    fn spec_korean() {
        check(&[
            (
                "**이 [링크](https://example.kr/)**만을 강조하고 싶다.",
                "<strong>이 <a href=\"https://example.kr/\">링크</a></strong>만을 강조하고 싶다.",
            ),
            (
                "**스크립트(script)**라고",
                "<strong>스크립트(script)</strong>라고",
            ),
            (
                "패키지를 발행하려면 **`npm publish`**를 실행하십시오.",
                "패키지를 발행하려면 <strong><code>npm publish</code></strong>를 실행하십시오.",
            ),
            (
                "**안녕(hello)**하세요.",
                "<strong>안녕(hello)</strong>하세요.",
            ),
            ("ᅡ**(a)**", "ᅡ<strong>(a)</strong>"),
            ("**(k)**ᄏ", "<strong>(k)</strong>ᄏ"),
        ]);
    }

    /// specification: the example of the reference implementation's README.
    #[test]
    fn spec_readme() {
        check(&[
            (
                "**このアスタリスクは強調記号として認識されず、そのまま表示されます。**この文のせいで。",
                "<strong>このアスタリスクは強調記号として認識されず、そのまま表示されます。</strong>この文のせいで。",
            ),
            (
                "**该星号不会被识别，而是直接显示。**这是因为它没有被识别为强调符号。",
                "<strong>该星号不会被识别，而是直接显示。</strong>这是因为它没有被识别为强调符号。",
            ),
            (
                "**이 별표는 강조 표시로 인식되지 않고 그대로 표시됩니다(이 괄호 때문에)**이 문장 때문에.",
                "<strong>이 별표는 강조 표시로 인식되지 않고 그대로 표시됩니다(이 괄호 때문에)</strong>이 문장 때문에.",
            ),
        ]);
    }

    /// specification: testcases/pseudo-emoji.md — CJK symbols that are also emoji, shown as text.
    #[test]
    fn spec_pseudo_emoji() {
        check(&[
            ("a**〰**a", "a<strong>〰</strong>a"),
            ("a**〽**a", "a<strong>〽</strong>a"),
            ("a**🈂**a", "a<strong>🈂</strong>a"),
            ("a**🈷**a", "a<strong>🈷</strong>a"),
            ("a**㊗**a", "a<strong>㊗</strong>a"),
            ("a**㊙**a", "a<strong>㊙</strong>a"),
        ]);
    }

    /// specification: testcases/text-presentation-sequence.md — with U+FE0E, emoji-capable wide
    /// characters are CJK.
    #[test]
    fn spec_text_presentation_sequences() {
        let mut cases = Vec::new();
        for c in ["〰", "〽", "🈂", "🈷", "㊗", "㊙", "🈯", "⭕", "❌"] {
            let t = format!("{c}\u{FE0E}");
            cases.push((format!("a**{t}a**a"), format!("a<strong>{t}a</strong>a")));
            cases.push((format!("a**a{t}**a"), format!("a<strong>a{t}</strong>a")));
        }
        let cases: Vec<(&str, &str)> = cases.iter().map(|(m, h)| (&**m, &**h)).collect();
        check(&cases);
        check(&[("a**⭕\u{FE0E}a**", "a<strong>⭕\u{FE0E}a</strong>")]);
    }

    /// specification: testcases/emoji-presentation-sequence.md, emoji-default-presentation.md
    /// and non-bmp.md — emoji and non-CJK punctuation (also outside the BMP) do not help.
    #[test]
    fn spec_not_emphasis() {
        let lines = [
            "a**〰\u{FE0F}a**a",
            "a**〽\u{FE0F}a**a",
            "a**🈂\u{FE0F}a**a",
            "a**🈷\u{FE0F}a**a",
            "a**㊗\u{FE0F}a**a",
            "a**㊙\u{FE0F}a**a",
            "a**🈯a**a",
            "a**a🈯**a",
            "a**⭕a**a",
            "a**a⭕**a",
            "a**❌a**a",
            "a**a❌**a",
            "a**🈯\u{FE0F}a**a",
            "a**⭕\u{FE0F}a**a",
            "a**❌\u{FE0F}a**a",
            "a**a«**a",
            "a**»a**a",
            "a**a∇**a",
            "a**∇a**a",
            "a**a𝜵**a",
            "a**𝜵a**a",
            "a**𐬻a**a",
            "a**a𐬻**a",
        ];
        let cases: Vec<(&str, &str)> = lines.iter().map(|l| (*l, *l)).collect();
        check(&cases);
    }

    /// specification: testcases/underscore-cjk-punct.md.
    #[test]
    fn spec_underscore() {
        check(&[
            ("__注意__：注意事項", "<strong>注意</strong>：注意事項"),
            ("注意：__注意事項__", "注意：<strong>注意事項</strong>"),
            (
                "正體字。\u{FE01}_Traditional._",
                "正體字。\u{FE01}<em>Traditional.</em>",
            ),
            (
                "正體字。\u{FE01}__Hong Kong and Taiwan.__",
                "正體字。\u{FE01}<strong>Hong Kong and Taiwan.</strong>",
            ),
            (
                "简体字 / 新字体。\u{FE00}_Simplified._",
                "简体字 / 新字体。\u{FE00}<em>Simplified.</em>",
            ),
            (
                "简体字 / 新字体。\u{FE00}__Mainland China or Japan.__",
                "简体字 / 新字体。\u{FE00}<strong>Mainland China or Japan.</strong>",
            ),
            // `_` stays intraword between CJK characters, as in CommonMark.
            ("中文_强调_中文", "中文_强调_中文"),
            // The amendment changes flanking only: a `_` after a CJK letter still cannot open.
            ("这是_“重要”_的", "这是_“重要”_的"),
            ("这是，_“重要”_。", "这是，<em>“重要”</em>。"),
        ]);
    }

    /// specification: the GFM compatibility test — with footnotes and strikethrough.
    #[test]
    fn spec_with_gfm() {
        let out = html("あ**()**あ[^1]\n\n[^1]: ~~あ~~");
        assert!(
            out.starts_with("<p>あ<strong>()</strong>あ\u{2060}<sup class=\"footnote-reference\">"),
            "{out}"
        );
        assert!(out.contains("<del>あ</del>"), "{out}");
    }

    /// CommonMark's emphasis examples (spec 0.31.2, §6.2) with no CJK next to a delimiter: the
    /// output is the parser's own, and nothing is inserted. A CJK paragraph is appended so the
    /// preparation actually runs. A table of the specification's examples, hence its length.
    #[test]
    fn commonmark_examples_unchanged() {
        let examples = [
            "*foo bar*",
            "a * foo bar*",
            "a*\"foo\"*",
            "* a *",
            "*$*alpha.\n\n*£*bravo.\n\n*€*charlie.",
            "foo*bar*",
            "5*6*78",
            "_foo bar_",
            "_ foo bar_",
            "a_\"foo\"_",
            "foo_bar_",
            "5_6_78",
            "пристаням_стремятся_",
            "aa_\"bb\"_cc",
            "foo-_(bar)_",
            "_foo*",
            "*foo bar *",
            "*foo bar\n*",
            "*(*foo)",
            "*(*foo*)*",
            "*foo*bar",
            "_foo bar _",
            "_(_foo)",
            "_(_foo_)_",
            "_foo_bar",
            "_пристаням_стремятся",
            "_foo_bar_baz_",
            "_(bar)_.",
            "**foo bar**",
            "** foo bar**",
            "a**\"foo\"**",
            "foo**bar**",
            "__foo bar__",
            "__ foo bar__",
            "__\nfoo bar__",
            "a__\"foo\"__",
            "foo__bar__",
            "5__6__78",
            "пристаням__стремятся__",
            "__foo, __bar__, baz__",
            "foo-__(bar)__",
            "**foo bar **",
            "**(**foo)",
            "*(**foo**)*",
            "**Gomphocarpus (*Gomphocarpus physocarpus*, syn.\n*Asclepias physocarpa*)**",
            "**foo \"*bar*\" foo**",
            "**foo**bar",
            "__foo bar __",
            "__(__foo)",
            "_(__foo__)_",
            "__foo__bar",
            "__пристаням__стремятся",
            "__foo__bar__baz__",
            "__(bar)__.",
            "*foo [bar](/url)*",
            "*foo\nbar*",
            "_foo __bar__ baz_",
            "_foo _bar_ baz_",
            "__foo_ bar_",
            "*foo *bar**",
            "*foo **bar** baz*",
            "*foo**bar**baz*",
            "*foo**bar*",
            "***foo** bar*",
            "*foo **bar***",
            "*foo**bar***",
            "foo***bar***baz",
            "foo******bar*********baz",
            "*foo **bar *baz* bim** bop*",
            "*foo [*bar*](/url)*",
            "** is not an empty emphasis",
            "**** is not an empty strong emphasis",
            "**foo [bar](/url)**",
            "**foo\nbar**",
            "__foo _bar_ baz__",
            "__foo __bar__ baz__",
            "____foo__ bar__",
            "**foo **bar****",
            "**foo *bar* baz**",
            "**foo*bar*baz**",
            "***foo* bar**",
            "**foo *bar***",
            "**foo *bar **baz**\nbim* bop**",
            "**foo [*bar*](/url)**",
            "__ is not an empty emphasis",
            "____ is not an empty strong emphasis",
            "foo ***",
            "foo *\\**",
            "foo *_*",
            "foo *****",
            "foo **\\***",
            "foo **_**",
            "**foo*",
            "*foo**",
            "***foo**",
            "****foo*",
            "**foo***",
            "*foo****",
            "foo ___",
            "foo _\\__",
            "foo _*_",
            "foo _____",
            "foo __\\___",
            "foo __*__",
            "__foo_",
            "_foo__",
            "___foo__",
            "____foo_",
            "__foo___",
            "_foo____",
            "**foo**",
            "*_foo_*",
            "__foo__",
            "_*foo*_",
            "****foo****",
            "____foo____",
            "******foo******",
            "***foo***",
            "_____foo_____",
            "*foo _bar* baz_",
            "*foo __bar *baz bim__ bam*",
            "**foo **bar baz**",
            "*foo *bar baz*",
            "*[bar*](/url)",
            "_foo [bar_](/url)",
            "*<img src=\"foo\" title=\"*\"/>",
            "**<a href=\"**\">",
            "__<a href=\"__\">",
            "*a `*`*",
            "_a `_`_",
            "**a<http://foo.bar/?q=**>",
            "__a<http://foo.bar/?q=__>",
            "a * b * c",
            "snake_case_word",
            "This is **bold** and *em*.",
        ];
        let options = crate::markdown::options();
        for example in examples {
            let md = format!("{example}\n\n中文**粗体**中文");
            let prepared = prepare(&md, options);
            assert_eq!(prepared.text, md, "changed: {example:?}");
            let mut plain = String::new();
            pulldown_cmark::html::push_html(&mut plain, Parser::new_ext(&md, options));
            assert_eq!(html(&md), plain, "{example:?}");
        }
    }

    /// Every combination of what the amendment sees around a run and what the parser sees can be
    /// reached with sentinels; without CJK, nothing is inserted.
    #[test]
    fn every_combination_is_reachable() {
        use Class::*;
        let classes = [Space, Punct, CjkPunct, Cjk, Other];
        let plain_of = |c: Class| match c {
            Space => Space,
            Punct | CjkPunct => Punct,
            Cjk | Other => Other,
        };
        for delim in [b'*', b'_'] {
            for b in classes {
                for ivs in [false, true] {
                    for a in classes {
                        let target = flags(delim, Before { class: b, ivs }, a);
                        // A variation selector before the run is `Other` to the parser.
                        let mut plains = vec![plain_of(b)];
                        if b != Space {
                            plains.push(Other);
                        }
                        for pb in plains {
                            let fix = choose(delim, target, pb, plain_of(a));
                            assert!(fix.is_some(), "{} {b:?}/{ivs} {a:?} {pb:?}", delim as char);
                            let cjk_free = !ivs && !b.is_cjk() && !a.is_cjk() && pb == plain_of(b);
                            if cjk_free {
                                assert_eq!(
                                    fix,
                                    Some((false, false)),
                                    "{} {b:?} {a:?}",
                                    delim as char
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn punctuation_is_the_parsers() {
        let chars = Classifier;
        for c in ['¥', '∇', '“', '，', '〰', '🈯', '𐬻', '*', '_', '|'] {
            assert!(chars.is_punctuation(c), "{c:?}");
        }
        for c in ['④', 'a', '中', '\u{FE0E}', '\u{E0100}', ' ', '\u{3000}'] {
            assert!(!chars.is_punctuation(c), "{c:?}");
        }
        for c in SENTINELS {
            assert!(
                chars.is_punctuation(c) && !c.is_whitespace() && !is_cjk(c),
                "{c:?}"
            );
        }
    }

    #[test]
    fn cjk_characters() {
        for c in [
            '中', '，', '。', '（', 'あ', 'ア', '한', 'ᄀ', '０', 'ｱ', '〰', '㊗', '𠮟', '\u{3000}',
        ] {
            assert!(is_cjk(c), "{c:?}");
        }
        for c in [
            'a',
            '“',
            '”',
            '—',
            '…',
            '·',
            '🈯',
            '😀',
            '\u{FE0E}',
            '\u{E0100}',
            '④',
        ] {
            assert!(!is_cjk(c), "{c:?}");
        }
        for table in [CJK, TEXT_CAPABLE_EMOJI] {
            assert!(
                table
                    .windows(2)
                    .all(|w| w[0].1 < w[1].0 && w[0].0 <= w[0].1)
            );
        }
    }

    #[test]
    fn only_inline_text_is_prepared() {
        let options = crate::markdown::options();
        for md in [
            "这是`**“重要”**`的",
            "```\n这是**“重要”**的\n```\n",
            "    这是**“重要”**的\n",
            "<div>\n这是**“重要”**的\n</div>\n",
            "这是<span title=\"**“x”**的\">字</span>",
            "[[openai/revenue_2023]]的**",
            "看<https://example.com/a_（b）_c>的**",
            "[链接](https://例子.com/**“x”**的)",
            "这是&#42;“重要”&#42;的",
        ] {
            let prepared = prepare(md, options);
            assert!(prepared.inserted.is_empty(), "{md:?}: {:?}", prepared.text);
        }
        assert_eq!(
            html("这是`**“重要”**`的"),
            "<p>这是<code>**“重要”**</code>的</p>\n"
        );
        assert_eq!(
            html("```\n这是**“重要”**的\n```\n"),
            "<pre><code>这是**“重要”**的\n</code></pre>\n"
        );
        // An escaped `*` is not part of the run after it: `*` + `**` cannot pair (rule of 3).
        assert_eq!(html("这是\\**“重要”**的"), "<p>这是**“重要”**的</p>\n");
        assert_eq!(
            html("这是\\***“重要”**的"),
            "<p>这是*<strong>“重要”</strong>的</p>\n"
        );
    }

    /// Random documents from Markdown syntax, CJK, punctuation and variation selectors: the
    /// preparation only ever inserts sentinels, at offsets that map back, and none survives.
    #[test]
    fn random_documents() {
        let pieces = [
            "*",
            "**",
            "_",
            "__",
            "***",
            "中",
            "文",
            "，",
            "。",
            "（",
            "）",
            "“",
            "”",
            "a",
            "b",
            " ",
            "\n",
            "\n\n",
            "`",
            "[",
            "]",
            "(",
            ")",
            "[[a/b_c]]",
            "|",
            "\\",
            "&#42;",
            "<b>",
            "\u{FE0E}",
            "\u{FE01}",
            "\u{E0100}",
            "〰",
            "🈯",
            "\u{FE0F}",
            "-",
            "> ",
            "# ",
            "1. ",
            "```\n",
            "](u_v)",
            "%",
            "한",
            "ｱ",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let options = crate::markdown::options();
        for _ in 0..3000 {
            let len = 1 + next() % 24;
            let md: String = (0..len)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            let prepared = prepare(&md, options);
            if let Some(s) = prepared.sentinel {
                assert_eq!(prepared.text.replace(s, ""), md);
                for (k, &at) in prepared.inserted.iter().enumerate() {
                    let here = at + k * s.len_utf8();
                    assert!(prepared.text[here..].starts_with(s));
                    assert_eq!(original_offset(&prepared, here + s.len_utf8()), at);
                }
            } else {
                assert_eq!(prepared.text, md);
            }
            assert_eq!(parsed_once(&md), parsed_twice(&md), "{md:?}");
            html(&md);
        }
    }

    /// The offset in the original text of `offset` in `prepared`'s text.
    fn original_offset(prepared: &Prepared<'_>, offset: usize) -> usize {
        let width = prepared.sentinel.map_or(0, char::len_utf8);
        let mut shift = 0;
        for &at in &prepared.inserted {
            if at + shift < offset {
                shift += width;
            } else {
                break;
            }
        }
        offset - shift
    }

    /// The HTML of `md` through [`parse_prepared`] (usually one parse).
    fn parsed_once(md: &str) -> String {
        parse_prepared(md, crate::markdown::options(), |prepared, events| {
            let mut out = String::new();
            let events = events.into_iter().filter_map(|(e, _)| prepared.clean(e));
            pulldown_cmark::html::push_html(&mut out, events);
            out
        })
    }

    /// The HTML of `md` through [`prepare`], which always parses twice.
    fn parsed_twice(md: &str) -> String {
        let options = crate::markdown::options();
        let prepared = prepare(md, options);
        let mut out = String::new();
        let events = Parser::new_ext(&prepared.text, options).filter_map(|e| prepared.clean(e));
        pulldown_cmark::html::push_html(&mut out, events);
        out
    }

    #[test]
    fn one_parse_is_confirmed_or_falls_back_to_two() {
        for md in [
            "这是**“重要”**的，**（注）**完",
            "| 公司 | **（B轮）** |\n|---|---|\n| a | b |\n",
            "`**“码”**`与[链接](http://x.org/**（注）**)的**“重要”**",
            "<b>**“重要”**</b>和[[a/b_c]]**（注）**",
            "\\**“转义”**与a_b_c",
        ] {
            assert_eq!(parsed_once(md), parsed_twice(md), "{md:?}");
        }
    }

    #[test]
    fn offsets_map_back_to_the_original() {
        let md = "这是**“重要”**[[a/b]]的，**（注）**[[c/d_e]]完";
        let prepared = prepare(md, crate::markdown::options());
        assert!(!prepared.inserted.is_empty());
        let found: Vec<usize> = Parser::new_ext(&prepared.text, crate::markdown::options())
            .into_offset_iter()
            .filter(|(e, _)| matches!(e, Event::Start(Tag::Link { .. })))
            .map(|(_, r)| original_offset(&prepared, r.start))
            .collect();
        let expected: Vec<usize> = crate::markdown::fact_refs(md)
            .iter()
            .map(|r| r.offset)
            .collect();
        assert_eq!(found, expected);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|&o| md[o..].starts_with("[[")));
    }
}
