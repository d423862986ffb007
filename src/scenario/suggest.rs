//! "Did you mean" for unknown scenario fields: the accepted key nearest to a
//! misspelt one (edit distance), appended to serde's "unknown field" message.

/// `message` with `; did you mean `x`?` appended when it reports an unknown
/// field and one accepted key is close to it.
pub(crate) fn with_suggestion(message: String) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message;
    };
    let Some((given, rest)) = rest.split_once('`') else {
        return message;
    };
    let Some(list) = rest
        .strip_prefix(", expected one of ")
        .or_else(|| rest.strip_prefix(", expected "))
    else {
        return message;
    };
    let best = list
        .split(", ")
        .map(|k| k.trim_matches('`'))
        .map(|k| (distance(given, k), k))
        .min_by_key(|(d, _)| *d);
    match best {
        Some((d, k)) if d > 0 && d <= (given.chars().count() / 3).max(2) => {
            format!("{message}; did you mean `{k}`?")
        }
        _ => message,
    }
}

/// Levenshtein distance in characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_key() {
        let m = "unknown field `request_timout`, expected one of `keys`, `request_timeout`";
        assert!(with_suggestion(m.into()).ends_with("; did you mean `request_timeout`?"));
        let m = "unknown field `zzzzzz`, expected one of `keys`, `request_timeout`";
        assert_eq!(with_suggestion(m.into()), m);
        assert_eq!(with_suggestion("other".into()), "other");
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
