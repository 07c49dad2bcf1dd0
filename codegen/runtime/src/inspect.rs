//! Read access to a request by member path, for overlay rules: generated for structures and
//! enums, implemented here for scalars, containers and JSON.

use std::collections::BTreeMap;

use compact_str::{CompactString, ToCompactString};

use crate::rules::PathSeg;
use crate::timestamp::Timestamp;

/// One value found at a path. Structures, lists and maps found at the end of a path are
/// `Composite`: present, with no scalar value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'a> {
    Str(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    Composite,
}

impl Scalar<'_> {
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Scalar::Int(i) => Some(i as f64),
            Scalar::Float(f) => Some(f),
            _ => None,
        }
    }

    /// The value as a message placeholder shows it.
    pub fn text(&self) -> CompactString {
        match *self {
            Scalar::Str(s) => CompactString::from(s),
            Scalar::Int(i) => i.to_compact_string(),
            Scalar::Float(f) => f.to_compact_string(),
            Scalar::Bool(b) => b.to_compact_string(),
            Scalar::Composite => CompactString::default(),
        }
    }
}

pub trait Inspect {
    /// Calls `found` with every value at `path`: several when the path crosses a list or a map,
    /// none when a member on the way is absent.
    fn inspect(&self, path: &[PathSeg], found: &mut dyn FnMut(Scalar<'_>));

    /// Whether `inspect` finds anything at the value itself; containers and scalars answer
    /// without the callback.
    fn is_here(&self) -> bool {
        let mut present = false;
        self.inspect(&[], &mut |_| present = true);
        present
    }

    /// A generated structure's member names, in model order, from a `static` (its address
    /// identifies the type); empty for anything else.
    fn members(&self) -> &'static [&'static str] {
        &[]
    }

    /// Bit `i` set when `inspect` finds anything at member `members()[i]`; `None` when not
    /// known (not a structure, or more than 64 members).
    fn presence(&self) -> Option<u64> {
        None
    }

    /// As `inspect` at member `members()[index]` followed by `rest`, without matching names.
    fn inspect_member(&self, index: usize, rest: &[PathSeg], found: &mut dyn FnMut(Scalar<'_>)) {
        let _ = (index, rest, found);
    }

    /// The value itself when it is a present string: what `inspect` at the value would find,
    /// read without the callback. `None` for anything else.
    fn as_str(&self) -> Option<&str> {
        None
    }

    /// What `inspect` at the value itself would find, read without the callback, when that is
    /// one value: a present string, number, boolean or enum, or `Composite` for a structure,
    /// list or map. `None` when absent, or when not known without the callback (JSON).
    fn scalar(&self) -> Option<Scalar<'_>> {
        None
    }

    /// `as_str` of member `members()[index]`: how rules read a string member (an ARN, a name)
    /// without a callback. `None` when the member is absent or not a string.
    fn member_str(&self, index: usize) -> Option<&str> {
        let _ = index;
        None
    }
}

/// Whether `inspect` finds anything at `value` itself (generated `presence` uses it).
#[inline]
pub fn present<T: Inspect + ?Sized>(value: &T) -> bool {
    value.is_here()
}

macro_rules! leaf {
    ($t:ty, $v:ident => $e:expr $(, $extra:item)*) => {
        impl Inspect for $t {
            fn inspect(&self, path: &[PathSeg], found: &mut dyn FnMut(Scalar<'_>)) {
                if path.is_empty() {
                    let $v = self;
                    found($e);
                }
            }

            fn is_here(&self) -> bool {
                true
            }

            fn scalar(&self) -> Option<Scalar<'_>> {
                let $v = self;
                Some($e)
            }

            $($extra)*
        }
    };
}
leaf!(String, v => Scalar::Str(v), fn as_str(&self) -> Option<&str> { Some(self) });
leaf!(bool, v => Scalar::Bool(*v));
leaf!(i8, v => Scalar::Int(i64::from(*v)));
leaf!(i16, v => Scalar::Int(i64::from(*v)));
leaf!(i32, v => Scalar::Int(i64::from(*v)));
leaf!(i64, v => Scalar::Int(*v));
leaf!(f32, v => Scalar::Float(f64::from(*v)));
leaf!(f64, v => Scalar::Float(*v));
leaf!(Timestamp, v => Scalar::Float(v.0));

impl<T: Inspect> Inspect for Option<T> {
    fn inspect(&self, path: &[PathSeg], found: &mut dyn FnMut(Scalar<'_>)) {
        if let Some(value) = self {
            value.inspect(path, found);
        }
    }

    fn is_here(&self) -> bool {
        self.as_ref().is_some_and(Inspect::is_here)
    }

    fn as_str(&self) -> Option<&str> {
        self.as_ref().and_then(Inspect::as_str)
    }

    fn scalar(&self) -> Option<Scalar<'_>> {
        self.as_ref().and_then(Inspect::scalar)
    }
}

impl<T: Inspect> Inspect for Box<T> {
    fn inspect(&self, path: &[PathSeg], found: &mut dyn FnMut(Scalar<'_>)) {
        (**self).inspect(path, found);
    }

    fn is_here(&self) -> bool {
        (**self).is_here()
    }

    fn members(&self) -> &'static [&'static str] {
        (**self).members()
    }

