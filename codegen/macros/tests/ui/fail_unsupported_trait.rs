// `smithy.api#xmlName` is not supported: the error names the file, line, shape and trait.
conform_macros::models!(
    model = "../../../../codegen/macros/tests/ui/models/xml_name.json",
    operations = [PutThing],
);

fn main() {}
