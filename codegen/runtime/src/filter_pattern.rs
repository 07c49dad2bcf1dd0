//! Validity of Lambda event-filter patterns (EventBridge pattern syntax), as AWS checks it
//! before answering `Invalid filter pattern definition.`

use serde_json::{Map, Value};

/// True when `text` is a valid pattern: a JSON object whose leaves are non-empty arrays of
/// matchers, with `$or` and the EventBridge comparison operators.
pub fn is_valid(text: &str) -> bool {
    // Most patterns pass the streaming check, which builds no tree; it is stricter than the
    // tree (it checks every duplicate key, not the last, and leaves rare forms to the tree), so
    // its refusals are rechecked.
    streaming::is_valid(text) || tree_valid(text)
}

/// The rules on the parsed tree (duplicate keys: the last counts, as JSON parsers keep it).
fn tree_valid(text: &str) -> bool {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(fields)) => valid_object(&fields, 0),
        _ => false,
    }
}

const MAX_DEPTH: usize = 64;

fn valid_object(fields: &Map<String, Value>, depth: usize) -> bool {
    if fields.is_empty() || depth > MAX_DEPTH {
        return false;
    }
    fields
        .iter()
        .all(|(key, value)| match (key.as_str(), value) {
            ("$or", Value::Array(alternatives)) => {
                alternatives.len() >= 2
                    && alternatives
                        .iter()
                        .all(|alt| matches!(alt, Value::Object(o) if valid_object(o, depth + 1)))
            }
            (_, Value::Object(nested)) => valid_object(nested, depth + 1),
            (_, Value::Array(matchers)) => {
                !matchers.is_empty() && matchers.iter().all(valid_matcher)
            }
            _ => false,
        })
}

fn valid_matcher(matcher: &Value) -> bool {
    match matcher {
        Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null => true,
        Value::Object(op) if op.len() == 1 => {
            let (name, arg) = op.iter().next().expect("one entry");
            match name.as_str() {
                "prefix" | "suffix" => arg.is_string() || is_ignore_case(arg),
                "equals-ignore-case" | "wildcard" => arg.is_string(),
                "cidr" => arg.as_str().is_some_and(is_cidr),
                "exists" => arg.is_boolean(),
                "anything-but" => valid_anything_but(arg),
                "numeric" => valid_numeric(arg),
                _ => false,
            }
        }
        _ => false,
    }
}

/// `10.0.0.0/24`, `2001:db8::/32` or a bare address.
fn is_cidr(text: &str) -> bool {
    let (address, prefix) = match text.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix)),
        None => (text, None),
    };
    let Ok(address) = address.parse::<std::net::IpAddr>() else {
        return false;
    };
    let max = if address.is_ipv4() { 32 } else { 128 };
    prefix.is_none_or(|p| p.parse::<u8>().is_ok_and(|p| p <= max))
}

fn is_ignore_case(arg: &Value) -> bool {
    matches!(arg, Value::Object(o) if o.len() == 1 && o.get("equals-ignore-case").is_some_and(Value::is_string))
}

fn valid_anything_but(arg: &Value) -> bool {
    match arg {
        Value::String(_) | Value::Number(_) => true,
        Value::Array(items) => {
            !items.is_empty()
                && (items.iter().all(Value::is_string) || items.iter().all(Value::is_number))
        }
        Value::Object(o) if o.len() == 1 => {
            let (name, inner) = o.iter().next().expect("one entry");
            matches!(
                name.as_str(),
                "prefix" | "suffix" | "equals-ignore-case" | "wildcard"
            ) && (inner.is_string()
                || (inner
                    .as_array()
                    .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_string))))
        }
        _ => false,
    }
}

fn valid_numeric(arg: &Value) -> bool {
    let Value::Array(parts) = arg else {
        return false;
    };
    if parts.len() != 2 && parts.len() != 4 {
        return false;
    }
    parts.chunks(2).all(|pair| {
        matches!(pair[0].as_str(), Some("=" | "<" | "<=" | ">" | ">=")) && pair[1].is_number()
    })
}

