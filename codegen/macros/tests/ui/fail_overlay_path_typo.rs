// The overlay's rule names `Colour`, which the model does not have: the error names the
// overlay's line, the rule and the path.
conform_macros::models!(
    model = "../../../../codegen/macros/tests/ui/models/tiny.json",
    overlay = "../../../../codegen/macros/tests/ui/models/typo.overlay.toml",
    operations = [PutThing],
);

fn main() {}
