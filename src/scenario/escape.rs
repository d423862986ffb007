//! Escaping of user-provided text (names, region references, paths) before it
//! reaches a terminal or a CI log: control characters become `\n`, `\u{1b}`.

/// `s` with every control character (and every bidirectional-override mark)
/// written as an escape: `\n`, `\r`, `\t`, else `\u{1b}`. Other text is kept.
pub fn escape_controls(s: &str) -> String {
    if !s.chars().any(needs_escape) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Control characters (C0, DEL, C1) and the marks that reorder displayed text.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::escape_controls;

    #[test]
    fn escapes_controls_only() {
        assert_eq!(escape_controls("us-east-1"), "us-east-1");
        assert_eq!(escape_controls("a\nb"), "a\\nb");
        assert_eq!(escape_controls("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(escape_controls("x\u{202e}y\u{7f}"), "x\\u{202e}y\\u{7f}");
        assert_eq!(escape_controls("é ü 東京"), "é ü 東京");
    }
}
