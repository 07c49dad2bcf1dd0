//! Targets: the embedded reference, the real emulators and AWS, described in
//! `harness/targets.toml`, and how a run resolves one into endpoints and credentials.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use conform_emulator::EmulatorConfig;
use serde::Deserialize;

use crate::client::{Credentials, Endpoints};

/// The built-in target configuration.
pub const TARGETS_TOML: &str = include_str!("../targets.toml");

/// The services the harness calls.
pub const SERVICES: &[&str] = &["lambda", "sqs", "kinesis", "dynamodb", "iam"];

/// What `targets.toml` says about one target.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetConfig {
    pub description: Option<String>,
    pub endpoint: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    pub reset: Option<String>,
    #[serde(default)]
    pub needs_role: bool,
    #[serde(default)]
    pub fixtures_unavailable: Vec<String>,
    #[serde(default)]
    pub embedded: bool,
    #[serde(default)]
    pub live: bool,
}

/// Every configured target, by name.
#[derive(Debug, Clone)]
pub struct Targets {
    pub targets: BTreeMap<String, TargetConfig>,
}

impl Targets {
    pub fn builtin() -> Self {
        Self::parse(TARGETS_TOML).expect("the built-in targets.toml parses")
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let targets: BTreeMap<String, TargetConfig> =
            toml::from_str(text).map_err(|e| e.to_string().trim_end().to_owned())?;
        for (name, config) in &targets {
            for service in &config.fixtures_unavailable {
                if !SERVICES.contains(&service.as_str()) {
                    return Err(format!(
                        "target `{name}`: fixtures_unavailable names `{service}`; use {}",
                        SERVICES.join(", ")
                    ));
                }
            }
            if let Some(reset) = &config.reset {
                parse_reset(reset).map_err(|e| format!("target `{name}`: {e}"))?;
            }
        }
        Ok(Self { targets })
    }

    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// `METHOD PATH`, e.g. `POST /moto-api/reset`.
pub fn parse_reset(text: &str) -> Result<(String, String), String> {
    match text.split_once(' ') {
        Some((method, path)) if path.trim().starts_with('/') => {
            Ok((method.trim().to_ascii_uppercase(), path.trim().to_owned()))
        }
        _ => Err(format!("reset `{text}` must be `METHOD /path`")),
    }
}

/// How the command line picks a target.
#[derive(Debug, Clone, Default)]
pub struct TargetOptions {
    /// `--target`; `reference` when absent (or `endpoint` with only `--endpoint`).
    pub name: Option<String>,
    pub endpoint: Option<String>,
    pub allow_live_aws: bool,
    /// `--reset`: wipe the target before the run.
    pub reset: bool,
}

/// A target resolved for one run.
#[derive(Debug, Clone)]
pub struct Target {
    pub name: String,
    pub config: TargetConfig,
    /// `None` while the embedded reference has not started.
    pub endpoints: Option<Endpoints>,
    /// Where the endpoint came from (`--endpoint`, `AWS_ENDPOINT_URL`, `targets.toml`).
    pub endpoint_source: &'static str,
    pub region: String,
    pub credentials: Credentials,
    pub reset: bool,
}

impl Target {
    /// Whether the run starts the reference in-process.
    pub fn embedded(&self) -> bool {
        self.endpoints.is_none()
    }

    /// How the embedded reference is started for this target. Transitions settle at the next
    /// read: goldens do not depend on timing, and waits end at their first poll.
    pub fn reference_config(&self) -> EmulatorConfig {
        let mut config = EmulatorConfig {
            default_region: self.region.clone(),
            settle_delay: Duration::ZERO,
            ..EmulatorConfig::default()
        };
        if let Some(account) = &self.config.account {
            config.account_id = account.clone();
        }
        config
    }

    /// Whether results are the truth goldens are recorded from.
    pub fn is_truth(&self) -> bool {
        self.name == "reference" || self.config.live
    }