    fn presence(&self) -> Option<u64> {
        (**self).presence()
    }

    fn inspect_member(&self, index: usize, rest: &[PathSeg], found: &mut dyn FnMut(Scalar<'_>)) {
        (**self).inspect_member(index, rest, found);
    }

    fn as_str(&self) -> Option<&str> {
        (**self).as_str()
    }

    fn scalar(&self) -> Option<Scalar<'_>> {
        (**self).scalar()
    }

    fn member_str(&self, index: usize) -> Option<&str> {
        (**self).member_str(index)
    }
}

impl<T: Inspect> Inspect for Vec<T> {
    fn inspect(&self, path: &[PathSeg], found: &mut dyn FnMut(Scalar<'_>)) {
        match path.split_first() {
            None => found(Scalar::Composite),
            Some((PathSeg::Items, rest)) => self.iter().for_each(|item| item.inspect(rest, found)),
            Some(_) => {}
        }
    }

    fn is_here(&self) -> bool {
        true
    }

    fn scalar(&self) -> Option<Scalar<'_>> {
        Some(Scalar::Composite)
    }
}

impl<K: Inspect, V: Inspect> Inspect for BTreeMap<K, V> {
    fn inspect(&self, path: &[PathSeg], found: &mut dyn FnMut(Scalar<'_>)) {
        match path.split_first() {
            None => found(Scalar::Composite),
            Some((PathSeg::Keys, rest)) => self.keys().for_each(|k| k.inspect(rest, found)),
            Some((PathSeg::Values, rest)) => self.values().for_each(|v| v.inspect(rest, found)),
            Some(_) => {}
        }
    }

    fn is_here(&self) -> bool {
        true
    }

    fn scalar(&self) -> Option<Scalar<'_>> {
        Some(Scalar::Composite)
    }
}

impl Inspect for serde_json::Value {
    fn inspect(&self, path: &[PathSeg], found: &mut dyn FnMut(Scalar<'_>)) {
        use serde_json::Value;
        match (self, path.split_first()) {
            (Value::Null, _) => {}
            (Value::String(s), None) => found(Scalar::Str(s)),
            (Value::Bool(b), None) => found(Scalar::Bool(*b)),
            (Value::Number(n), None) => found(match n.as_i64() {
                Some(i) => Scalar::Int(i),
                None => Scalar::Float(n.as_f64().unwrap_or(f64::NAN)),
            }),
            (Value::Array(_) | Value::Object(_), None) => found(Scalar::Composite),
            (Value::Object(map), Some((PathSeg::Member(name), rest))) => {
                if let Some(v) = map.get(*name) {
                    v.inspect(rest, found)
                }
            }
            (Value::Object(map), Some((PathSeg::Keys, rest))) => {
                for key in map.keys() {
                    if rest.is_empty() {
                        found(Scalar::Str(key));
                    }
                }
            }
            (Value::Object(map), Some((PathSeg::Values, rest))) => {
                map.values().for_each(|v| v.inspect(rest, found))
            }
            (Value::Array(items), Some((PathSeg::Items, rest))) => {
                items.iter().for_each(|v| v.inspect(rest, found))
            }
            _ => {}
        }
    }
}

/// Whether anything is present at `path`.
pub fn is_present(value: &dyn Inspect, path: &[PathSeg]) -> bool {
    let mut present = false;
    value.inspect(path, &mut |_| present = true);
    present
}

impl Inspect for serde_json::Number {
    fn inspect(&self, path: &[PathSeg], found: &mut dyn FnMut(Scalar<'_>)) {
        if path.is_empty() {
            found(match self.as_i64() {
                Some(i) => Scalar::Int(i),
                None => Scalar::Float(self.as_f64().unwrap_or(f64::NAN)),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `is_here` overrides must answer: whether the callback is called at all.
    fn by_callback(value: &dyn Inspect) -> bool {
        is_present(value, &[])
    }

    #[test]
    fn is_here_agrees_with_inspect() {
        let values: Vec<Box<dyn Inspect>> = vec![
            Box::new(None::<String>),
            Box::new(Some(String::new())),
            Box::new(Some(0i32)),
            Box::new(Some(Box::new(1.5f64))),
            Box::new(Some(Vec::<String>::new())),
            Box::new(Some(BTreeMap::<String, String>::new())),
            Box::new(None::<Vec<String>>),
            Box::new(Timestamp(0.0)),
            Box::new(serde_json::Value::Null),
            Box::new(Some(serde_json::Value::Null)),
            Box::new(serde_json::json!({})),
        ];
        for value in &values {
            assert_eq!(value.is_here(), by_callback(value.as_ref()));
        }
    }

    /// `scalar` reads what the callback finds at the value itself: one scalar, `Composite`
    /// for a container, nothing for an absent value or JSON.
    #[test]
    fn scalar_agrees_with_inspect() {
        let cases: Vec<(Box<dyn Inspect>, Option<Scalar<'static>>)> = vec![
            (Box::new(None::<String>), None),
            (Box::new(Some(String::from("x"))), Some(Scalar::Str("x"))),
            (Box::new(String::new()), Some(Scalar::Str(""))),
            (Box::new(Some(-3i32)), Some(Scalar::Int(-3))),
            (Box::new(7i64), Some(Scalar::Int(7))),
            (Box::new(Some(Box::new(1.5f64))), Some(Scalar::Float(1.5))),
            (Box::new(2.5f32), Some(Scalar::Float(2.5))),
            (Box::new(Some(true)), Some(Scalar::Bool(true))),
            (Box::new(Timestamp(1.25)), Some(Scalar::Float(1.25))),
            (
                Box::new(Some(vec![String::from("x")])),
                Some(Scalar::Composite),
            ),
            (Box::new(Vec::<i32>::new()), Some(Scalar::Composite)),
            (
                Box::new(BTreeMap::from([(String::from("k"), String::from("v"))])),
                Some(Scalar::Composite),
            ),
            (Box::new(None::<Vec<String>>), None),
            (Box::new(serde_json::json!("x")), None),
        ];
        for (value, expected) in &cases {
            assert_eq!(value.scalar(), *expected);
            // What the callback finds at the value itself agrees.
            let mut found = Vec::new();
            value.inspect(&[], &mut |v| found.push(format!("{v:?}")));
            if let Some(scalar) = expected {
                assert_eq!(found, [format!("{scalar:?}")]);
            }
        }
    }
}
