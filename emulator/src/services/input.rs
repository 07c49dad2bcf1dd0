//! Typed, never-panicking access to the members of a JSON request object, shared by every
//! protocol; each protocol turns a [`MemberError`] into its own AWS error.

use serde_json::{Map, Value};

/// A member that is absent or of the wrong JSON type, named by its path (`Code.ZipFile`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MemberError {
    Missing {
        member: String,
    },
    WrongType {
        member: String,
        expected: &'static str,
    },
}

/// Parses a request body as a JSON object. An empty body counts as `{}`, as the SDKs never
/// send one for an operation with input and AWS reads it as no members.
pub(crate) fn parse_object(body: &[u8]) -> Result<Map<String, Value>, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err("the request body must be a JSON object".to_owned()),
        Err(err) => Err(err.to_string()),
    }
}

/// The members of one JSON object; a `null` member counts as absent.
#[derive(Debug, Clone)]
pub(crate) struct Members<'a> {
    map: &'a Map<String, Value>,
    /// The path of this object within the request, empty at the top.
    path: String,
}

impl<'a> Members<'a> {
    pub fn new(map: &'a Map<String, Value>) -> Self {
        Self {
            map,
            path: String::new(),
        }
    }

    pub fn map(&self) -> &'a Map<String, Value> {
        self.map
    }

    pub fn get(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Where member `name` of this object sits in the request (`KeySchema[0].KeyType`).
    pub fn path_of(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.path)
        }
    }

    fn typed<T>(
        &self,
        name: &str,
        expected: &'static str,
        cast: impl FnOnce(&'a Value) -> Option<T>,
    ) -> Result<Option<T>, MemberError> {
        match self.get(name) {
            None => Ok(None),
            Some(value) => cast(value).map(Some).ok_or_else(|| MemberError::WrongType {
                member: self.path_of(name),
                expected,
            }),
        }
    }

    pub fn require<T>(&self, name: &str, value: Option<T>) -> Result<T, MemberError> {
        value.ok_or_else(|| MemberError::Missing {
            member: self.path_of(name),
        })
    }

    pub fn str(&self, name: &str) -> Result<Option<&'a str>, MemberError> {
        self.typed(name, "a string", Value::as_str)
    }

    pub fn required_str(&self, name: &str) -> Result<&'a str, MemberError> {
        let value = self.str(name)?;
        self.require(name, value)
    }

    pub fn int(&self, name: &str) -> Result<Option<i64>, MemberError> {
        self.typed(name, "an integer", Value::as_i64)
    }

    pub fn bool(&self, name: &str) -> Result<Option<bool>, MemberError> {
        self.typed(name, "a boolean", Value::as_bool)
    }

    pub fn array(&self, name: &str) -> Result<Option<&'a Vec<Value>>, MemberError> {
        self.typed(name, "a list", Value::as_array)
    }

    /// A nested structure.
    pub fn object(&self, name: &str) -> Result<Option<Members<'a>>, MemberError> {
        let map = self.typed(name, "a structure", Value::as_object)?;
        Ok(map.map(|map| Members {
            map,
            path: self.path_of(name),
        }))
    }

    /// A list of structures, each named by its position (`KeySchema[0]`).
    pub fn objects(&self, name: &str) -> Result<Option<Vec<Members<'a>>>, MemberError> {
        let Some(list) = self.array(name)? else {
            return Ok(None);
        };
        let path = self.path_of(name);
        list.iter()
            .enumerate()
            .map(|(i, value)| match value.as_object() {
                Some(map) => Ok(Members {
                    map,
                    path: format!("{path}[{i}]"),
                }),
                None => Err(MemberError::WrongType {
                    member: format!("{path}[{i}]"),
                    expected: "a structure",
                }),
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// A list whose every element is a string.
    pub fn string_list(&self, name: &str) -> Result<Option<Vec<&'a str>>, MemberError> {
        self.typed(name, "a list of strings", |value| {
            value.as_array()?.iter().map(Value::as_str).collect()
        })
    }

    /// A map whose every value is a string.
    pub fn string_map(&self, name: &str) -> Result<Option<Vec<(&'a str, &'a str)>>, MemberError> {
        self.typed(name, "a map of strings", |value| {
            value
                .as_object()?
                .iter()
                .map(|(k, v)| Some((k.as_str(), v.as_str()?)))
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_access() {
        let value = json!({"a": "x", "n": 3, "z": null, "m": {"k": "v"}, "l": ["p", 1]});
        let map = value.as_object().expect("object");
        let members = Members::new(map);
        assert_eq!(members.str("a"), Ok(Some("x")));
        assert_eq!(members.str("z"), Ok(None));
        assert_eq!(members.int("n"), Ok(Some(3)));
        assert_eq!(
            members.int("a"),
            Err(MemberError::WrongType {
                member: "a".into(),
                expected: "an integer"
            })
        );
        assert_eq!(
            members.required_str("b"),
            Err(MemberError::Missing { member: "b".into() })
        );
        assert_eq!(members.string_map("m"), Ok(Some(vec![("k", "v")])));
        assert!(members.string_list("l").is_err());
        assert_eq!(
            members.objects("l").map(|o| o.map(|v| v.len())),
            Err(MemberError::WrongType {
                member: "l[0]".into(),
                expected: "a structure"
            })
        );
        let nested = members.object("m").expect("typed").expect("present");
        assert_eq!(
            nested.required_str("q"),
            Err(MemberError::Missing {
                member: "m.q".into()
            })
        );
    }

    #[test]
    fn bodies() {
        assert_eq!(parse_object(b"  "), Ok(Map::new()));
        assert!(parse_object(b"[]").is_err());
        assert!(parse_object(b"{").is_err());
        assert!(parse_object(b"{\"a\":\"\xff\"}").is_err());
    }
}
