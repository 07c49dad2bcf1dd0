//! Paths to a value inside a request, rendered two ways: ours (`Filters[0].Pattern`) and AWS's
//! (`filters.1.member.pattern`).

use std::fmt;

use compact_str::CompactString;
use smallvec::SmallVec;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Member(&'static str),
    /// A list item, 0-based.
    Index(usize),
    /// A map entry, by key.
    Key(CompactString),
}

/// A path's segments; violations rarely lie deeper than three, so those stay inline.
pub type Segments = SmallVec<[Segment; 3]>;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Path(pub Segments);

impl Path {
    pub fn root() -> Path {
        Path(Segments::new())
    }

    /// AWS's path: each member name with only its first letter lowercased (`kMSKeyArn`,
    /// `uRI`), dotted; list items as `N.member` (1-based), map entries by key.
    pub fn aws(&self) -> String {
        let mut out = String::new();
        for segment in &self.0 {
            if !out.is_empty() {
                out.push('.');
            }
            match segment {
                Segment::Member(name) => out.push_str(&lower_first(name)),
                Segment::Index(i) => {
                    out.push_str(&(i + 1).to_string());
                    out.push_str(".member");
                }
                Segment::Key(k) => out.push_str(k),
            }
        }
        out
    }

    /// The path with indexes and keys dropped, as the model names members: `Filters[].Pattern`.
    pub fn model_path(&self) -> String {
        let mut out = String::new();
        for segment in &self.0 {
            match segment {
                Segment::Member(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Segment::Index(_) => out.push_str("[]"),
                Segment::Key(_) => out.push_str("{value}"),
            }
        }
        out
    }

    /// The path of the member names `names`, outermost first.
    #[inline]
    pub fn of_members(names: &[&'static str]) -> Path {
        // Pushed one by one: collecting goes through the generic extend.
        let mut path = Path::root();
        for name in names {
            path.0.push(Segment::Member(name));
        }
        path
    }

    pub fn first_member(&self) -> Option<&'static str> {
        match self.0.first() {
            Some(Segment::Member(name)) => Some(name),
            _ => None,
        }
    }
}

impl FromIterator<Segment> for Path {
    fn from_iter<I: IntoIterator<Item = Segment>>(segments: I) -> Path {
        Path(segments.into_iter().collect())
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Member(name) => {
                    if index > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                Segment::Index(i) => write!(f, "[{i}]")?,
                Segment::Key(k) => write!(f, "{{{k}}}")?,
            }
        }
        Ok(())
    }
}

/// Lowercases only the first character, as AWS does: `KMSKeyArn` becomes `kMSKeyArn`.
pub fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_members_hold_just_those_members() {
        let names = ["A", "B", "C", "D", "E"];
        for len in 0..=names.len() {
            let path = Path::of_members(&names[..len]);
            let expected: Vec<_> = names[..len].iter().map(|n| Segment::Member(n)).collect();
            assert_eq!(path.0.as_slice(), expected.as_slice());
        }
    }

    #[test]
    fn aws_paths_lowercase_only_the_first_letter() {
        let path = Path::from_iter([Segment::Member("KMSKeyArn")]);
        assert_eq!(path.aws(), "kMSKeyArn");
        let path = Path::from_iter([
            Segment::Member("SourceAccessConfigurations"),
            Segment::Index(0),
            Segment::Member("URI"),
        ]);
        assert_eq!(path.aws(), "sourceAccessConfigurations.1.member.uRI");
        assert_eq!(path.to_string(), "SourceAccessConfigurations[0].URI");
        assert_eq!(path.model_path(), "SourceAccessConfigurations[].URI");
    }
}
