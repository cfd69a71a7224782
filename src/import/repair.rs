//! Page-break repair: text copied from PDFs splits a word (`Sa-` … `lim`) or a sentence
//! (`Sessiyada` … `BMT-nin`) where a page ended. Hyphens inside a line are never touched.

/// How two pieces of text were put back together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinKind {
    /// `Sa-` + `lim` -> `Salim`: a word hyphenated at the break.
    Word,
    /// `NGO-` + `UNESCO` -> `NGO-UNESCO`: a hyphenated compound cut at its hyphen.
    Compound,
    /// `Sessiyada` + `BMT-nin` -> one paragraph: a sentence cut at the break.
    Sentence,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Join {
    pub kind: JoinKind,
    /// Last word before the break, as it was (`Sa-`).
    pub before: String,
    /// First word after the break (`lim`).
    pub after: String,
}

impl Join {
    /// `Sa-` + `lim` -> `Salim`, for reports.
    pub fn describe(&self) -> String {
        let joined = match self.kind {
            JoinKind::Word => format!("{}{}", self.before.trim_end_matches('-'), self.after),
            JoinKind::Compound => format!("{}{}", self.before, self.after),
            JoinKind::Sentence => format!("{} {}", self.before, self.after),
        };
        let what = match self.kind {
            JoinKind::Word => "word",
            JoinKind::Compound => "hyphenated word",
            JoinKind::Sentence => "sentence",
        };
        format!("{what} \"{}\" + \"{}\" -> \"{joined}\"", self.before, self.after)
    }
}

/// Words a line must have before a missing full stop at its end means "cut", not "heading".
const CUT_MIN_WORDS: usize = 8;

fn is_list_item(line: &str) -> bool {
    crate::import::structure::list_marker(line).is_some()
}

fn last_word(line: &str) -> &str {
    line.split_whitespace().last().unwrap_or("")
}

fn first_word(line: &str) -> &str {
    line.split_whitespace().next().unwrap_or("")
}

/// A long line that ends without punctuation is a cut sentence only in a text whose paragraphs
/// otherwise end with punctuation; web copy that never ends paragraphs with a full stop is left alone.
fn writer_ends_paragraphs(lines: &[String]) -> bool {
    let long: Vec<&str> = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| l.split_whitespace().count() >= CUT_MIN_WORDS && !is_list_item(l) && !l.ends_with('-'))
        .collect();
    let ended = long.iter().filter(|l| l.chars().last().is_some_and(|c| !open_end(c))).count();
    !long.is_empty() && ended * 4 >= long.len() * 3
}

fn open_end(c: char) -> bool {
    c.is_alphanumeric() || c == ',' || c == '،' || unicode_normalization::char::is_combining_mark(c)
}

fn is_arabic_letter(c: char) -> bool {
    c.is_alphabetic() && matches!(c, '\u{600}'..='\u{6ff}' | '\u{750}'..='\u{77f}' | '\u{8a0}'..='\u{8ff}')
}

fn join_kind(prev: &str, next: &str, sentences: bool) -> Option<JoinKind> {
    let prev = prev.trim_end();
    let next = next.trim_start();
    if is_list_item(next) {
        return None;
    }
    let next_first = next.chars().next()?;
    let mut tail = prev.chars().rev();
    let last = tail.next()?;
    if last == '-' {
        let before = tail.next()?;
        if !before.is_alphanumeric() {
            return None;
        }
        if before.is_lowercase() && next_first.is_lowercase() {
            return Some(JoinKind::Word);
        }
        // Arabic is never hyphenated: a hyphen at a break inside an Arabic word is the break.
        if is_arabic_letter(before) && is_arabic_letter(next_first) {
            return Some(JoinKind::Word);
        }
        if next_first.is_alphanumeric() {
            return Some(JoinKind::Compound);
        }
        return None;
    }
    if sentences
        && open_end(last)
        && !is_list_item(prev)
        && !crate::import::structure::is_title_like(next, 10)
        && prev.split_whitespace().count() >= CUT_MIN_WORDS
        && (next_first.is_alphanumeric() || next_first == '"' || next_first == '«')
    {
        return Some(JoinKind::Sentence);
    }
    None
}

