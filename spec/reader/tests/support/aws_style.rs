//! Builds a deterministic Smithy JSON AST document shaped like AWS's Lambda model as the census in
//! `shared/reference/smithy-json-ast.md` counts it: 664 shapes of the same types, every trait of
//! the census on shapes and members, operations reachable only through resources, about 1 MB.
//! Names and text are generated; nothing is copied from AWS's model.
#![allow(dead_code)] // each test binary and the bench use a different part

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

pub const NS: &str = "com.amazonaws.awsstyle";
pub const SERVICE_NAME: &str = "AWSStyleService";

pub fn id(name: &str) -> String {
    format!("{NS}#{name}")
}

/// The generated document and what the generator knows about it, the tests' oracle.
pub struct AwsStyle {
    pub json: String,
    /// Shapes by Smithy type, as generated.
    pub counts: BTreeMap<String, usize>,
    /// Every operation id.
    pub operations: Vec<String>,
    /// Operations the service lists directly.
    pub service_operations: Vec<String>,
    /// Operations only a resource (or a nested resource) lists.
    pub resource_only: Vec<String>,
    /// For each shape, the ids it refers to: member targets, operation input, output and errors.
    pub references: BTreeMap<String, BTreeSet<String>>,
}

impl AwsStyle {
    /// Every shape reachable from `root` through the recorded references, `root` included.
    pub fn closure(&self, root: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut pending = vec![root.to_owned()];
        while let Some(next) = pending.pop() {
            if seen.insert(next.clone()) {
                pending.extend(self.references.get(&next).into_iter().flatten().cloned());
            }
        }
        seen
    }
}

/// One resource: its name, URI segment, own identifier (member name and target) and parent.
struct Res {
    name: &'static str,
    plural: &'static str,
    ident: &'static str,
    parent: Option<usize>,
}

const RESOURCES: [Res; 10] = [
    Res {
        name: "Function",
        plural: "functions",
        ident: "FunctionName",
        parent: None,
    },
    Res {
        name: "Alias",
        plural: "aliases",
        ident: "Name",
        parent: Some(0),
    },
    Res {
        name: "Version",
        plural: "versions",
        ident: "Qualifier",
        parent: Some(0),
    },
    Res {
        name: "UrlConfig",
        plural: "url-configs",
        ident: "UrlId",
        parent: Some(0),
    },
    Res {
        name: "ConcurrencyConfig",
        plural: "concurrency-configs",
        ident: "ConfigId",
        parent: Some(0),
    },
    Res {
        name: "Layer",
        plural: "layers",
        ident: "LayerName",
        parent: None,
    },
    Res {
        name: "LayerVersion",
        plural: "layer-versions",
        ident: "VersionNumber",
        parent: Some(5),
    },
    Res {
        name: "EventSourceMapping",
        plural: "event-source-mappings",
        ident: "UUID",
        parent: None,
    },
    Res {
        name: "CodeSigningConfig",
        plural: "code-signing-configs",
        ident: "CodeSigningConfigId",
        parent: None,
    },
    Res {
        name: "CapacityProvider",
        plural: "capacity-providers",
        ident: "CapacityProviderName",
        parent: None,
    },
];

/// Resources with three extra `operations` each.
const POLICY_RESOURCES: [usize; 5] = [0, 1, 5, 7, 8];

const WORDS: &[&str] = &[
    "function",
    "event",
    "source",
    "mapping",
    "batch",
    "record",
    "stream",
    "queue",
    "invocation",
    "configuration",
    "version",
    "alias",
    "layer",
    "concurrency",
    "timeout",
    "memory",
    "role",
    "permission",
    "policy",
    "resource",
    "identifier",
    "account",
    "region",
    "retry",
    "destination",
    "filter",
    "pattern",
    "window",
    "setting",
    "value",
    "request",
    "response",
    "limit",
    "quota",
    "consumer",
    "cluster",
    "broker",
    "topic",
    "partition",
    "shard",
    "payload",
    "runtime",
    "handler",
    "environment",
    "variable",
    "signing",
    "profile",
    "artifact",
    "capacity",
    "provider",
    "scaling",
    "metric",
    "log",
    "trace",
    "network",
    "subnet",
    "security",
    "group",
    "encryption",
    "key",
    "state",
    "transition",
    "reason",
    "update",
    "create",
    "delete",
    "list",
    "describe",
    "maximum",
    "minimum",
    "default",
    "optional",
    "required",
    "asynchronous",
    "synchronous",
    "ordered",
    "stale",
];

const TOPICS: [&str; 13] = [
    "Runtimes",
    "Quotas",
    "Regions",
    "Architectures",
    "Networks",
    "Metrics",
    "Limits",
    "Signing",
    "Storage",
    "Logging",
    "Tracing",
    "Billing",
    "Features",
];

struct Gen {
    shapes: BTreeMap<String, Value>,
    references: BTreeMap<String, BTreeSet<String>>,
    state: u64,
}

impl Gen {
    /// splitmix64: deterministic and good enough to vary the text.
    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }

    fn sentence(&mut self) -> String {
        let length = 5 + self.below(7);
        let mut words: Vec<String> = (0..length).map(|_| self.word().to_owned()).collect();
        if self.below(3) == 0 {
            let at = self.below(length);
            words[at] = format!("<code>{}</code>", words[at]);
        }
        let mut text = words.join(" ");
        text[..1].make_ascii_uppercase();
        text.push('.');
        text
    }

    /// Documentation in the HTML style of AWS's models, roughly `size` paragraphs long.
    fn doc(&mut self, lead: &str, size: usize) -> String {
        let mut html = format!("<p>{lead}. {}</p>", self.sentence());
        for paragraph in 0..size {
            match (paragraph + self.below(4)) % 4 {
                0 => {
                    html.push_str(" <ul> ");
                    for _ in 0..2 + self.below(4) {
                        html.push_str(&format!(
                            "<li> <p> <b>{}</b> – {}</p> </li> ",
                            self.word(),
                            self.sentence()
                        ));
                    }
                    html.push_str("</ul>");
                }
                1 => {
                    let slug = format!("{}-{}", self.word(), self.word());
                    html.push_str(&format!(
                        " <p>{} For more information, see <a href=\"https://docs.example.com/awsstyle/latest/dg/{slug}.html\">{slug}</a>.</p>",
                        self.sentence()
                    ));
                }
                2 => html.push_str(&format!(
                    " <note> <p>{} {}</p> </note>",
                    self.sentence(),
                    self.sentence()
                )),
                _ => html.push_str(&format!(" <p>{} {}</p>", self.sentence(), self.sentence())),
            }
        }
        html
    }

    /// Adds a shape; every shape carries `smithy.api#tags`, as in the census.
    fn add(&mut self, name: &str, mut shape: Value) -> String {
        let shape_id = id(name);
        let traits = shape
            .as_object_mut()
            .expect("a shape is an object")
            .entry("traits")
            .or_insert_with(|| json!({}));
        traits
            .as_object_mut()
            .expect("traits are an object")
            .insert("smithy.api#tags".into(), json!(["awsstyle"]));
        let previous = self.shapes.insert(shape_id.clone(), shape);
        assert!(previous.is_none(), "generated {shape_id} twice");
        shape_id
    }

    fn refer(&mut self, owner: &str, target: &str) {
        self.references
            .entry(owner.to_owned())
            .or_default()
            .insert(target.to_owned());
    }

    /// A member value; every member carries `smithy.api#tags`, most carry documentation.
    fn member(&mut self, owner: &str, target: &str, mut traits: Map<String, Value>) -> Value {
        self.refer(owner, target);
        traits.insert("smithy.api#tags".into(), json!(["awsstyle"]));
        if !traits.contains_key("smithy.api#documentation") && self.below(4) != 0 {
            let lead = format!("The {} of the {}", self.word(), self.word());
            traits.insert("smithy.api#documentation".into(), json!(self.doc(&lead, 0)));
        }
        json!({"target": target, "traits": traits})
    }
}

