// Every kind of shape the generator supports, compiled and used: a recursive structure, a
// union, an intEnum, a map with enum keys, a list of structures, required, sensitive and
// jsonName members, a timestamp, a document and a blob.
conform_macros::models!(
    model = "../../../../codegen/macros/tests/ui/models/features.json",
    operations = [PutRecord],
);

use std::collections::BTreeMap;

fn main() {
    let json = serde_json::json!({
        "Id": "r1",
        "Node": { "Name": "a", "Next": { "Name": "b" }, "Children": [{ "Name": "c" }] },
        "Choice": { "Count": 3 },
        "Level": 10,
        "Weights": { "red": 2, "dark-blue": 1 },
        "Items": [{ "Sku": "ABC" }],
        "Token": "12345678",
        "user_name": "ann",
        "When": 1700000000,
        "Doc": { "any": ["thing", 1] },
        "Data": "aGk="
    });
    let record: Record = serde_json::from_value(json.clone()).expect("decodes");
    assert_eq!(record.validate(), vec![]);
    assert_eq!(serde_json::to_value(&record).unwrap(), json);

    // The recursive member is boxed; the union is an enum; unknown enum values are kept.
    let next: &Option<Box<Node>> = &record.node.as_ref().unwrap().next;
    assert_eq!(next.as_ref().unwrap().name.as_deref(), Some("b"));
    assert_eq!(record.choice, Some(Choice::Count(3)));
    assert_eq!(record.level, Some(Level::High));
    assert_eq!(Level::from(7), Level::Unknown(7));
    let weights: &BTreeMap<Color, i32> = record.weights.as_ref().unwrap();
    assert_eq!(weights[&Color::DarkBlue], 1);
    assert_eq!(record.user_name.as_deref(), Some("ann"));
    assert_eq!(record.when.map(|t| t.seconds()), Some(1700000000.0));

    // Violations at every depth, in model order, with the sensitive value withheld.
    let bad: Record = serde_json::from_value(serde_json::json!({
        "Id": "r2",
        "Node": { "Next": { "Name": "long" } },
        "Choice": { "Count": 12 },
        "Level": 5,
        "Weights": { "green": 0 },
        "Items": [{ "Sku": "abc" }, { "Sku": "XYZ" }, { "Sku": "DEF" }],
        "Token": "short",
        "Data": "123456789"
    }))
    .expect("decodes: bad values are validation errors, not parse errors");
    let error = aws_error(&bad.validate()).expect("an error");
    assert_eq!(
        error.message,
        "9 validation errors detected: \
         Value 'long' at 'node.next.name' failed to satisfy constraint: Member must have length less than or equal to 3; \
         Value '12' at 'choice.count' failed to satisfy constraint: Member must have value less than or equal to 9; \
         Value '5' at 'level' failed to satisfy constraint: Member must satisfy enum value set: [1, 10]; \
         Value '{green=0}' at 'weights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy enum value set: [red, dark-blue]]; \
         Value '{green=0}' at 'weights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value greater than or equal to 1]; \
         Value '[{Sku=abc}, {Sku=XYZ}, {Sku=DEF}]' at 'items' failed to satisfy constraint: Member must have length less than or equal to 2; \
         Value 'abc' at 'items.1.member.sku' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[A-Z]{3}$; \
         Value at 'token' failed to satisfy constraint: Member must have length greater than or equal to 8; \
         Value '123456789' at 'data' failed to satisfy constraint: Member must have length less than or equal to 8"
    );
}
