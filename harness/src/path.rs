//! Paths into a JSON response, as cases write them for captures and waits: a member path
//! (`UUID`, `FilterCriteria.Filters[0].Pattern`) or a JSON pointer (`/FilterCriteria/Filters/0`).

use std::fmt;

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// A parsed path; `status` alone names the response's HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValuePath {
    text: String,
    steps: Vec<Step>,
}

impl ValuePath {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty path".into());
        }
        let steps = if let Some(pointer) = text.strip_prefix('/') {
            pointer
                .split('/')
                .map(|token| {
                    let token = token.replace("~1", "/").replace("~0", "~");
                    match token.parse::<usize>() {
                        Ok(i) => Step::Index(i),
                        Err(_) => Step::Key(token),
                    }
                })
                .collect()
        } else {
            let mut steps = Vec::new();
            for part in text.split('.') {
                let (name, mut rest) = match part.find('[') {
                    Some(i) => (&part[..i], &part[i..]),
                    None => (part, ""),
                };
                if name.is_empty() && rest.is_empty() {
                    return Err(format!("empty member name in path `{text}`"));
                }
                if !name.is_empty() {
                    steps.push(Step::Key(name.to_owned()));
                }
                while let Some(inner) = rest.strip_prefix('[') {
                    let end = inner
                        .find(']')
                        .ok_or_else(|| format!("unclosed `[` in path `{text}`"))?;
                    let index = inner[..end].parse().map_err(|_| {
                        format!("`[{}]` is not an index in path `{text}`", &inner[..end])
                    })?;
                    steps.push(Step::Index(index));
                    rest = &inner[end + 1..];
                }
                if !rest.is_empty() {
                    return Err(format!("unexpected `{rest}` in path `{text}`"));
                }
            }
            steps
        };
        Ok(Self {
            text: text.to_owned(),
            steps,
        })
    }

    /// True for the bare path `status`.
    pub fn is_status(&self) -> bool {
        self.text == "status"
    }

    pub fn get<'a>(&self, value: &'a Value) -> Option<&'a Value> {
        self.steps.iter().try_fold(value, |v, step| match step {
            Step::Key(k) => v.get(k.as_str()),
            Step::Index(i) => v.get(*i),
        })
    }
}

impl fmt::Display for ValuePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn member_paths_and_pointers_agree() {
        let v = json!({"A": {"B": [{"C": 1}, {"C": 2}]}, "UUID": "u"});
        for text in ["A.B[1].C", "/A/B/1/C"] {
            assert_eq!(
                ValuePath::parse(text).unwrap().get(&v),
                Some(&json!(2)),
                "{text}"
            );
        }
        assert_eq!(ValuePath::parse("UUID").unwrap().get(&v), Some(&json!("u")));
        assert_eq!(ValuePath::parse("A.X").unwrap().get(&v), None);
        assert!(ValuePath::parse("A[x]").is_err());
        assert!(ValuePath::parse("A..B").is_err());
        assert!(ValuePath::parse("status").unwrap().is_status());
    }
}