/// A check of the same rules read straight off the bytes, building no tree. It accepts only what
/// the tree check accepts; whatever it cannot decide cheaply it refuses, and the tree decides:
/// keys with escapes, `\u` surrogates, exponents, over-long numbers, `$or` holding an object.
mod streaming {
    use std::sync::LazyLock;

    use serde_json::Value;

    use super::{valid_matcher, MAX_DEPTH};
    use crate::byte_set::ByteSet;

    /// Bytes that stand for themselves inside a JSON string. Bytes of 0x80 and up belong to
    /// UTF-8 sequences, already valid because the text is a `&str`.
    static PLAIN_STRING_BYTES: LazyLock<ByteSet> =
        LazyLock::new(|| ByteSet::from_fn(|byte| byte >= 0x20 && byte != b'"' && byte != b'\\'));

    /// The most containers serde_json has open at once: it refuses to open a 128th.
    const SERDE_NESTING: usize = 127;

    /// The most containers open at once here, leaving room below a matcher array for a valid
    /// matcher object (at most 3 more).
    pub(super) const MAX_NESTING: usize = 120;

    /// Longest number read here: up to 300 digits and no exponent stays within f64, so serde_json
    /// never calls it out of range.
    const MAX_NUMBER_LEN: usize = 300;

    /// `None` is a refusal: the tree check decides.
    type Checked = Option<()>;

    pub fn is_valid(text: &str) -> bool {
        Reader { text, at: 0 }.pattern().is_some()
    }