fn traits(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

/// Builds the model.
pub fn generate() -> AwsStyle {
    let mut g = Gen {
        shapes: BTreeMap::new(),
        references: BTreeMap::new(),
        state: 0x5EED_1A3B_DA7A_0001,
    };

    // --- Scalars ---------------------------------------------------------------------------
    let mut strings: Vec<String> = Vec::new();
    let string_shape = |g: &mut Gen, name: &str, extra: &[(&str, Value)]| {
        let mut t = traits(extra);
        if g.below(2) == 0 && !t.contains_key("smithy.api#documentation") {
            let size = g.below(2);
            t.insert(
                "smithy.api#documentation".into(),
                json!(g.doc(&format!("A {name}"), size)),
            );
        }
        g.add(name, json!({"type": "string", "traits": t}))
    };
    strings.push(string_shape(&mut g, "String", &[]));
    strings.push(string_shape(
        &mut g,
        "Arn",
        &[("smithy.api#pattern", json!("arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)"))],
    ));
    strings.push(string_shape(
        &mut g,
        "TagKey",
        &[("smithy.api#length", json!({"min": 1, "max": 128}))],
    ));
    strings.push(string_shape(
        &mut g,
        "TagValue",
        &[("smithy.api#length", json!({"min": 0, "max": 256}))],
    ));
    strings.push(string_shape(
        &mut g,
        "Description",
        &[("smithy.api#length", json!({"min": 0, "max": 256}))],
    ));
    strings.push(string_shape(
        &mut g,
        "Qualifier",
        &[
            ("smithy.api#length", json!({"min": 1, "max": 128})),
            ("smithy.api#pattern", json!("^(|[a-zA-Z0-9$_-]+)$")),
        ],
    ));
    strings.push(string_shape(
        &mut g,
        "SensitiveString",
        &[("smithy.api#sensitive", json!({}))],
    ));
    strings.push(string_shape(
        &mut g,
        "PolicyDocument",
        &[
            ("aws.api#data", json!("permissions")),
            ("smithy.api#length", json!({"min": 1, "max": 20480})),
        ],
    ));
    // Resource identifiers and ARNs.
    for (index, r) in RESOURCES.iter().enumerate() {
        let max = 64 + 8 * index as u64;
        strings.push(string_shape(
            &mut g,
            &format!("{}Name", r.name),
            &[
                ("smithy.api#length", json!({"min": 1, "max": max})),
                (
                    "smithy.api#pattern",
                    json!(format!("^[a-zA-Z0-9-_]{{1,{max}}}$")),
                ),
            ],
        ));
        strings.push(string_shape(
            &mut g,
            &format!("{}Arn", r.name),
            &[
                ("smithy.api#length", json!({"min": 20, "max": 200 + index})),
                ("smithy.api#pattern", json!(format!("arn:(aws[a-zA-Z-]*)?:awsstyle:[a-z]{{2}}(-gov)?-[a-z]+-\\d{{1}}:\\d{{12}}:{}:.+", r.plural))),
            ],
        ));
    }
    while strings.len() < 100 {
        let k = strings.len();
        let mut extra = Vec::new();
        if k % 10 < 6 {
            extra.push((
                "smithy.api#length",
                json!({"min": k % 3, "max": 64 * (1 + k % 5)}),
            ));
        }
        if k % 10 < 5 {
            extra.push((
                "smithy.api#pattern",
                json!(["[\\s\\S]*", "^[a-z0-9.-]+$", "^\\S+$", "[a-zA-Z0-9-_]+"][k % 4]),
            ));
        }
        if k % 9 == 0 {
            extra.push(("smithy.api#sensitive", json!({})));
        }
        if k % 31 == 0 {
            extra.push(("aws.api#data", json!(["content", "tagging"][k % 2])));
        }
        if k % 11 == 0 {
            extra.push(("smithy.api#suppress", json!(["PatternTrait"])));
        }
        if k == 50 {
            extra.push((
                "smithy.api#deprecated",
                json!({"message": "Use the newer setting.", "since": "2021-01-01"}),
            ));
        }
        strings.push(string_shape(&mut g, &format!("Setting{k}Value"), &extra));
    }

    let mut integers = Vec::new();
    integers.push(g.add("Integer", json!({"type": "integer"})));
    integers.push(g.add(
        "MaxListItems",
        json!({"type": "integer", "traits": {"smithy.api#range": {"min": 1, "max": 10000}}}),
    ));
    integers.push(g.add(
        "BatchSize",
        json!({"type": "integer", "traits": {"smithy.api#range": {"min": 1, "max": 10000}}}),
    ));
    while integers.len() < 36 {
        let k = integers.len();
        let mut t = Map::new();
        if k % 8 != 7 {
            let min = [-1, 0, 1, 60][k % 4];
            t.insert(
                "smithy.api#range".into(),
                json!({"min": min, "max": 100 * k as i64}),
            );
        }
        if k % 5 == 0 {
            t.insert("smithy.api#default".into(), json!(0));
        }
        if k % 3 == 0 {
            t.insert(
                "smithy.api#documentation".into(),
                json!(g.doc("A count", 0)),
            );
        }
        integers.push(g.add(
            &format!("Limit{k}"),
            json!({"type": "integer", "traits": t}),
        ));
    }
    let mut booleans = Vec::new();
    booleans.push(g.add("Boolean", json!({"type": "boolean"})));
    booleans.push(g.add("NullableBoolean", json!({"type": "boolean"})));
    for k in 2..10 {
        let t = if k < 5 {
            json!({"smithy.api#default": false})
        } else {
            json!({})
        };
        booleans.push(g.add(&format!("Flag{k}"), json!({"type": "boolean", "traits": t})));
    }
    let longs = [
        g.add("Long", json!({"type": "long"})),
        g.add("ByteCount", json!({"type": "long", "traits": {"smithy.api#range": {"min": 0, "max": 10_737_418_240_i64}}})),
    ];
    let doubles = [
        g.add("Double", json!({"type": "double"})),
        g.add(
            "Ratio",
            json!({"type": "double", "traits": {"smithy.api#range": {"min": 0.0, "max": 1.0}}}),
        ),
        g.add(
            "Weight",
            json!({"type": "double", "traits": {"smithy.api#range": {"min": 0.5}}}),
        ),
    ];
    let timestamps = [
        g.add("Timestamp", json!({"type": "timestamp"})),
        g.add("Date", json!({"type": "timestamp"})),
    ];
    let blob = g.add(
        "Blob",
        json!({"type": "blob", "traits": {"smithy.api#sensitive": {}}}),
    );
    let blob_stream = g.add(
        "BlobStream",
        json!({"type": "blob", "traits": {"smithy.api#streaming": {}, "smithy.api#sensitive": {}}}),
    );
    let zip_blob = g.add(
        "ZipBlob",
        json!({"type": "blob", "traits": {"smithy.api#sensitive": {}, "smithy.api#length": {"max": 52_428_800}}}),
    );

    // --- Enums -----------------------------------------------------------------------------
    let mut enums = Vec::new();
    for k in 0..45 {
        let mut members = Map::new();
        let variants = 3 + (k * 7) % 7;
        for v in 0..variants {
            // Every third enum has variant names that differ from the wire values.
            let (name, value) = if k % 3 == 0 {
                (format!("Kind{k}V{v}_X"), format!("kind{k}.v{v}.x"))
            } else {
                (format!("KIND{k}_VALUE{v}"), format!("KIND{k}_VALUE{v}"))
            };
            let owner = id(&format!("Choice{k}"));
            let mut t = traits(&[("smithy.api#enumValue", json!(value))]);
            if v == 0 && k % 2 == 0 {
                t.insert(
                    "smithy.api#documentation".into(),
                    json!(g.doc("The first choice", 0)),
                );
            }
            let member = g.member(&owner, "smithy.api#Unit", t);
            members.insert(name, member);
        }
        // Enum members target Unit; the reader does not follow them, so neither does the oracle.
        g.references.remove(&id(&format!("Choice{k}")));
        let mut t = Map::new();
        if k % 4 == 0 {
            t.insert(
                "smithy.api#documentation".into(),
                json!(g.doc("A choice", 1)),
            );
        }
        if k == 44 {
            t.insert(
                "smithy.api#deprecated".into(),
                json!({"message": "No longer used."}),
            );
        }
        enums.push(g.add(
            &format!("Choice{k}"),
            json!({"type": "enum", "members": members, "traits": t}),
        ));
    }

    // --- Names of structures, lists and maps, decided up front ---------------------------------
    let configurations: Vec<String> = RESOURCES
        .iter()
        .map(|r| id(&format!("{}Configuration", r.name)))
        .collect();
    let data_count = 317 - 56 - 85 - 48;
    let fixed_data = configurations.len() + 3; // configurations, two event payloads, Policy
    let groups: Vec<Vec<String>> = {
        let mut groups = vec![Vec::new(); 10];
        for k in 0..data_count - fixed_data {
            groups[k % 10].push(id(&format!("{}Detail{}", RESOURCES[k % 10].name, k / 10)));
        }
        groups
    };
    // Lists over data structures: ten of configurations, fifteen of detail structures.
    let detail_lists: BTreeSet<String> = groups
        .iter()
        .flat_map(|group| group.iter().skip(1).take(2))
        .take(15)
        .cloned()
        .collect();
    let list_of = |target: &str| format!("{target}List");

    // --- Leaf pool: what filler members target --------------------------------------------------
    let mut string_lists = Vec::new();
    for k in 0..10 {
        let target = if k == 0 {
            &strings[2]
        } else {
            &strings[20 + k * 3]
        };
        let name = format!("{}List", &target[NS.len() + 1..]);
        let owner = id(&name);
        let mut t = Map::new();
        if k % 2 == 0 {
            t.insert("smithy.api#length".into(), json!({"min": 0, "max": 1 + k}));
        }
        let member = g.member(&owner, target, Map::new());
        string_lists.push(g.add(
            &name,
            json!({"type": "list", "member": member, "traits": t}),
        ));
    }
    let tag_key_list = string_lists[0].clone();
    let mut enum_lists = Vec::new();
    for k in 0..10 {
        let target = enums[k * 4].clone();
        let name = format!("Choice{}List", k * 4);
        let owner = id(&name);
        let member = g.member(&owner, &target, Map::new());
        let t = if k % 3 == 0 {
            json!({"smithy.api#length": {"min": 0, "max": 1}})
        } else {
            json!({})
        };
        enum_lists.push(g.add(
            &name,
            json!({"type": "list", "member": member, "traits": t}),
        ));
    }
    let tags_map = {
        let owner = id("Tags");
        let key = g.member(&owner, &strings[2], Map::new());
        let value = g.member(&owner, &strings[3], Map::new());
        g.add("Tags", json!({"type": "map", "key": key, "value": value, "traits": {"smithy.api#length": {"max": 50}}}))
    };
    let env_map = {
        let owner = id("EnvironmentVariables");
        let key = g.member(&owner, &strings[6], Map::new());
        let value = g.member(&owner, &strings[6], Map::new());
        g.add("EnvironmentVariables", json!({"type": "map", "key": key, "value": value, "traits": {"smithy.api#sensitive": {}}}))
    };
    let endpoints_map = {
        let owner = id("EndpointLists");
        let key = g.member(&owner, &enums[1], Map::new());
        let value = g.member(&owner, &string_lists[1], Map::new());
        g.add(
            "EndpointLists",
            json!({"type": "map", "key": key, "value": value}),
        )
    };
    let settings_map = {
        let owner = id("SettingsByName");
        let key = g.member(&owner, &strings[0], Map::new());
        let value = g.member(&owner, &groups[9][0], Map::new());
        g.add(
            "SettingsByName",
            json!({"type": "map", "key": key, "value": value}),
        )
    };

    let mut leaves: Vec<String> = Vec::new();
    leaves.extend(strings.iter().skip(8).cloned());
    leaves.extend(integers.iter().skip(1).cloned());
    leaves.extend(enums.iter().cloned());
    leaves.extend(booleans.iter().cloned());
    leaves.extend(string_lists.iter().cloned());
    leaves.extend(enum_lists.iter().cloned());
    leaves.extend(longs.iter().cloned());
    leaves.extend(doubles.iter().cloned());
    leaves.extend(timestamps.iter().cloned());
    leaves.push(zip_blob.clone());
    leaves.push(env_map.clone());
    leaves.push(endpoints_map.clone());
    leaves.push(settings_map.clone());
    let mut next_leaf = 0usize;
    let mut take_leaf = move || {
        let leaf = leaves[next_leaf % leaves.len()].clone();
        next_leaf += 1;
        leaf
    };
    fn member_name(target: &str, taken: &Map<String, Value>) -> String {
        let base = target
            .rsplit_once('#')
            .map_or(target, |(_, n)| n)
            .to_owned();
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains_key(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        name
    }

    // --- Data structures ------------------------------------------------------------------------
    let mut lists_of_structures = Vec::new();
    for (index, group) in groups.iter().enumerate() {
        for (position, name) in group.iter().enumerate() {
            let mut members = Map::new();
            for child in [2 * position + 1, 2 * position + 2] {
                if let Some(child) = group.get(child) {
                    let target = if detail_lists.contains(child) {
                        list_of(child)
                    } else {
                        child.clone()
                    };
                    let member = g.member(name, &target, Map::new());
                    members.insert(member_name(child, &members), member);
                }
            }
            for _ in 0..2 + (index + position) % 4 {
                let leaf = take_leaf();
                let mut t = Map::new();
                if position == 0 && members.is_empty() {
                    t.insert("smithy.api#required".into(), json!({}));
                }
                let member = g.member(name, &leaf, t);
                members.insert(member_name(&leaf, &members), member);
            }
            let mut t = Map::new();
            if position % 3 == 0 {
                t.insert(
                    "smithy.api#documentation".into(),
                    json!(g.doc("Settings", 1)),
                );
            }
            g.add(
                &name[NS.len() + 1..],
                json!({"type": "structure", "members": members, "traits": t}),
            );
        }
    }
    for child in &detail_lists {
        let name = list_of(child);
        let member = g.member(&name, child, Map::new());
        let t = if lists_of_structures.len() % 2 == 0 {
            json!({"smithy.api#length": {"min": 0, "max": 22}})
        } else {
            json!({})
        };
        lists_of_structures.push(g.add(
            &name[NS.len() + 1..],
            json!({"type": "list", "member": member, "traits": t}),
        ));
    }
    for (index, r) in RESOURCES.iter().enumerate() {
        let name = &configurations[index];
        let mut members = Map::new();
        let ident = strings[8 + 2 * index].clone();
        let member = g.member(name, &ident, Map::new());
        members.insert(r.ident.to_owned(), member);
        let member = g.member(name, &strings[9 + 2 * index], Map::new());
        members.insert(format!("{}Arn", r.name), member);
        let member = g.member(name, &groups[index][0], Map::new());
        members.insert("Details".into(), member);
        let member = g.member(name, &timestamps[0], Map::new());
        members.insert("LastModified".into(), member);
        for _ in 0..4 {
            let leaf = take_leaf();
            let member = g.member(name, &leaf, Map::new());
            members.insert(member_name(&leaf, &members), member);
        }
        let t = json!({"smithy.api#documentation": g.doc(&format!("The configuration of a {}", r.name), 2)});
        g.add(
            &name[NS.len() + 1..],
            json!({"type": "structure", "members": members, "traits": t}),
        );
        let list_name = list_of(name);
        let member = g.member(&list_name, name, Map::new());
        lists_of_structures.push(g.add(
            &list_name[NS.len() + 1..],
            json!({"type": "list", "member": member}),
        ));
    }
    // The event stream: a union whose members carry event payloads.
    let chunk = {
        let owner = id("PayloadChunkEvent");
        let payload = g.member(
            &owner,
            &blob,
            traits(&[("smithy.api#eventPayload", json!({}))]),
        );
        g.add(
            "PayloadChunkEvent",
            json!({"type": "structure", "members": {"Payload": payload}}),
        )
    };
    let complete = {
        let owner = id("CompleteEvent");
        let code = g.member(&owner, &strings[0], Map::new());
        let log = g.member(&owner, &strings[0], Map::new());
        g.add(
            "CompleteEvent",
            json!({"type": "structure", "members": {"ErrorCode": code, "LogResult": log}}),
        )
    };
    let stream = {
        let owner = id("ResponseStream");
        let a = g.member(&owner, &chunk, Map::new());
        let b = g.member(&owner, &complete, Map::new());
        g.add(
            "ResponseStream",
            json!({"type": "union", "members": {"PayloadChunk": a, "InvokeComplete": b}, "traits": {"smithy.api#streaming": {}}}),
        )
    };
    let policy = {
        let owner = id("Policy");
        let document = g.member(
            &owner,
            &strings[7],
            traits(&[("smithy.api#required", json!({}))]),
        );
        let revision = g.member(&owner, &strings[0], Map::new());
        g.add(
            "Policy",
            json!({"type": "structure", "members": {"Document": document, "RevisionId": revision}}),
        )
    };

    // --- Errors ---------------------------------------------------------------------------------
    const ERROR_STEMS: [&str; 14] = [
        "InvalidParameterValue",
        "ResourceNotFound",
        "Service",
        "TooManyRequests",
        "ResourceConflict",
        "ResourceInUse",
        "PreconditionFailed",
        "CodeStorageExceeded",
        "PolicyLengthExceeded",
        "InvalidRequestContent",
        "Unsupported",
        "KMSAccessDenied",
        "EC2Unexpected",
        "SubnetIPAddressLimitReached",
    ];
    const ERROR_KINDS: [&str; 4] = ["", "Limit", "State", "Access"];
    let mut errors = Vec::new();
    for k in 0..56 {
        let name = format!("{}{}Exception", ERROR_STEMS[k % 14], ERROR_KINDS[k / 14]);
        let owner = id(&name);
        let server = k % 14 == 2 || k % 14 == 12;
        let status = if server {
            500 + (k % 4) as u64
        } else {
            [400, 404, 409, 429, 403, 412, 413][k % 7]
        };
        let mut members = Map::new();
        let member = g.member(&owner, &strings[0], Map::new());
        members.insert("Type".into(), member);
        let member = g.member(&owner, &strings[0], Map::new());
        // The case of the message key differs between AWS's errors.
        members.insert(
            if k % 2 == 0 { "message" } else { "Message" }.into(),
            member,
        );
        if k == 3 {
            let member = g.member(
                &owner,
                &strings[0],
                traits(&[("smithy.api#httpHeader", json!("Retry-After"))]),
            );
            members.insert("retryAfterSeconds".into(), member);
        }
        if k % 14 == 6 {
            let member = g.member(&owner, &enums[7], Map::new());
            members.insert("Reason".into(), member);
        }
        let mut t = traits(&[
            (
                "smithy.api#error",
                json!(if server { "server" } else { "client" }),
            ),
            ("smithy.api#httpError", json!(status)),
        ]);
        if k % 5 == 0 {
            t.insert(
                "smithy.api#documentation".into(),
                json!(g.doc("The request failed", 0)),
            );
        }
        errors.push(g.add(
            &name,
            json!({"type": "structure", "members": members, "traits": t}),
        ));
    }

    // --- Operations -----------------------------------------------------------------------------
    struct Op {
        name: String,
        method: &'static str,
        uri: String,
        code: u16,
        /// label members, each `(name, target)`.
        labels: Vec<(String, String)>,
        extra_input: Vec<(String, Value, String)>,
        output: Output,
        readonly: bool,
        idempotent: bool,
        paginated: bool,
    }
    enum Output {
        Unit,
        Shared(String),
        Own(Vec<(String, Value, String)>),
    }
    let mut ops: Vec<Op> = Vec::new();
    let mut resource_ops: Vec<Vec<String>> = vec![Vec::new(); 10]; // create, read, update, delete, list, then extras
    let labels_of = |index: usize| -> Vec<(String, String)> {
        let mut chain = Vec::new();
        let mut at = Some(index);
        while let Some(i) = at {
            chain.push((
                RESOURCES[i].ident.to_owned(),
                id(&format!("{}Name", RESOURCES[i].name)),
            ));
            at = RESOURCES[i].parent;
        }
        chain.reverse();
        chain
    };
    let collection_uri = |index: usize| -> String {
        let r = &RESOURCES[index];
        match r.parent {
            Some(p) => format!(
                "/2015-03-31/{}/{{{}}}/{}",
                RESOURCES[p].plural, RESOURCES[p].ident, r.plural
            ),
            None => format!("/2015-03-31/{}", r.plural),
        }
    };
    let no_traits = || json!({});
    for (index, r) in RESOURCES.iter().enumerate() {
        let labels = labels_of(index);
        let parent_labels = labels[..labels.len() - 1].to_vec();
        let item_uri = format!("{}/{{{}}}", collection_uri(index), r.ident);
        let own_ident = labels.last().expect("own identifier").clone();
        // Create: the new identifier goes in the body; four nested resources name it differently.
        let mut create_extra = Vec::new();
        if r.parent == Some(0) {
            create_extra.push((
                format!("{}Name", r.name),
                json!({"smithy.api#required": {}, "smithy.api#resourceIdentifier": r.ident}),
                own_ident.1.clone(),
            ));
        } else {
            create_extra.push((
                r.ident.to_owned(),
                json!({"smithy.api#required": {}}),
                own_ident.1.clone(),
            ));
        }
        if index == 0 {
            create_extra.push((
                "ClientToken".into(),
                json!({"smithy.api#idempotencyToken": {}}),
                strings[0].clone(),
            ));
            create_extra.push((
                "Code".into(),
                json!({"smithy.api#length": {"min": 1, "max": 1024}}),
                zip_blob.clone(),
            ));
        }
        create_extra.push(("Tags".into(), no_traits(), tags_map.clone()));
        ops.push(Op {
            name: format!("Create{}", r.name),
            method: "POST",
            uri: collection_uri(index),
            code: 201,
            labels: parent_labels.clone(),
            extra_input: create_extra,
            output: Output::Shared(configurations[index].clone()),
            readonly: false,
            idempotent: false,
            paginated: false,
        });
        ops.push(Op {
            name: format!("Get{}", r.name),
            method: "GET",
            uri: item_uri.clone(),
            code: 200,
            labels: labels.clone(),
            extra_input: vec![(
                "Qualifier".into(),
                json!({"smithy.api#httpQuery": "Qualifier"}),
                strings[5].clone(),
            )],
            output: Output::Own(vec![
                (
                    "Configuration".into(),
                    no_traits(),
                    configurations[index].clone(),
                ),
                ("Tags".into(), no_traits(), tags_map.clone()),
            ]),
            readonly: true,
            idempotent: false,
            paginated: false,
        });
        ops.push(Op {
            name: format!("Update{}", r.name),
            method: "PUT",
            uri: item_uri.clone(),
            code: 200,
            labels: labels.clone(),
            extra_input: vec![
                ("Description".into(), no_traits(), strings[4].clone()),
                // A member range narrower than the target's.
                (
                    "BatchSize".into(),
                    json!({"smithy.api#range": {"min": 1, "max": 10}}),
                    integers[2].clone(),
                ),
                ("Settings".into(), no_traits(), groups[index][0].clone()),
                (
                    "RevisionId".into(),
                    json!({"smithy.api#httpHeader": "X-Amz-Revision"}),
                    strings[0].clone(),
                ),
            ],
            output: Output::Shared(configurations[index].clone()),
            readonly: false,
            idempotent: true,
            paginated: false,
        });
        ops.push(Op {
            name: format!("Delete{}", r.name),
            method: "DELETE",
            uri: item_uri.clone(),
            code: 204,
            labels: labels.clone(),
            extra_input: vec![(
                "Qualifier".into(),
                json!({"smithy.api#httpQuery": "Qualifier"}),
                strings[5].clone(),
            )],
            output: Output::Unit,
            readonly: false,
            idempotent: true,
            paginated: false,
        });
        ops.push(Op {
            name: format!("List{}{}", r.name, if r.name.ends_with('s') { "es" } else { "s" }),
            method: "GET",
            uri: collection_uri(index),
            code: 200,
            labels: parent_labels.clone(),
            extra_input: vec![
                ("Marker".into(), json!({"smithy.api#httpQuery": "Marker"}), strings[0].clone()),
                (
                    "MaxItems".into(),
                    json!({"smithy.api#httpQuery": "MaxItems", "smithy.api#range": {"min": 1, "max": 50}}),
                    integers[1].clone(),
                ),
                (
                    "IncludeAll".into(),
                    json!({"smithy.api#httpQuery": "IncludeAll", "smithy.api#default": false}),
                    booleans[2].clone(),
                ),
            ],
            output: Output::Own(vec![
                ("NextMarker".into(), no_traits(), strings[0].clone()),
                ("Items".into(), no_traits(), id(&format!("{}ConfigurationList", r.name))),
            ]),
            readonly: true,
            idempotent: false,
            paginated: true,
        });
        let first = ops.len() - 5;
        resource_ops[index].extend(ops[first..].iter().map(|o| id(&o.name)));
        if POLICY_RESOURCES.contains(&index) {
            let policy_uri = format!("{item_uri}/policy");
            ops.push(Op {
                name: format!("Put{}Policy", r.name),
                method: "PUT",
                uri: policy_uri.clone(),
                code: 200,
                labels: labels.clone(),
                extra_input: vec![(
                    "Policy".into(),
                    json!({"smithy.api#httpPayload": {}, "smithy.api#required": {}}),
                    policy.clone(),
                )],
                output: Output::Own(vec![("RevisionId".into(), no_traits(), strings[0].clone())]),
                readonly: false,
                idempotent: true,
                paginated: false,
            });
            ops.push(Op {
                name: format!("Get{}Policy", r.name),
                method: "GET",
                uri: policy_uri.clone(),
                code: 200,
                labels: labels.clone(),
                extra_input: vec![(
                    "Qualifier".into(),
                    json!({"smithy.api#httpQuery": "Qualifier"}),
                    strings[5].clone(),
                )],
                output: Output::Own(vec![(
                    "Policy".into(),
                    json!({"smithy.api#httpPayload": {}}),
                    policy.clone(),
                )]),
                readonly: true,
                idempotent: false,
                paginated: false,
            });
            ops.push(Op {
                name: format!("Delete{}Policy", r.name),
                method: "DELETE",
                uri: policy_uri,
                code: 204,
                labels: labels.clone(),
                extra_input: vec![(
                    "RevisionId".into(),
                    json!({"smithy.api#httpQuery": "RevisionId"}),
                    strings[0].clone(),
                )],
                output: Output::Unit,
                readonly: false,
                idempotent: true,
                paginated: false,
            });
            let first = ops.len() - 3;
            resource_ops[index].extend(ops[first..].iter().map(|o| id(&o.name)));
        }
    }
    let resource_bound = ops.len();
    let arn_label = || vec![("Resource".to_owned(), id("FunctionArn"))];
    let invocation_type = enums[3].clone();
    ops.push(Op {
        name: "TagResource".into(),
        method: "POST",
        uri: "/2017-03-31/tags/{Resource}".into(),
        code: 204,
        labels: arn_label(),
        extra_input: vec![(
            "Tags".into(),
            json!({"smithy.api#required": {}}),
            tags_map.clone(),
        )],
        output: Output::Unit,
        readonly: false,
        idempotent: false,
        paginated: false,
    });
    ops.push(Op {
        name: "UntagResource".into(),
        method: "DELETE",
        uri: "/2017-03-31/tags/{Resource}".into(),
        code: 204,
        labels: arn_label(),
        extra_input: vec![(
            "TagKeys".into(),
            json!({"smithy.api#httpQuery": "tagKeys", "smithy.api#required": {}}),
            tag_key_list.clone(),
        )],
        output: Output::Unit,
        readonly: false,
        idempotent: true,
        paginated: false,
    });
    ops.push(Op {
        name: "ListTags".into(),
        method: "GET",
        uri: "/2017-03-31/tags/{Resource}".into(),
        code: 200,
        labels: arn_label(),
        extra_input: vec![],
        output: Output::Own(vec![("Tags".into(), no_traits(), tags_map.clone())]),
        readonly: true,
        idempotent: false,
        paginated: false,
    });
    ops.push(Op {
        name: "Invoke".into(),
        method: "POST",
        uri: "/2015-03-31/functions/{FunctionName}/invocations".into(),
        code: 200,
        labels: vec![("FunctionName".into(), id("FunctionName"))],
        extra_input: vec![
            (
                "InvocationType".into(),
                json!({"smithy.api#httpHeader": "X-Amz-Invocation-Type"}),
                invocation_type.clone(),
            ),
            (
                "LogType".into(),
                json!({"smithy.api#httpHeader": "X-Amz-Log-Type"}),
                enums[5].clone(),
            ),
            (
                "ClientContext".into(),
                json!({"smithy.api#httpHeader": "X-Amz-Client-Context"}),
                strings[0].clone(),
            ),
            (
                "Payload".into(),
                json!({"smithy.api#httpPayload": {}}),
                blob.clone(),
            ),
            (
                "Qualifier".into(),
                json!({"smithy.api#httpQuery": "Qualifier"}),
                strings[5].clone(),
            ),
        ],
        output: Output::Own(vec![
            (
                "StatusCode".into(),
                json!({"smithy.api#httpResponseCode": {}}),
                integers[0].clone(),
            ),
            (
                "FunctionError".into(),
                json!({"smithy.api#httpHeader": "X-Amz-Function-Error"}),
                strings[0].clone(),
            ),
            (
                "LogResult".into(),
                json!({"smithy.api#httpHeader": "X-Amz-Log-Result"}),
                strings[0].clone(),
            ),
            (
                "Payload".into(),
                json!({"smithy.api#httpPayload": {}}),
                blob.clone(),
            ),
            (
                "ExecutedVersion".into(),
                json!({"smithy.api#httpHeader": "X-Amz-Executed-Version"}),
                strings[5].clone(),
            ),
        ]),
        readonly: false,
        idempotent: false,
        paginated: false,
    });
    ops.push(Op {
        name: "InvokeAsync".into(),
        method: "POST",
        uri: "/2014-11-13/functions/{FunctionName}/invoke-async".into(),
        code: 202,
        labels: vec![("FunctionName".into(), id("FunctionName"))],
        extra_input: vec![(
            "InvokeArgs".into(),
            json!({"smithy.api#httpPayload": {}, "smithy.api#required": {}}),
            blob_stream.clone(),
        )],
        output: Output::Own(vec![(
            "Status".into(),
            json!({"smithy.api#httpResponseCode": {}}),
            integers[0].clone(),
        )]),
        readonly: false,
        idempotent: false,
        paginated: false,
    });
    ops.push(Op {
        name: "InvokeWithResponseStream".into(),
        method: "POST",
        uri: "/2021-11-15/functions/{FunctionName}/response-streaming-invocations".into(),
        code: 200,
        labels: vec![("FunctionName".into(), id("FunctionName"))],
        extra_input: vec![
            (
                "InvocationType".into(),
                json!({"smithy.api#httpHeader": "X-Amz-Invocation-Type"}),
                invocation_type,
            ),
            (
                "LogType".into(),
                json!({"smithy.api#httpHeader": "X-Amz-Log-Type"}),
                enums[5].clone(),
            ),
            (
                "ClientContext".into(),
                json!({"smithy.api#httpHeader": "X-Amz-Client-Context"}),
                strings[0].clone(),
            ),
            (
                "Payload".into(),
                json!({"smithy.api#httpPayload": {}}),
                blob.clone(),
            ),
        ],
        output: Output::Own(vec![
            (
                "StatusCode".into(),
                json!({"smithy.api#httpResponseCode": {}}),
                integers[0].clone(),
            ),
            (
                "ExecutedVersion".into(),
                json!({"smithy.api#httpHeader": "X-Amz-Executed-Version"}),
                strings[5].clone(),
            ),
            (
                "EventStream".into(),
                json!({"smithy.api#httpPayload": {}}),
                stream.clone(),
            ),
        ]),
        readonly: false,
        idempotent: false,
        paginated: false,
    });
    ops.push(Op {
        name: "GetAccountSettings".into(),
        method: "GET",
        uri: "/2016-08-19/account-settings".into(),
        code: 200,
        labels: vec![],
        extra_input: vec![],
        output: Output::Own(vec![
            ("Limits".into(), no_traits(), groups[8][0].clone()),
            ("Usage".into(), no_traits(), longs[1].clone()),
        ]),
        readonly: true,
        idempotent: false,
        paginated: false,
    });
    for (k, topic) in TOPICS.iter().enumerate() {
        let mut extra = vec![(
            "Region".into(),
            json!({"smithy.api#httpQuery": "Region"}),
            strings[0].clone(),
        )];
        if k % 4 == 0 {
            extra.push((
                "Marker".into(),
                json!({"smithy.api#httpQuery": "Marker"}),
                strings[0].clone(),
            ));
            extra.push((
                "MaxItems".into(),
                json!({"smithy.api#httpQuery": "MaxItems"}),
                integers[1].clone(),
            ));
        }
        ops.push(Op {
            name: format!("Describe{topic}"),
            method: "GET",
            uri: format!("/2020-01-01/{}", topic.to_lowercase()),
            code: 200,
            labels: vec![],
            extra_input: extra,
            output: Output::Own(vec![
                (
                    "Items".into(),
                    no_traits(),
                    lists_of_structures[k % lists_of_structures.len()].clone(),
                ),
                ("NextMarker".into(), no_traits(), strings[0].clone()),
            ]),
            readonly: true,
            idempotent: false,
            paginated: k % 4 == 0,
        });
    }
    assert_eq!(ops.len(), 85, "the census has 85 operations");

    let common_errors = &errors[..4];
    let mut operation_ids = Vec::new();
    let mut examples = 0;
    for (k, op) in ops.iter().enumerate() {
        let op_id = id(&op.name);
        operation_ids.push(op_id.clone());
        // Input.
        let input_id = id(&format!("{}Request", op.name));
        let mut members = Map::new();
        for (name, target) in &op.labels {
            let member = g.member(
                &input_id,
                target,
                traits(&[
                    ("smithy.api#httpLabel", json!({})),
                    ("smithy.api#required", json!({})),
                ]),
            );
            members.insert(name.clone(), member);
        }
        for (name, t, target) in &op.extra_input {
            let member = g.member(
                &input_id,
                target,
                t.as_object().cloned().unwrap_or_default(),
            );
            members.insert(name.clone(), member);
        }
        if op.method == "POST" || op.method == "PUT" {
            for _ in 0..k % 5 {
                let leaf = take_leaf();
                let mut t = Map::new();
                if k % 7 == 0 {
                    t.insert("smithy.api#default".into(), json!(0));
                }
                let member = g.member(
                    &input_id,
                    &leaf,
                    if leaf.contains("Limit") {
                        t
                    } else {
                        Map::new()
                    },
                );
                members.insert(member_name(&leaf, &members), member);
            }
        }
        g.add(
            &format!("{}Request", op.name),
            json!({"type": "structure", "members": members, "traits": {"smithy.api#input": {}}}),
        );
        // Output.
        let output_id = match &op.output {
            Output::Unit => "smithy.api#Unit".to_owned(),
            Output::Shared(shared) => shared.clone(),
            Output::Own(own) => {
                let output_id = id(&format!("{}Response", op.name));
                let mut members = Map::new();
                for (name, t, target) in own {
                    let member = g.member(
                        &output_id,
                        target,
                        t.as_object().cloned().unwrap_or_default(),
                    );
                    members.insert(name.clone(), member);
                }
                g.add(
                    &format!("{}Response", op.name),
                    json!({"type": "structure", "members": members, "traits": {"smithy.api#output": {}}}),
                );
                output_id
            }
        };
        // Errors: the four common ones and a rotating few of the rest.
        let mut op_errors: Vec<String> = common_errors.to_vec();
        for j in 0..(k % 4) {
            op_errors.push(errors[4 + (k * 3 + j * 17) % 52].clone());
        }
        g.refer(&op_id, &input_id);
        if output_id != "smithy.api#Unit" {
            g.refer(&op_id, &output_id);
        }
        for e in &op_errors {
            g.refer(&op_id, e);
        }
        let verb = &op.name;
        let mut t = traits(&[
            (
                "smithy.api#http",
                json!({"method": op.method, "uri": op.uri, "code": op.code}),
            ),
            (
                "smithy.api#documentation",
                json!(g.doc(&format!("Runs {verb}"), 1 + k % 2)),
            ),
            (
                "aws.iam#iamAction",
                json!({"documentation": format!("Grants permission to {verb}")}),
            ),
        ]);
        if op.readonly {
            t.insert("smithy.api#readonly".into(), json!({}));
        }
        if op.idempotent {
            t.insert("smithy.api#idempotent".into(), json!({}));
        }
        if op.paginated {
            t.insert(
                "smithy.api#paginated".into(),
                json!({"inputToken": "Marker", "outputToken": "NextMarker", "pageSize": "MaxItems"}),
            );
        }
        if k % 16 < 9 && examples < 48 {
            examples += 1;
            let input: Map<String, Value> = op
                .labels
                .iter()
                .map(|(n, _)| (n.clone(), json!(format!("my-{}", n.to_lowercase()))))
                .collect();
            let documentation = g.sentence();
            t.insert(
                "smithy.api#examples".into(),
                json!([{
                    "title": format!("To call {}", op.name),
                    "documentation": documentation,
                    "input": input,
                    "output": {}
                }]),
            );
        }
        if k % 3 == 0 {
            t.insert(
                "aws.iam#conditionKeys".into(),
                json!(["awsstyle:FunctionArn", "awsstyle:Principal"]),
            );
        }
        if op.name == "InvokeAsync" || op.name == "DescribeBilling" {
            t.insert("smithy.api#deprecated".into(), json!({}));
        }
        if op.name == "InvokeWithResponseStream" || op.name == "InvokeAsync" {
            t.insert("smithy.api#suppress".into(), json!(["HttpMethodSemantics"]));
        }
        if op.name == "GetFunction" || op.name == "GetLayer" {
            t.insert(
                "smithy.waiters#waitable".into(),
                json!({format!("{}Active", op.name): {
                    "documentation": "Waits until it is active.",
                    "acceptors": [
                        {"state": "success", "matcher": {"output": {"path": "Configuration.Details", "expected": "Active", "comparator": "stringEquals"}}},
                        {"state": "failure", "matcher": {"output": {"path": "Configuration.Details", "expected": "Failed", "comparator": "stringEquals"}}},
                        {"state": "retry", "matcher": {"errorType": "ResourceNotFoundException"}}
                    ],
                    "minDelay": 1
                }}),
            );
        }
        if op.name == "ListFunctions" || op.name == "GetAccountSettings" {
            t.insert(
                "smithy.test#smokeTests".into(),
                json!([{
                    "id": format!("{}Success", op.name),
                    "params": {},
                    "vendorParams": {"region": "us-west-2"},
                    "vendorParamsShape": "aws.test#AwsVendorParams",
                    "expect": {"success": {}}
                }]),
            );
        }
        let error_targets: Vec<Value> = op_errors.iter().map(|e| json!({"target": e})).collect();
        g.add(
            &op.name,
            json!({"type": "operation", "input": {"target": input_id}, "output": {"target": output_id}, "errors": error_targets, "traits": t}),
        );
    }

    // --- Resources ------------------------------------------------------------------------------
    for (index, r) in RESOURCES.iter().enumerate() {
        let ops_of = &resource_ops[index];
        let mut shape = Map::new();
        shape.insert("type".into(), json!("resource"));
        let identifiers: Map<String, Value> = labels_of(index)
            .into_iter()
            .map(|(name, target)| (name, json!({"target": target})))
            .collect();
        shape.insert("identifiers".into(), Value::Object(identifiers));
        for (key, op) in ["create", "read", "update", "delete", "list"]
            .iter()
            .zip(ops_of)
        {
            shape.insert((*key).into(), json!({"target": op}));
        }
        if ops_of.len() > 5 {
            shape.insert(
                "operations".into(),
                json!(ops_of[5..]
                    .iter()
                    .map(|o| json!({"target": o}))
                    .collect::<Vec<_>>()),
            );
        }
        let children: Vec<Value> = (0..10)
            .filter(|&c| RESOURCES[c].parent == Some(index))
            .map(|c| json!({"target": id(RESOURCES[c].name)}))
            .collect();
        if !children.is_empty() {
            shape.insert("resources".into(), Value::Array(children));
        }
        let mut t = Map::new();
        if index < 8 {
            t.insert(
                "aws.api#arn".into(),
                json!({"template": format!("{}/{{{}}}", r.plural, r.ident)}),
            );
            t.insert("aws.iam#iamResource".into(), json!({"name": r.plural}));
        }
        if index % 3 == 0 {
            t.insert("aws.api#taggable".into(), json!({"property": "Tags"}));
        }
        shape.insert("traits".into(), Value::Object(t));
        g.add(r.name, Value::Object(shape));
    }

    // --- The service ----------------------------------------------------------------------------
    // The service lists the operations not bound to resources, plus the Get of each top-level
    // resource (bound twice, as AWS's models sometimes do). The rest are reachable only through
    // resources.
    let mut service_operations: Vec<String> = operation_ids[resource_bound..].to_vec();
    for r in RESOURCES.iter().filter(|r| r.parent.is_none()) {
        service_operations.push(id(&format!("Get{}", r.name)));
    }
    let top_resources: Vec<Value> = RESOURCES
        .iter()
        .filter(|r| r.parent.is_none())
        .map(|r| json!({"target": id(r.name)}))
        .collect();
    let service_traits = json!({
        "aws.api#service": {"sdkId": "AWSStyle", "arnNamespace": "awsstyle", "cloudFormationName": "AWSStyle", "cloudTrailEventSource": "awsstyle.amazonaws.com", "endpointPrefix": "awsstyle"},
        "aws.api#tagEnabled": {},
        "aws.auth#sigv4": {"name": "awsstyle"},
        "aws.iam#defineConditionKeys": {
            "awsstyle:FunctionArn": {"type": "ARN", "documentation": "Filters access by the ARN of a function"},
            "awsstyle:Principal": {"type": "String", "documentation": "Filters access by the principal"}
        },
        "aws.iam#disableConditionKeyInference": {},
        "aws.iam#supportedPrincipalTypes": ["Root", "IAMUser", "IAMRole", "FederatedUser"],
        "aws.protocols#restJson1": {},
        "smithy.api#documentation": g.doc("An AWS-style service", 8),
        "smithy.api#title": "AWS Style Service",
        "smithy.rules#endpointBdd": endpoint_bdd(&mut g),
        "smithy.rules#endpointRuleSet": endpoint_rule_set(),
        "smithy.rules#endpointTests": endpoint_tests(),
    });
    g.add(
        SERVICE_NAME,
        json!({
            "type": "service",
            "version": "2015-03-31",
            "operations": service_operations.iter().map(|o| json!({"target": o})).collect::<Vec<_>>(),
            "resources": top_resources,
            "traits": service_traits
        }),
    );
    let resource_only: Vec<String> = operation_ids
        .iter()
        .filter(|o| !service_operations.contains(o))
        .cloned()
        .collect();

    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for shape in g.shapes.values() {
        *counts
            .entry(shape["type"].as_str().expect("type").to_owned())
            .or_default() += 1;
    }
    // AWS's files list shapes sorted by id and indent by four spaces.
    let mut document = Map::new();
    document.insert("smithy".into(), json!("2.0"));
    document.insert(
        "metadata".into(),
        json!({"suppressions": [{"id": "HttpMethodSemantics", "namespace": "*"}]}),
    );
    document.insert(
        "shapes".into(),
        Value::Object(g.shapes.into_iter().collect()),
    );
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    serde::Serialize::serialize(&Value::Object(document), &mut serializer).expect("serializes");
    AwsStyle {
        json: String::from_utf8(out).expect("UTF-8"),
        counts,
        operations: operation_ids,
        service_operations,
        resource_only,
        references: g.references,
    }
}

/// A decision-diagram endpoint trait: a few hundred conditions and results and an encoded node
/// table, as large as AWS's.
fn endpoint_bdd(g: &mut Gen) -> Value {
    let conditions: Vec<Value> = (0..80)
        .map(|k| {
            json!({"fn": (["isSet", "booleanEquals", "stringEquals", "aws.partition"][k % 4]),
                   "argv": [{"ref": (["Region", "UseFIPS", "UseDualStack", "Endpoint"][k % 4])}, (k % 2 == 0)],
                   "assign": format!("v{k}")})
        })
        .collect();
    let results: Vec<Value> = (0..90)
        .map(|k| {
            json!({"conditions": [], "endpoint": {"url": format!("https://awsstyle{}.{{Region}}.{{PartitionResult#dnsSuffix}}", ["", "-fips", ".dualstack"][k % 3]),
                   "properties": {}, "headers": {}}, "type": "endpoint"})
        })
        .collect();
    let nodes: String = (0..4_000)
        .map(|_| {
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[g.below(64)] as char
        })
        .collect();
    json!({"version": "1.1", "parameters": endpoint_parameters(), "conditions": conditions, "results": results,
           "root": 2, "nodeCount": 800, "nodes": nodes})
}

fn endpoint_parameters() -> Value {
    json!({
        "Region": {"builtIn": "AWS::Region", "required": false, "documentation": "The AWS region used to dispatch the request.", "type": "String"},
        "UseDualStack": {"builtIn": "AWS::UseDualStack", "required": true, "default": false, "documentation": "When true, use the dual-stack endpoint.", "type": "Boolean"},
        "UseFIPS": {"builtIn": "AWS::UseFIPS", "required": true, "default": false, "documentation": "When true, send this request to the FIPS-compliant regional endpoint.", "type": "Boolean"},
        "Endpoint": {"builtIn": "SDK::Endpoint", "required": false, "documentation": "Override the endpoint used to send this request", "type": "String"}
    })
}

/// A rule set nested as AWS's are: partitions, then FIPS and dual-stack variants.
fn endpoint_rule_set() -> Value {
    let variant = |fips: bool, dual: bool, partition: &str| {
        let host = format!(
            "https://awsstyle{}.{{Region}}.{}",
            if fips { "-fips" } else { "" },
            if dual {
                "{PartitionResult#dualStackDnsSuffix}"
            } else {
                "{PartitionResult#dnsSuffix}"
            }
        );
        json!({
            "conditions": [
                {"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, fips]},
                {"fn": "booleanEquals", "argv": [{"ref": "UseDualStack"}, dual]},
                {"fn": "stringEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, "name"]}, partition]}
            ],
            "rules": [
                {"conditions": [{"fn": "booleanEquals", "argv": [true, {"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, if fips { "supportsFIPS" } else { "supportsDualStack" }]}]}],
                 "endpoint": {"url": host, "properties": {}, "headers": {}}, "type": "endpoint"},
                {"conditions": [], "error": format!("{partition} does not support this combination of FIPS ({fips}) and dual-stack ({dual})"), "type": "error"}
            ],
            "type": "tree"
        })
    };
    let mut rules = Vec::new();
    for partition in ["aws", "aws-cn", "aws-us-gov"] {
        for fips in [false, true] {
            for dual in [false, true] {
                rules.push(variant(fips, dual, partition));
            }
        }
    }
    json!({
        "version": "1.0",
        "parameters": endpoint_parameters(),
        "rules": [
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
             "rules": [{"conditions": [], "endpoint": {"url": {"ref": "Endpoint"}, "properties": {}, "headers": {}}, "type": "endpoint"}],
             "type": "tree"},
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}, {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"}],
             "rules": rules, "type": "tree"},
            {"conditions": [], "error": "Invalid Configuration: Missing Region", "type": "error"}
        ]
    })
}

fn endpoint_tests() -> Value {
    const REGIONS: [&str; 20] = [
        "af-south-1",
        "ap-east-1",
        "ap-northeast-1",
        "ap-south-1",
        "ap-southeast-1",
        "ca-central-1",
        "eu-central-1",
        "eu-north-1",
        "eu-west-1",
        "me-south-1",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "cn-north-1",
        "cn-northwest-1",
        "us-gov-east-1",
        "us-gov-west-1",
        "us-iso-east-1",
    ];
    let mut cases = Vec::new();
    for region in REGIONS {
        for (fips, dual) in [(false, false), (true, false), (false, true), (true, true)] {
            let suffix = if region.starts_with("cn-") {
                "amazonaws.com.cn"
            } else {
                "amazonaws.com"
            };
            let host = format!(
                "awsstyle{}.{region}.{}{suffix}",
                if fips { "-fips" } else { "" },
                if dual { "dualstack." } else { "" }
            );
            cases.push(json!({
                "documentation": format!("For region {region} with FIPS {} and DualStack {}", if fips { "enabled" } else { "disabled" }, if dual { "enabled" } else { "disabled" }),
                "expect": {"endpoint": {"url": format!("https://{host}")}},
                "params": {"Region": region, "UseFIPS": fips, "UseDualStack": dual}
            }));
        }
    }
    json!({"testCases": cases, "version": "1.0"})
}