    /// The endpoint as people read it.
    pub fn describe(&self) -> String {
        match &self.endpoints {
            None => "embedded".to_owned(),
            Some(e) => match (&e.default, e.per_service.is_empty(), &e.aws_region) {
                (Some(url), true, _) => url.clone(),
                (_, _, Some(region)) if e.default.is_none() => format!("AWS {region}"),
                _ => SERVICES
                    .iter()
                    .map(|s| format!("{s}={}", e.for_service(s).unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join(" "),
            },
        }
    }
}

/// Resolves `options` against `targets`, reading the environment through `env`.
pub fn resolve(
    options: &TargetOptions,
    targets: &Targets,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Target, String> {
    let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    let name = match (&options.name, &options.endpoint) {
        (Some(name), _) => name.clone(),
        (None, Some(_)) => "endpoint".to_owned(),
        (None, None) => "reference".to_owned(),
    };
    let config = match targets.targets.get(&name) {
        Some(config) => config.clone(),
        None if options.name.is_none() => TargetConfig::default(),
        None => {
            let known: Vec<&str> = targets.targets.keys().map(String::as_str).collect();
            return Err(format!(
                "unknown target `{name}`; known: {} (or give --endpoint URL)",
                known.join(", ")
            ));
        }
    };
    if config.live && !options.allow_live_aws {
        return Err(format!(
            "refusing to run against live AWS (target `{name}`): it creates and deletes real \
             resources and costs money; add --allow-live-aws to mean it"
        ));
    }
    if options.reset && config.reset.is_none() {
        return Err(format!("target `{name}` has no reset call in targets.toml"));
    }

    let mut endpoints = Endpoints::default();
    let mut source = "targets.toml";
    if let Some(url) = &options.endpoint {
        endpoints.default = Some(check_url(url, "--endpoint")?);
        source = "--endpoint";
    } else {
        for service in SERVICES {
            let var = format!("AWS_ENDPOINT_URL_{}", service.to_ascii_uppercase());
            if let Some(url) = env(&var) {
                endpoints
                    .per_service
                    .insert((*service).to_owned(), check_url(&url, &var)?);
                if *service == "lambda" {
                    source = "AWS_ENDPOINT_URL_LAMBDA";
                }
            }
        }
        if let Some(url) = env("AWS_ENDPOINT_URL") {
            endpoints.default = Some(check_url(&url, "AWS_ENDPOINT_URL")?);
            if !endpoints.per_service.contains_key("lambda") {
                source = "AWS_ENDPOINT_URL";
            }
        }
        if !endpoints.per_service.contains_key("lambda") && endpoints.default.is_none() {
            if let Some(url) = &config.endpoint {
                endpoints.default = Some(check_url(url, "targets.toml")?);
            }
        }
    }
    let region = env("AWS_REGION")
        .or_else(|| env("AWS_DEFAULT_REGION"))
        .or_else(|| config.region.clone())
        .unwrap_or_else(|| "us-east-1".to_owned());
    let lambda_set = endpoints.per_service.contains_key("lambda") || endpoints.default.is_some();
    let endpoints = if lambda_set {
        Some(endpoints)
    } else if config.embedded {
        if !endpoints.per_service.is_empty() {
            return Err(
                "AWS_ENDPOINT_URL_<SERVICE> is set for some services but not for lambda; \
                        set AWS_ENDPOINT_URL too, or --endpoint"
                    .into(),
            );
        }
        None
    } else if config.live {
        endpoints.aws_region = Some(region.clone());
        Some(endpoints)
    } else {
        return Err(format!(
            "target `{name}` has no endpoint; give --endpoint URL"
        ));
    };
    let credentials = if config.live {
        Credentials::from_env(&env).ok_or_else(|| {
            format!("target `{name}` needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment")
        })?
    } else {
        Credentials::from_env(&env).unwrap_or_else(Credentials::dummy)
    };
    Ok(Target {
        name,
        config,
        endpoints,
        endpoint_source: if lambda_set { source } else { "embedded" },
        region,
        credentials,
        reset: options.reset,
    })
}

fn check_url(url: &str, from: &str) -> Result<String, String> {
    let parsed =
        reqwest::Url::parse(url).map_err(|e| format!("{from}: `{url}` is not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(format!(
            "{from}: `{url}` must be an http:// or https:// URL"
        ));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    fn pick(
        name: Option<&str>,
        endpoint: Option<&str>,
        vars: &'static [(&'static str, &'static str)],
    ) -> Result<Target, String> {
        let options = TargetOptions {
            name: name.map(str::to_owned),
            endpoint: endpoint.map(str::to_owned),
            ..Default::default()
        };
        resolve(&options, &Targets::builtin(), &env(vars))
    }

    #[test]
    fn the_builtin_config_parses() {
        let targets = Targets::builtin();
        for name in ["reference", "moto", "localstack", "ministack", "aws"] {
            assert!(targets.targets.contains_key(name), "{name}");
        }
        assert!(targets.targets["moto"].needs_role);
        assert_eq!(
            targets.targets["localstack"].fixtures_unavailable,
            ["dynamodb"]
        );
    }

    #[test]
    fn endpoints_resolve_flag_then_env_then_config() {
        let t = pick(Some("moto"), None, &[]).unwrap();
        assert_eq!(t.describe(), "http://127.0.0.1:5000");
        let t = pick(
            Some("moto"),
            None,
            &[("AWS_ENDPOINT_URL", "http://127.0.0.1:7")],
        )
        .unwrap();
        assert_eq!(t.describe(), "http://127.0.0.1:7");
        assert_eq!(t.endpoint_source, "AWS_ENDPOINT_URL");
        let t = pick(
            Some("moto"),
            None,
            &[
                ("AWS_ENDPOINT_URL", "http://127.0.0.1:7"),
                ("AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:8"),
            ],
        )
        .unwrap();
        let e = t.endpoints.as_ref().unwrap();
        assert_eq!(e.for_service("lambda").unwrap(), "http://127.0.0.1:8");
        assert_eq!(e.for_service("sqs").unwrap(), "http://127.0.0.1:7");
        assert_eq!(t.endpoint_source, "AWS_ENDPOINT_URL_LAMBDA");
        let t = pick(
            Some("moto"),
            Some("http://127.0.0.1:9/"),
            &[("AWS_ENDPOINT_URL", "http://127.0.0.1:7")],
        )
        .unwrap();
        assert_eq!(t.describe(), "http://127.0.0.1:9");
        let t = pick(None, None, &[]).unwrap();
        assert!(t.embedded());
        assert_eq!(t.name, "reference");
        let t = pick(None, Some("http://127.0.0.1:9"), &[]).unwrap();
        assert_eq!(t.name, "endpoint");
        assert!(!t.embedded());
    }

    #[test]
    fn refuses_what_it_must() {
        let err = pick(Some("aws"), None, &[]).unwrap_err();
        assert!(err.contains("--allow-live-aws"), "{err}");
        let err = pick(Some("nope"), None, &[]).unwrap_err();
        assert!(err.contains("unknown target `nope`"), "{err}");
        let err = pick(None, Some("ftp://x"), &[]).unwrap_err();
        assert!(err.contains("http://"), "{err}");
        let options = TargetOptions {
            name: Some("aws".into()),
            allow_live_aws: true,
            ..Default::default()
        };
        let err = resolve(&options, &Targets::builtin(), &env(&[])).unwrap_err();
        assert!(err.contains("AWS_ACCESS_KEY_ID"), "{err}");
        let t = resolve(
            &options,
            &Targets::builtin(),
            &env(&[
                ("AWS_ACCESS_KEY_ID", "a"),
                ("AWS_SECRET_ACCESS_KEY", "b"),
                ("AWS_REGION", "eu-west-1"),
            ]),
        )
        .unwrap();
        assert_eq!(
            t.endpoints.unwrap().for_service("lambda").unwrap(),
            "https://lambda.eu-west-1.amazonaws.com"
        );
        assert!(Targets::parse("[x]\nfixtures_unavailable = [\"s3\"]").is_err());
    }
}