    struct Reader<'t> {
        text: &'t str,
        at: usize,
    }

    impl Reader<'_> {
        fn pattern(&mut self) -> Checked {
            self.skip_whitespace();
            self.object(0, 1)?;
            self.skip_whitespace();
            (self.at == self.text.len()).then_some(())
        }

        /// A non-empty object of fields at `depth` (counted as `valid_object` counts it), with
        /// `nesting` containers open counting this one.
        ///
        /// Duplicate keys need no care: every field is checked, so whichever value the tree
        /// keeps for a key (the last) was checked too, and a key without escapes is equal to
        /// another exactly when its bytes are.
        fn object(&mut self, depth: usize, nesting: usize) -> Checked {
            if depth > MAX_DEPTH || nesting > MAX_NESTING {
                return None;
            }
            self.expect(b'{')?;
            loop {
                self.skip_whitespace();
                let is_or = self.key()? == b"$or";
                self.skip_whitespace();
                self.expect(b':')?;
                self.skip_whitespace();
                match (is_or, self.peek()?) {
                    (true, b'[') => self.alternatives(depth, nesting + 1)?,
                    // The tree reads `"$or": {…}` as a nested object; leave that to it.
                    (true, _) => return None,
                    (false, b'{') => self.object(depth + 1, nesting + 1)?,
                    (false, b'[') => self.matchers(nesting + 1)?,
                    (false, _) => return None,
                }
                self.skip_whitespace();
                if !self.list_continues(b'}')? {
                    return Some(());
                }
            }
        }

        /// The array of a `$or`: at least two objects one level deeper.
        fn alternatives(&mut self, depth: usize, nesting: usize) -> Checked {
            if nesting > MAX_NESTING {
                return None;
            }
            self.expect(b'[')?;
            let mut count = 0usize;
            loop {
                self.skip_whitespace();
                self.object(depth + 1, nesting + 1)?;
                count += 1;
                self.skip_whitespace();
                if !self.list_continues(b']')? {
                    return (count >= 2).then_some(());
                }
            }
        }

        /// A non-empty array of matchers.
        fn matchers(&mut self, nesting: usize) -> Checked {
            if nesting > MAX_NESTING {
                return None;
            }
            self.expect(b'[')?;
            loop {
                self.skip_whitespace();
                self.matcher(nesting)?;
                self.skip_whitespace();
                if !self.list_continues(b']')? {
                    return Some(());
                }
            }
        }

        /// A matcher inside an array that makes `nesting` containers open.
        fn matcher(&mut self, nesting: usize) -> Checked {
            match self.peek()? {
                b'"' => self.string(),
                b'-' | b'0'..=b'9' => self.number(),
                b't' => self.literal(b"true"),
                b'f' => self.literal(b"false"),
                b'n' => self.literal(b"null"),
                b'{' => self.operator(nesting),
                _ => None,
            }
        }

        /// An operator object (`{"prefix": "x"}`): rare, so serde_json reads just this value and
        /// the tree's own [`valid_matcher`] judges it. Read on its own, it gets serde_json's
        /// whole nesting limit, which the whole text shares: so its brackets (a bound on how
        /// deep it goes, duplicate keys included) must fit in what `nesting` leaves.
        fn operator(&mut self, nesting: usize) -> Checked {
            let mut values =
                serde_json::Deserializer::from_str(&self.text[self.at..]).into_iter::<Value>();
            let matcher = values.next()?.ok()?;
            let span = &self.text.as_bytes()[self.at..self.at + values.byte_offset()];
            let opened = span.iter().filter(|b| matches!(b, b'{' | b'[')).count();
            if nesting + opened > SERDE_NESTING {
                return None;
            }
            self.at += span.len();
            valid_matcher(&matcher).then_some(())
        }

        /// A key's text, refused when it has escapes: unescaped it might be `$or`, or equal to
        /// another key spelled differently.
        fn key(&mut self) -> Option<&[u8]> {
            let start = self.at + 1;
            self.expect(b'"')?;
            self.at = PLAIN_STRING_BYTES.run_end(self.text.as_bytes(), self.at);
            self.expect(b'"')?;
            Some(&self.text.as_bytes()[start..self.at - 1])
        }

        /// A string with valid escapes, the quotes included.
        fn string(&mut self) -> Checked {
            let bytes = self.text.as_bytes();
            self.expect(b'"')?;
            loop {
                self.at = PLAIN_STRING_BYTES.run_end(bytes, self.at);
                match bytes.get(self.at)? {
                    b'"' => {
                        self.at += 1;
                        return Some(());
                    }
                    b'\\' => self.escape()?,
                    _ => return None, // a raw control byte
                }
            }
        }

        /// One escape after its backslash. Surrogates (`\uD800`–`\uDFFF`) are refused: serde_json
        /// accepts them only in pairs.
        fn escape(&mut self) -> Checked {
            let bytes = self.text.as_bytes();
            match bytes.get(self.at + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {
                    self.at += 2;
                    Some(())
                }
                b'u' => {
                    let mut unit = 0;
                    for &digit in bytes.get(self.at + 2..self.at + 6)? {
                        unit = unit * 16 + char::from(digit).to_digit(16)?;
                    }
                    if (0xD800..=0xDFFF).contains(&unit) {
                        return None;
                    }
                    self.at += 6;
                    Some(())
                }
                _ => None,
            }
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?`; an exponent is refused (it may leave f64's range).
        fn number(&mut self) -> Checked {
            let start = self.at;
            if self.peek() == Some(b'-') {
                self.at += 1;
            }
            match self.peek()? {
                b'0' => self.at += 1,
                b'1'..=b'9' => self.skip_digits(),
                _ => return None,
            }
            if self.peek() == Some(b'.') {
                self.at += 1;
                let fraction = self.at;
                self.skip_digits();
                if self.at == fraction {
                    return None;
                }
            }
            let exponent = matches!(self.peek(), Some(b'e' | b'E'));
            (!exponent && self.at - start <= MAX_NUMBER_LEN).then_some(())
        }

        fn skip_digits(&mut self) {
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.at += 1;
            }
        }

        fn literal(&mut self, word: &[u8]) -> Checked {
            let end = self.at + word.len();
            (self.text.as_bytes().get(self.at..end)? == word).then(|| self.at = end)
        }

        /// After an item: `,` (true: another follows) or the list's `close` (false).
        fn list_continues(&mut self, close: u8) -> Option<bool> {
            let byte = self.peek()?;
            self.at += 1;
            match byte {
                b',' => Some(true),
                _ if byte == close => Some(false),
                _ => None,
            }
        }

        fn skip_whitespace(&mut self) {
            while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                self.at += 1;
            }
        }

        fn expect(&mut self, byte: u8) -> Checked {
            (self.peek()? == byte).then(|| self.at += 1)
        }

        fn peek(&self) -> Option<u8> {
            self.text.as_bytes().get(self.at).copied()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_valid, streaming, tree_valid, MAX_DEPTH};

    #[test]
    fn streaming_accepts_only_what_the_tree_accepts() {
        let deep = format!("{}[1]{}", "{\"a\": ".repeat(70), "}".repeat(70));
        for p in [
            r#"{"a": ["x"], "a": "y"}"#,
            r#"{"a": "y", "a": ["x"]}"#,
            r#"{"a": [{"prefix": "x", "prefix": "y"}]}"#,
            r#"{"$or": {"a": ["1"]}}"#,
            r#"{"$or": [{"a": ["1"]}, {"$or": [{"b": [2]}, {"c": [null]}]}]}"#,
            r#"{"a": [1e400]}"#,
            r#"{"a": [1]} x"#,
            r#"{"a\u0062": [{"numeric": ["<", 1e3]}]}"#,
            r#"{"a": [[1]]}"#,
            &deep,
        ] {
            assert!(!streaming::is_valid(p) || tree_valid(p), "{p}");
        }
        assert!(streaming::is_valid(
            r#"{"$or": [{"a": ["1"]}, {"b": {"c": [1, true]}}]}"#
        ));
        assert!(!streaming::is_valid(r#"{"a": "y", "a": ["x"]}"#));
        assert!(is_valid(r#"{"a": "y", "a": ["x"]}"#));
    }

    #[test]
    fn accepts_each_operator() {
        for p in [
            r#"{"body": {"my-key": ["my-value"]}}"#,
            r#"{"a": [{"prefix": "x"}]}"#,
            r#"{"a": [{"prefix": {"equals-ignore-case": "x"}}]}"#,
            r#"{"a": [{"suffix": ".png"}]}"#,
            r#"{"a": [{"anything-but": ["x", "y"]}]}"#,
            r#"{"a": [{"anything-but": {"prefix": "x"}}]}"#,
            r#"{"a": [{"numeric": [">", 0, "<=", 5]}]}"#,
            r#"{"a": [{"exists": true}]}"#,
            r#"{"a": [{"equals-ignore-case": "X"}]}"#,
            r#"{"a": [{"wildcard": "x*"}]}"#,
            r#"{"a": [{"cidr": "10.0.0.0/24"}]}"#,
            r#"{"a": [null, 1, true, "s"]}"#,
            r#"{"$or": [{"a": ["1"]}, {"b": ["2"]}]}"#,
        ] {
            assert!(is_valid(p), "{p}");
            assert!(streaming::is_valid(p), "{p}");
        }
    }

    #[test]
    fn rejects_malformed_patterns() {
        for p in [
            "null",
            "simple string",
            "[]",
            "{}",
            r#"{"a": "scalar"}"#,
            r#"{"a": []}"#,
            r#"{"a": [{"prefix": 1}]}"#,
            r#"{"a": [{"unknown-op": "x"}]}"#,
            r#"{"a": [{"numeric": [">"]}]}"#,
            r#"{"a": [{"numeric": ["!", 1]}]}"#,
            r#"{"a": [{"exists": "yes"}]}"#,
            r#"{"a": [{"cidr": "not-an-address"}]}"#,
            r#"{"a": [{"cidr": "10.0.0.0/33"}]}"#,
            r#"{"$or": [{"a": ["1"]}]}"#,
            r#"{"a": [{"prefix": "x", "suffix": "y"}]}"#,
        ] {
            assert!(!is_valid(p), "{p}");
            assert!(!streaming::is_valid(p), "{p}");
        }
    }

    /// Where the tree check decides alone: streaming refuses, the whole check accepts.
    fn left_to_the_tree(p: &str) {
        assert!(!streaming::is_valid(p), "{p}");
        assert!(tree_valid(p), "{p}");
        assert!(is_valid(p), "{p}");
    }

    fn refused_by_both(p: &str) {
        assert!(!streaming::is_valid(p), "{p}");
        assert!(!tree_valid(p), "{p}");
    }

    #[test]
    fn strings_take_json_escapes_but_no_surrogates_or_control_bytes() {
        for p in [
            r#"{"a": ["q\"b\\s\/\b\f\n\r\t\u00e9\uFFFF\u0000"]}"#,
            "{\"é\": [\"ü😀\", \"\"]}",
        ] {
            assert!(streaming::is_valid(p), "{p}");
        }
        left_to_the_tree(r#"{"a": ["\ud83d\ude00"]}"#);
        for p in [
            r#"{"a": ["\ud800"]}"#,
            r#"{"a": ["\udc00"]}"#,
            r#"{"a": ["\ud800x"]}"#,
            r#"{"a": ["\x"]}"#,
            r#"{"a": ["\u12g4"]}"#,
            r#"{"a": ["\u12"]}"#,
            r#"{"a": ["\"]}"#,
            "{\"a\": [\"x\u{1}y\"]}",
            "{\"a\": [\"\u{1f}\"]}",
            "{\"a\": [\"\t\"]}",
            "{\"a\u{1}\": [1]}",
            r#"{"a": ["x]}"#,
        ] {
            refused_by_both(p);
        }
    }

    #[test]
    fn keys_with_escapes_are_left_to_the_tree() {
        // Read without unescaping, this key is not `$or` and the strings would pass as matchers.
        refused_by_both(r#"{"$\u006fr": ["x", "y"]}"#);
        left_to_the_tree(r#"{"$\u006fr": [{"a": ["1"]}, {"b": ["2"]}]}"#);
        left_to_the_tree(r#"{"a\u0062": ["x"]}"#);
    }

    #[test]
    fn numbers_follow_json_and_stay_within_f64() {
        let digits = |n| "9".repeat(n);
        for number in ["0", "-0", "12", "-12.50", "0.001", &digits(300)] {
            assert!(
                streaming::is_valid(&format!(r#"{{"a": [{number}]}}"#)),
                "{number}"
            );
        }
        for number in [
            "01",
            "-",
            "1.",
            ".5",
            "+1",
            "--1",
            "1.e2",
            "0x1",
            "1e400",
            "-1E999",
            "Infinity",
            "NaN",
            "1e",
            "1e+",
            &digits(400),
        ] {
            refused_by_both(&format!(r#"{{"a": [{number}]}}"#));
        }
        for number in ["1e3", "2E-2", "5e+0", &digits(301)] {
            left_to_the_tree(&format!(r#"{{"a": [{number}]}}"#));
        }
    }

    #[test]
    fn depth_counts_as_the_tree_counts() {
        for depth in 0..=MAX_DEPTH + 6 {
            let p = format!(
                "{}[1]{}",
                "{\"a\": ".repeat(depth + 1),
                "}".repeat(depth + 1)
            );
            assert_eq!(streaming::is_valid(&p), depth <= MAX_DEPTH, "{depth}");
            assert_eq!(tree_valid(&p), depth <= MAX_DEPTH, "{depth}");
        }
    }

    #[test]
    fn nesting_stays_below_serde_json_limit() {
        // Each `$or` opens two containers, so serde_json's limit binds before `MAX_DEPTH`.
        let chain = |depth: usize, innermost: &str| {
            let mut p = format!(r#"{{"a": [{innermost}]}}"#);
            for _ in 0..depth {
                p = format!(r#"{{"$or": [{p}, {{"b": [2]}}]}}"#);
            }
            p
        };
        for depth in 0..=MAX_DEPTH + 2 {
            for innermost in ["1", r#"{"anything-but": {"prefix": ["x"]}}"#] {
                let p = chain(depth, innermost);
                assert!(
                    !streaming::is_valid(&p) || tree_valid(&p),
                    "{depth} {innermost}"
                );
            }
        }
        assert!(streaming::is_valid(&chain(
            59,
            r#"{"anything-but": {"prefix": ["x"]}}"#
        )));
        assert!(!tree_valid(&chain(63, "1")));
        // The deepest a valid matcher object can reach still parses.
        let deepest = streaming::MAX_NESTING + 3;
        let arrays = format!("{}{}", "[".repeat(deepest), "]".repeat(deepest));
        assert!(serde_json::from_str::<serde_json::Value>(&arrays).is_ok());
        // A duplicate key's value counts towards the whole text's limit though the last one
        // is kept: an operator object read on its own must not escape that.
        for depth in 115..135 {
            let p = format!(
                r#"{{"a": [{{"prefix": {}"x"{}, "prefix": "x"}}]}}"#,
                "[".repeat(depth),
                "]".repeat(depth)
            );
            assert!(!streaming::is_valid(&p) || tree_valid(&p), "{depth}");
        }
    }

    #[test]
    fn structure_is_exactly_json() {
        assert!(streaming::is_valid(" \t\r\n{ \"a\" :\n[ 1 , 2 ] } \n"));
        for p in [
            "",
            "{",
            "{\"a\": [1]",
            "{\"a\":",
            r#"{"a": [1],}"#,
            r#"{"a": [1,]}"#,
            r#"{"a": [1]} x"#,
            r#"{"a": [1]}}"#,
            r#"{"a" [1]}"#,
            r#"{"a": [1] "b": [2]}"#,
            r#"{"a": [tru]}"#,
            r#"{"a": [truex]}"#,
            r#"{"a": [nul]}"#,
            r#"{'a': [1]}"#,
            r#"{a: [1]}"#,
            r#"{"a": [1]; "b": [2]}"#,
            "\u{feff}{\"a\": [1]}",
            "\u{a0}{\"a\": [1]}",
            "{\"a\": [1]}\u{c}",
            r#"{"$or": []}"#,
            r#"{"$or": [{"a": [1]}, "x"]}"#,
            r#"{"$or": [{"a": [1]}, {}]}"#,
            r#"{"a": [{"prefix": "x"}}"#,
            r#"{"a": [{"prefix": "x"}]}x"#,
            r#"{"a": [{"prefix": "x", "prefix": 1}]}"#,
        ] {
            refused_by_both(p);
        }
        assert!(streaming::is_valid(
            r#"{"a": [{"prefix": "x"} , 1, {"exists": false}]}"#
        ));
    }

    #[test]
    fn or_holding_an_object_is_left_to_the_tree() {
        left_to_the_tree(r#"{"$or": {"a": ["1"]}}"#);
    }

    #[test]
    fn long_strings_are_scanned_to_their_end() {
        let long = "x".repeat(4096);
        assert!(streaming::is_valid(&format!(r#"{{"a": ["{long}"]}}"#)));
        assert!(streaming::is_valid(&format!(
            r#"{{"a": ["{long}\"{long}"]}}"#
        )));
        refused_by_both(&format!("{{\"a\": [\"{long}\u{1}{long}\"]}}"));
        refused_by_both(&format!(r#"{{"a": ["{long}"#));
    }

    /// xorshift64: a fixed, dependency-free source of test cases.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn percent(&mut self, chance: usize) -> bool {
            self.below(100) < chance
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    /// Writes random patterns. `wild` ones mix in everything the streaming check must handle
    /// or leave to the tree; the others are plainly valid, so streaming must accept them.
    struct Generator {
        rng: Rng,
        wild: bool,
        out: String,
    }

    impl Generator {
        fn pattern(&mut self) -> String {
            self.out.clear();
            self.space();
            let wraps = if self.rng.percent(5) {
                self.rng.below(70)
            } else {
                0
            };
            let or_wraps = self.rng.percent(50);
            let wraps = if or_wraps && !self.wild {
                wraps.min(50)
            } else {
                wraps
            };
            let wraps = if !or_wraps && !self.wild {
                wraps.min(MAX_DEPTH - 4)
            } else {
                wraps
            };
            for _ in 0..wraps {
                self.out.push_str(if or_wraps {
                    r#"{"$or": [{"z": [0]}, "#
                } else {
                    r#"{"y": "#
                });
            }
            self.object(0);
            for _ in 0..wraps {
                self.out.push_str(if or_wraps { "]}" } else { "}" });
            }
            self.space();
            if self.wild && self.rng.percent(30) {
                self.mutate();
            }
            self.out.clone()
        }

        /// `open`, `count` items written by `item` with commas and spaces between, `close`.
        fn list(&mut self, open: char, count: usize, close: char, item: impl Fn(&mut Self)) {
            self.out.push(open);
            for i in 0..count {
                if i > 0 {
                    self.out.push(',');
                }
                self.space();
                item(self);
                self.space();
            }
            self.out.push(close);
        }

        fn object(&mut self, depth: usize) {
            let fields = self.count(1);
            self.list('{', fields, '}', |this| this.field(depth));
        }

        fn field(&mut self, depth: usize) {
            let key = if self.wild && self.rng.percent(4) {
                self.rng
                    .pick(&[r"a\u0062", r"$\u006fr", r"\u0061", "a\u{1}", "prefix"])
            } else {
                self.rng.pick(&["a", "b", "$or", "$or", "é", "k-1", ""])
            };
            self.out.push('"');
            self.out.push_str(key);
            self.out.push_str("\":");
            self.space();
            if key == "$or" && (!self.wild || self.rng.percent(95)) {
                self.alternatives(depth);
            } else if depth < 3 && self.rng.percent(30) {
                self.object(depth + 1);
            } else if self.wild && self.rng.percent(3) {
                self.matcher();
            } else {
                self.matchers();
            }
        }

        fn alternatives(&mut self, depth: usize) {
            let count = self.count(2);
            self.list('[', count, ']', |this| {
                if depth < 3 {
                    this.object(depth + 1);
                } else {
                    this.out.push_str(r#"{"leaf": [1]}"#);
                }
            });
        }

        fn matchers(&mut self) {
            let count = self.count(1);
            self.list('[', count, ']', Self::matcher);
        }

        fn matcher(&mut self) {
            let wild_matcher = self.wild && self.rng.percent(8);
            match self.rng.below(4) + if wild_matcher { 4 } else { 0 } {
                0 => self.string(),
                1 => self.number(),
                2 => {
                    let literal = self.rng.pick(&["true", "false", "null"]);
                    self.out.push_str(literal);
                }
                3 => {
                    let choices = [
                        "0",
                        "-0",
                        "7",
                        "-12",
                        "3.25",
                        "-0.5",
                        "1000000000000000000000",
                    ];
                    let number = self.rng.pick(&choices);
                    self.out.push_str(number);
                }
                4 | 5 => {
                    let operator = self.rng.pick(&[
                        r#"{"prefix": "x"}"#,
                        r#"{"prefix": 1}"#,
                        r#"{"numeric": [">", 1e3]}"#,
                        r#"{"anything-but": {"suffix": ["a", "b"]}}"#,
                        r#"{"cidr": "10.0.0.0/33"}"#,
                        r#"{"exists": true, "exists": "no"}"#,
                        r#"{}"#,
                    ]);
                    self.out.push_str(operator);
                }
                _ => {
                    let odd = self
                        .rng
                        .pick(&["[1]", "{}", "{\"a\": [1]}", "1e400", "01", "-"]);
                    self.out.push_str(odd);
                }
            }
        }

        fn string(&mut self) {
            self.out.push('"');
            for _ in 0..self.rng.below(6) {
                let piece = if self.wild && self.rng.percent(5) {
                    self.rng.pick(&[
                        r"\ud83d\ude00",
                        r"\ud800",
                        r"\udc00x",
                        r"\x",
                        r"\u12g4",
                        "\u{1}",
                        "\t",
                        "\u{7f}",
                    ])
                } else {
                    self.rng.pick(&[
                        "x",
                        "long text ",
                        "é",
                        "😀",
                        r#"\""#,
                        r"\\",
                        r"\/",
                        r"\n",
                        r"\u00e9",
                        "$or",
                    ])
                };
                self.out.push_str(piece);
            }
            self.out.push('"');
        }

        fn number(&mut self) {
            if self.rng.percent(30) {
                self.out.push('-');
            }
            if self.rng.percent(30) {
                self.out.push('0');
            } else {
                self.out.push(char::from(b'1' + self.rng.below(9) as u8));
                for _ in 0..self.rng.below(25) {
                    self.out.push(char::from(b'0' + self.rng.below(10) as u8));
                }
            }
            if self.rng.percent(30) {
                self.out.push('.');
                for _ in 0..=self.rng.below(8) {
                    self.out.push(char::from(b'0' + self.rng.below(10) as u8));
                }
            }
            if self.wild && self.rng.percent(10) {
                let exponent = self.rng.pick(&["e5", "E-3", "e+400", "e309", "e-999"]);
                self.out.push_str(exponent);
            }
        }

        /// How many items a list gets: at least `least` unless wild (rarely).
        fn count(&mut self, least: usize) -> usize {
            if self.wild && self.rng.percent(5) {
                self.rng.below(least + 1)
            } else {
                least + self.rng.below(3)
            }
        }

        fn space(&mut self) {
            let space = match self.rng.below(10) {
                0 => " ",
                1 => "\n  ",
                2 => "\t\r\n",
                3 if self.wild && self.rng.percent(10) => {
                    self.rng.pick(&["\u{a0}", "\u{c}", "\u{0}"])
                }
                _ => "",
            };
            self.out.push_str(space);
        }

        /// Deletes, inserts or replaces a few characters.
        fn mutate(&mut self) {
            const ALPHABET: &[char] = &[
                '{', '}', '[', ']', '"', ',', ':', '\\', '0', '1', '9', '-', '.', 'e', 'E', '+',
                'u', 'd', '8', 'a', '$', 'o', 'r', ' ', '\t', '\n', '\u{1}', 'é', '😀', '\u{a0}',
            ];
            let mut chars: Vec<char> = self.out.chars().collect();
            for _ in 0..=self.rng.below(3) {
                let at = self.rng.below(chars.len() + 1);
                let new = ALPHABET[self.rng.below(ALPHABET.len())];
                match self.rng.below(3) {
                    0 if at < chars.len() => {
                        chars.remove(at);
                    }
                    1 if at < chars.len() => chars[at] = new,
                    _ => chars.insert(at, new),
                }
            }
            self.out = chars.into_iter().collect();
        }
    }

    #[test]
    fn streaming_never_accepts_what_the_tree_refuses() {
        let mut generator = Generator {
            rng: Rng(0x9E37_79B9_7F4A_7C15),
            wild: true,
            out: String::new(),
        };
        let (mut tree_accepted, mut streaming_accepted) = (0, 0);
        for _ in 0..200_000 {
            let p = generator.pattern();
            let streaming = streaming::is_valid(&p);
            let tree = tree_valid(&p);
            assert!(!streaming || tree, "{p}");
            tree_accepted += usize::from(tree);
            streaming_accepted += usize::from(streaming);
        }
        // Both checks see many texts they accept, and many the tree alone decides.
        assert!(streaming_accepted > 20_000, "{streaming_accepted}");
        assert!(
            tree_accepted - streaming_accepted > 2_000,
            "{tree_accepted}"
        );
    }

    #[test]
    fn streaming_accepts_plain_valid_patterns() {
        let mut generator = Generator {
            rng: Rng(0x2545_F491_4F6C_DD1D),
            wild: false,
            out: String::new(),
        };
        for _ in 0..20_000 {
            let p = generator.pattern();
            assert!(tree_valid(&p), "{p}");
            assert!(streaming::is_valid(&p), "{p}");
        }
    }
}
