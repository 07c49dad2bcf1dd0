//! Generation errors: each names the shape or rule that cannot be generated.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodegenError {
    #[error(transparent)]
    Spec(#[from] conform_spec::SpecError),
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
