//! Structure: the title line, and the body's lines as Markdown blocks — paragraphs, `##`
//! subheadings (short standalone lines between paragraphs), bullet and numbered lists.

/// One block of the page body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    Heading(String),
    Bullet(String),
    Numbered(String, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Bullet,
    Numbered,
}

const BULLETS: &[char] = &['*', '•', '⦁', '●', '▪', '◦', '‣', '-', '–', '·'];

/// The list marker of a line (`* `, `• `, `⦁ - `, `1. `, `٢) `) and the item text after it.
pub fn list_marker(line: &str) -> Option<(ListKind, String, &str)> {
    let line = line.trim_start();
    let first = line.chars().next()?;
    if BULLETS.contains(&first) {
        let rest = &line[first.len_utf8()..];
        if !rest.starts_with(char::is_whitespace) {
            return None;
        }
        // `⦁ - text`: a bullet followed by a dash is still one bullet.
        let rest = rest.trim_start();
        let rest = match rest.strip_prefix(['-', '–']) {
            Some(r) if r.starts_with(char::is_whitespace) => r.trim_start(),
            _ => rest,
        };
        return (!rest.is_empty()).then(|| (ListKind::Bullet, String::new(), rest));
    }
    let digits: String = line.chars().take_while(|c| c.is_numeric()).collect();
    if digits.is_empty() || digits.chars().count() > 3 {
        return None;
    }
    let rest = &line[digits.len()..];
    let rest = rest.strip_prefix(['.', ')'])?;
    if !rest.starts_with(char::is_whitespace) || rest.trim().is_empty() {
        return None;
    }
    Some((ListKind::Numbered, crate::import::text::ascii_digits(&digits), rest.trim_start()))
}

/// Ends like a sentence or a clause, so cannot be a title or heading.
fn ends_with_punctuation(line: &str) -> bool {
    line.trim_end().chars().last().is_some_and(|c| ".!?:;,؟؛،।…".contains(c))
}

/// A short line without final punctuation: a title when first, a heading between paragraphs.
pub fn is_title_like(line: &str, max_words: usize) -> bool {
    let line = line.trim();
    !line.is_empty()
        && !line.starts_with("![")
        && list_marker(line).is_none()
        && !ends_with_punctuation(line)
        && line.split_whitespace().count() <= max_words
        && line.chars().count() <= max_words * 9
}

pub const TITLE_MAX_WORDS: usize = 20;
/// A clause of the lead longer than this is cut (with `…`) to make a provisional title.
const PROVISIONAL_MAX_WORDS: usize = 22;
const HEADING_MAX_WORDS: usize = 10;

/// A title derived from a lead paragraph: its first sentence, cut at the first clause boundary
/// after a few words, never reworded. The dateline (`New Delhi, January 27:`) is skipped.
pub fn provisional_title(lead: &str, dateline: Option<&str>) -> String {
    let mut text = lead.trim();
    if let Some(d) = dateline
        && let Some(rest) = text.strip_prefix(d)
    {
        text = rest.trim_start_matches([':', '：', ' ', '-', '–', '—', '.', '।', '/']).trim();
    }
    // A full stop ends the sentence only before a space or the end: `60.000` is a number.
    let sentence_end = text
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '!' | '?' | '؟' | '।') || (c == '.' && text[i + 1..].chars().next().is_none_or(char::is_whitespace))
        })
        .map_or(text.len(), |(i, _)| i);
    let sentence = &text[..sentence_end];
    let mut title = String::new();
    for (i, clause) in sentence.split([',', '،', ';', '؛']).enumerate() {
        if i > 0 {
            title.push(',');
        }
        title.push_str(clause);
        if title.split_whitespace().count() >= 4 {
            break;
        }
    }
    let words: Vec<&str> = title.split_whitespace().collect();
    if words.len() > PROVISIONAL_MAX_WORDS {
        format!("{}…", words[..PROVISIONAL_MAX_WORDS - 2].join(" "))
    } else {
        words.join(" ")
    }
}

/// Turns the body lines (blank lines already meaningless) into blocks; `headings` are lines the
/// input format marks as headings (Word styles, `<h2>`), whatever their shape.
pub fn blocks(lines: &[String], headings: &[String]) -> Vec<Block> {
    let lines: Vec<&str> = lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
    let mut blocks = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let block = match list_marker(line) {
            Some((ListKind::Bullet, _, text)) => Block::Bullet(text.to_string()),
            Some((ListKind::Numbered, n, text)) => Block::Numbered(n, text.to_string()),
            None if headings.iter().any(|h| h == line) => Block::Heading(line.to_string()),
            None if i > 0 && i + 1 < lines.len() && is_title_like(line, HEADING_MAX_WORDS) => Block::Heading(line.to_string()),
            None => Block::Paragraph(line.to_string()),
        };
        blocks.push(block);
    }
    blocks
}

/// Markdown for the blocks: blank lines between blocks, list items of one list together.
pub fn to_markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut prev: Option<&Block> = None;
    for block in blocks {
        let same_list = matches!(
            (prev, block),
            (Some(Block::Bullet(_)), Block::Bullet(_)) | (Some(Block::Numbered(..)), Block::Numbered(..))
        );
        if prev.is_some() {
            out.push_str(if same_list { "\n" } else { "\n\n" });
        }
        match block {
            Block::Paragraph(t) => out.push_str(&escape_paragraph(t)),
            Block::Heading(t) => {
                out.push_str("## ");
                out.push_str(t);
            }
            Block::Bullet(t) => {
                out.push_str("- ");
                out.push_str(t);
            }
            Block::Numbered(n, t) => {
                out.push_str(n);
                out.push_str(". ");
                out.push_str(t);
            }
        }
        prev = Some(block);
    }
    out.push('\n');
    out
}

/// A paragraph that starts like Markdown syntax (`# `, `> `, `+ `) must stay a paragraph.
fn escape_paragraph(text: &str) -> String {
    match text.chars().next() {
        Some(c @ ('#' | '>' | '+' | '=')) => format!("\\{c}{}", &text[c.len_utf8()..]),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(String::from).collect()
    }

    #[test]
    fn bullets_numbers_and_subheadings() {
        let b = blocks(
            &lines("Intro text here.\nHistoric Win for WASME\nBody text.\n* one\n⦁ - two\n1. first\n2. second\nEnd."),
            &[],
        );
        assert_eq!(
            to_markdown(&b),
            "Intro text here.\n\n## Historic Win for WASME\n\nBody text.\n\n- one\n- two\n\n1. first\n2. second\n\nEnd.\n"
        );
    }

    #[test]
    fn provisional_title_is_the_first_clause_of_the_lead() {
        let lead = "New Delhi [India], January 27: The 2024 International Conference of NGOs (ICNGO), held at UNESCO Headquarters in Paris, served.";
        assert_eq!(
            provisional_title(lead, Some("New Delhi [India], January 27")),
            "The 2024 International Conference of NGOs (ICNGO)"
        );
    }
}
