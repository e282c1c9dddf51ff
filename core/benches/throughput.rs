//! Throughput and memory of `ward_core::lint`: generated 1,000- and 10,000-resource templates (YAML
//! and JSON) and the public corpus under `../shared/corpus` when present.
//!
//! Run with `cargo bench -p ward-core --bench throughput`. It prints figures; it asserts nothing.
//! Peak memory is the peak of live heap bytes during one lint, counted by a wrapping allocator.

// Counting heap bytes needs a global allocator, which is an unsafe trait.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ward_core::{Config, SourceFile, lint};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// Counting heap bytes needs a global allocator, which is an unsafe trait; this one only delegates
// to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const KINDS: [(&str, &str); 6] = [
    (
        "AWS::DynamoDB::Table",
        "      BillingMode: PAY_PER_REQUEST\n      SSESpecification:\n        SSEEnabled: !If [IsProd, true, false]\n",
    ),
    (
        "AWS::S3::Bucket",
        "      BucketName: !Sub \"data-${Environment}-{n}\"\n      VersioningConfiguration:\n        Status: Enabled\n",
    ),
    (
        "AWS::EC2::Volume",
        "      Size: 100\n      AvailabilityZone: !Select [0, !GetAZs \"\"]\n      Encrypted: !Ref EncryptVolumes\n",
    ),
    ("AWS::SQS::Queue", "      VisibilityTimeout: 60\n"),
    (
        "AWS::RDS::DBInstance",
        "      Engine: postgres\n      DBInstanceClass: db.t3.micro\n      AllocatedStorage: \"20\"\n      StorageEncrypted: true\n      KmsKeyId: !GetAtt Key0.Arn\n",
    ),
    (
        "AWS::KMS::Key",
        "      EnableKeyRotation: true\n      Description: key {n}\n",
    ),
];

fn generated_yaml(resources: usize) -> String {
    let mut text = String::from(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  Environment:\n    Type: String\n    Default: dev\n    AllowedValues: [dev, prod]\n  EncryptVolumes:\n    Type: String\n    Default: \"true\"\nConditions:\n  IsProd: !Equals [!Ref Environment, prod]\nResources:\n",
    );
    for n in 0..resources {
        let (type_name, properties) = KINDS[n % KINDS.len()];
        let name = if type_name == "AWS::KMS::Key" && n == KINDS.len() - 1 {
            "Key0".to_string()
        } else {
            format!("Resource{n}")
        };
        text.push_str(&format!(
            "  {name}:\n    Type: {type_name}\n    Properties:\n{}",
            properties.replace("{n}", &n.to_string())
        ));
    }
    text
}

fn generated_json(resources: usize) -> String {
    let mut items = Vec::with_capacity(resources);
    for n in 0..resources {
        items.push(format!(
            "    \"Table{n}\": {{\n      \"Type\": \"AWS::DynamoDB::Table\",\n      \"Properties\": {{\n        \"BillingMode\": \"PAY_PER_REQUEST\",\n        \"SSESpecification\": {{\"SSEEnabled\": {{\"Fn::If\": [\"IsProd\", true, false]}}}}\n      }}\n    }}"
        ));
    }
    format!(
        "{{\n  \"Parameters\": {{\"Environment\": {{\"Type\": \"String\", \"Default\": \"dev\"}}}},\n  \"Conditions\": {{\"IsProd\": {{\"Fn::Equals\": [{{\"Ref\": \"Environment\"}}, \"prod\"]}}}},\n  \"Resources\": {{\n{}\n  }}\n}}\n",
        items.join(",\n")
    )
}

/// Lints `text` `rounds` times; returns the median time, the findings and the peak heap growth.
fn measure(name: &str, text: &str, rounds: usize) -> (Duration, usize, usize) {
    let config = Config::default();
    let mut times = Vec::with_capacity(rounds);
    let mut findings = 0;
    let mut peak = 0;
    for _ in 0..rounds {
        let file = SourceFile::new(name, text);
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let start = Instant::now();
        let report = lint(&file, &config);
        times.push(start.elapsed());
        peak = peak.max(PEAK.load(Ordering::Relaxed).saturating_sub(before));
        findings = report.findings.len();
        drop(report);
    }
    times.sort();
    (times[times.len() / 2], findings, peak)
}

fn report_generated(label: &str, text: &str, rounds: usize) {
    let file = SourceFile::new(label, text);
    let mut parse_peak = 0;
    let mut parse_times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let before = LIVE.load(Ordering::Relaxed);
            PEAK.store(before, Ordering::Relaxed);
            let start = Instant::now();
            let parsed = ward_core::syntax::parse(&file);
            let elapsed = start.elapsed();
            parse_peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
            drop(parsed);
            elapsed
        })
        .collect();
    parse_times.sort();
    let parse = parse_times[parse_times.len() / 2];
    let (median, findings, peak) = measure(label, text, rounds);
    println!(
        "{label:<28} {:>9} bytes  median {:>8.2} ms (parse {:>7.2} ms, {:>4.1}x)  {:>6} findings  peak heap {:>5.1}x input ({:.1} MiB)",
        text.len(),
        median.as_secs_f64() * 1e3,
        parse.as_secs_f64() * 1e3,
        parse_peak as f64 / text.len() as f64,
        findings,
        peak as f64 / text.len() as f64,
        peak as f64 / (1024.0 * 1024.0)
    );
}

fn corpus_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            corpus_files(&path, out);
        } else if matches!(
            path.extension().and_then(|ext| ext.to_str()),
            Some("yaml" | "yml" | "json" | "template")
        ) {
            out.push(path);
        }
    }
}

fn report_corpus(root: &Path, sources: &[&str]) {
    let mut files = Vec::new();
    for source in sources {
        corpus_files(&root.join(source), &mut files);
    }
    let texts: Vec<(String, String)> = files
        .iter()
        .filter_map(|path| Some((path.display().to_string(), fs::read_to_string(path).ok()?)))
        .collect();
    let bytes: usize = texts.iter().map(|(_, text)| text.len()).sum();
    let config = Config::default();
    let mut best = Duration::MAX;
    let mut findings = 0;
    for _ in 0..5 {
        let start = Instant::now();
        findings = 0;
        for (name, text) in &texts {
            findings += lint(&SourceFile::new(name.as_str(), text.as_str()), &config)
                .findings
                .len();
        }
        best = best.min(start.elapsed());
    }
    println!(
        "corpus {:<40} {:>5} files {:>9} bytes  best {:>8.2} ms single-threaded  {:>6.1} MB/s  {} findings",
        sources.join("+"),
        texts.len(),
        bytes,
        best.as_secs_f64() * 1e3,
        bytes as f64 / best.as_secs_f64() / 1e6,
        findings
    );
}

fn main() {
    // `cargo test --benches` runs this with `--bench` absent; keep that quick.
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let rounds = if quick { 1 } else { 15 };
    for resources in [1_000, 10_000] {
        report_generated(
            &format!("generated yaml {resources}"),
            &generated_yaml(resources),
            rounds,
        );
        report_generated(
            &format!("generated json {resources}"),
            &generated_json(resources),
            rounds,
        );
    }
    if quick {
        return;
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if corpus.is_dir() {
        report_corpus(
            &corpus,
            &[
                "aws-cloudformation-templates",
                "aws-cloudformation-templates-current",
            ],
        );
        report_corpus(&corpus, &["cfn_nag", "cfn-lint", "checkov"]);
    } else {
        println!("corpus not found at {}; skipped", corpus.display());
    }
}