/// Rejoins words and sentences cut by page breaks. Blank lines between the two halves go.
pub fn repair(lines: &[String]) -> (Vec<String>, Vec<Join>) {
    let mut out: Vec<String> = Vec::new();
    let mut joins = Vec::new();
    let sentences = writer_ends_paragraphs(lines);
    for line in lines {
        if line.trim().is_empty() {
            out.push(String::new());
            continue;
        }
        let prev_index = out.iter().rposition(|l| !l.trim().is_empty());
        if let Some(p) = prev_index
            && let Some(kind) = join_kind(&out[p], line, sentences)
        {
            let before = last_word(&out[p]).to_string();
            let after = first_word(line).to_string();
            let prev = out[p].trim_end().to_string();
            let merged = match kind {
                JoinKind::Word => format!("{}{}", prev.trim_end_matches('-'), line.trim_start()),
                JoinKind::Compound => format!("{prev}{}", line.trim_start()),
                JoinKind::Sentence => format!("{prev} {}", line.trim_start()),
            };
            out.truncate(p);
            out.push(merged);
            joins.push(Join { kind, before, after });
            continue;
        }
        out.push(line.clone());
    }
    (out, joins)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Vec<String>, Vec<Join>) {
        let lines: Vec<String> = text.lines().map(String::from).collect();
        let (out, joins) = repair(&lines);
        (out.into_iter().filter(|l| !l.is_empty()).collect(), joins)
    }

    #[test]
    fn word_hyphenated_across_a_page_break_is_joined() {
        let (out, joins) = run("ICESCO-nun Baş direktoru Sa-\n\n\n\nlim bin Məhəmməd çıxış ediblər.");
        assert_eq!(out, ["ICESCO-nun Baş direktoru Salim bin Məhəmməd çıxış ediblər."]);
        assert_eq!(joins[0].describe(), "word \"Sa-\" + \"lim\" -> \"Salim\"");
    }

    #[test]
    fn sentence_cut_by_a_page_break_becomes_one_paragraph() {
        let (out, joins) = run("İlk sessiya \"Ekoloji çağırışlara cavab\" mövzusunda həsr olunub və nazirlər çıxış ediblər.\n\n\
             İkinci sessiya isə \"Yaşıl idarəetmədə qlobal əməkdaşlığın rolu\" mövzusunda həsr edilib. Sessiyada\n\n\
             BMT-nin və Serbiyanın müvafiq qurumlarının rəhbərləri çıxış ediblər.\n\n\
             Forum zamanı Uqandanın və Efiopiyanın nazirliklərinin rəhbərləri təqdimatlar ediblər.");
        assert_eq!(out.len(), 3);
        assert!(out[1].contains("Sessiyada BMT-nin"));
        assert_eq!(joins[0].kind, JoinKind::Sentence);
    }

    #[test]
    fn an_arabic_word_cut_at_a_page_break_joins_without_its_hyphen() {
        let (out, joins) = run("إضافة إلى تكوين 3500 تقني في المهن اللوجست-\n\nيكية على مدى خمس سنوات.");
        assert_eq!(out, ["إضافة إلى تكوين 3500 تقني في المهن اللوجستيكية على مدى خمس سنوات."]);
        assert_eq!(joins[0].kind, JoinKind::Word);
    }

    #[test]
    fn paragraphs_of_a_text_that_never_uses_full_stops_are_not_joined() {
        let (out, joins) =
            run("one two three four five six seven eight nine\n\nten eleven twelve thirteen fourteen fifteen sixteen seventeen");
        assert_eq!(out.len(), 2);
        assert!(joins.is_empty());
    }

    #[test]
    fn headings_finished_sentences_and_inner_hyphens_stay() {
        let (out, joins) =
            run("Historic Win for WASME\n\nIn the NGO-UNESCO framework, cross-border trade grew.\n\nNext paragraph.");
        assert_eq!(out.len(), 3);
        assert!(joins.is_empty());
    }
}
