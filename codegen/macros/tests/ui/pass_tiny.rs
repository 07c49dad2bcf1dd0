// A tiny model and overlay: build a request, validate it, and format AWS's error.
conform_macros::models!(
    model = "../../../../codegen/macros/tests/ui/models/tiny.json",
    overlay = "../../../../codegen/macros/tests/ui/models/tiny.overlay.toml",
    operations = [PutThing],
);

fn request(name: &str) -> PutThingRequest {
    PutThingRequest {
        name: name.to_owned(),
        size: None,
        color: None,
        secret: None,
    }
}

fn main() {
    // A valid request has no violation and no error.
    let valid = PutThingRequest {
        size: Some(7),
        color: Some(Color::Green),
        ..request("apple")
    };
    assert_eq!(valid.validate(), vec![]);
    assert_eq!(aws_error(&valid.validate()), None);

    // Shape constraints: every violation, in model order, formatted as AWS does.
    let invalid = PutThingRequest {
        size: Some(500),
        color: Some(Color::from("blue")),
        secret: Some("abc".to_owned()),
        ..request("Apple")
    };
    let violations = invalid.validate();
    assert_eq!(violations.len(), 4, "{violations:#?}");
    let error = aws_error(&violations).expect("an error");
    assert_eq!(error.code, "ValidationException");
    assert_eq!(
        error.message,
        "4 validation errors detected: \
         Value 'Apple' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z]+$; \
         Value '500' at 'size' failed to satisfy constraint: Member must have value less than or equal to 100; \
         Value 'blue' at 'color' failed to satisfy constraint: Member must satisfy enum value set: [red, green]; \
         Value at 'secret' failed to satisfy constraint: Member must have length greater than or equal to 4"
    );

    // The overlay's rule runs after shape constraints, with its own code and message.
    let big = PutThingRequest {
        size: Some(60),
        ..request("apple")
    };
    let error = aws_error(&big.validate()).expect("the rule fires");
    assert_eq!(error.code, "ConflictException");
    assert_eq!(error.message, "A thing of size 60 needs a color.");

    // Decoding JSON and the operation metadata.
    let decoded: PutThingRequest =
        serde_json::from_value(serde_json::json!({ "Name": "pear", "Color": "red" })).unwrap();
    assert_eq!(decoded.color, Some(Color::Red));
    let violations = validate_input(
        "PutThing",
        serde_json::json!({ "Size": 0 }),
        Default::default(),
    )
    .expect("a known operation")
    .expect("decodes");
    let error = aws_error(&violations).expect("an error");
    assert_eq!(
        error.message,
        "2 validation errors detected: \
         Value null at 'name' failed to satisfy constraint: Member must not be null; \
         Value '0' at 'size' failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
    let put = operations::by_name("PutThing").expect("metadata");
    assert_eq!((put.method, put.uri, put.success_code), ("PUT", "/things/{Name}", 201));
    assert_eq!(put.errors[0].name, "ConflictException");
    assert_eq!(put.errors[0].status, 409);
    assert_eq!(
        operation_errors::PutThingError::ConflictException(ConflictException { message: None })
            .code(),
        "ConflictException"
    );
}
