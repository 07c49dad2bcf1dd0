//! Generation errors: each names the shape or rule that cannot be generated.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodegenError {
    /// Boxed: a spec error carries its origin and position, and this error travels far.
    #[error(transparent)]
    Spec(Box<conform_spec::SpecError>),
    #[error("shape `{shape}`: {message}")]
    Unsupported { shape: String, message: String },
    #[error("shape `{shape}`: pattern /{pattern}/ does not compile: {message}")]
    BadPattern {
        shape: String,
        pattern: String,
        message: String,
    },
    #[error("generated code does not parse: {0}")]
    Expand(String),
}

impl From<conform_spec::SpecError> for CodegenError {
    fn from(error: conform_spec::SpecError) -> Self {
        CodegenError::Spec(Box::new(error))
    }
}
