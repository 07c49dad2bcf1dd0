// A misspelt argument: the error points at it and lists the arguments there are.
conform_macros::models!(
    modle = "../../../../codegen/macros/tests/ui/models/tiny.json",
    operations = [PutThing],
);

fn main() {}
