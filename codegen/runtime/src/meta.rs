//! Operation metadata: how each operation is bound to HTTP, and its modeled errors.

/// The casing of an error body's message key, which differs between Lambda's errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKey {
    Lower,
    Upper,
}

impl MessageKey {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKey::Lower => "message",
            MessageKey::Upper => "Message",
        }
    }
}

#[derive(Debug)]
pub struct ErrorMeta {
    pub name: &'static str,
    pub status: u16,
    pub message_key: MessageKey,
    /// `client` or `server`.
    pub fault: &'static str,
}

#[derive(Debug)]
pub struct Binding {
    /// The member name in the input structure.
    pub member: &'static str,
    /// The label, query parameter or header name on the wire.
    pub wire: &'static str,
    /// The member is a list (query parameters repeat).
    pub list: bool,
    /// The member is an integer or other number (query values are parsed).
    pub numeric: bool,
}

#[derive(Debug)]
pub struct OperationMeta {
    pub name: &'static str,
    pub method: &'static str,
    pub uri: &'static str,
    pub success_code: u16,
    pub input: Option<&'static str>,
    pub output: Option<&'static str>,
    pub labels: &'static [Binding],
    pub query: &'static [Binding],
    pub headers: &'static [Binding],
    pub errors: &'static [&'static ErrorMeta],
}

impl OperationMeta {
    pub fn error(&self, name: &str) -> Option<&'static ErrorMeta> {
        self.errors.iter().copied().find(|e| e.name == name)
    }

    /// Matches a request path against the URI template (labels are single segments; a
    /// trailing slash is accepted), returning the decoded labels.
    pub fn match_path(&self, path: &str) -> Option<Vec<(&'static str, String)>> {
        let template = self.uri.split('?').next().unwrap_or(self.uri);
        let want: Vec<&str> = template.trim_end_matches('/').split('/').collect();
        let got: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        if want.len() != got.len() {
            return None;
        }
        let mut labels = Vec::new();
        for (w, g) in want.iter().zip(&got) {
            if let Some(name) = w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                let name = name.trim_end_matches('+');
                if g.is_empty() {
                    return None;
                }
                let member = self
                    .labels
                    .iter()
                    .find(|b| b.wire == name)
                    .map_or(name, |b| b.member);
                labels.push((member_static(self, member), percent_decode(g)));
            } else if w != g {
                return None;
            }
        }
        Some(labels)
    }
}

fn member_static(op: &OperationMeta, member: &str) -> &'static str {
    op.labels
        .iter()
        .find(|b| b.member == member)
        .map_or("", |b| b.member)
}

/// Decodes `%XX` escapes; malformed escapes are kept as written.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
