//! In-process tests: the real service over an in-memory pipe, driven like a client.

use std::collections::VecDeque;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::Exit;

/// Lets tests make the analysis panic, to check that a panic is caught and reported.
pub fn maybe_panic(text: &str) {
    if text.contains("# ward-test-panic") {
        panic!("test panic requested by the document");
    }
}

const TIMEOUT: Duration = Duration::from_secs(20);

/// A template with an unencrypted DynamoDB table (DDB001, fixable; DDB002, not).
const TABLE: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Environment:
    Type: String
    Default: dev
Conditions:
  IsProd: !Equals [!Ref Environment, prod]
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub '${Environment}-orders'
      BillingMode: PAY_PER_REQUEST
      KeySchema:
        - AttributeName: id
          KeyType: HASH
  Reader:
    Type: AWS::SQS::Queue
    Condition: IsProd
    DependsOn: OrdersTable
Outputs:
  TableArn:
    Value: !GetAtt OrdersTable.Arn
";

struct TestClient {
    writer: DuplexStream,
    incoming: mpsc::UnboundedReceiver<Value>,
    /// Notifications received while waiting for something else.
    pending: VecDeque<Value>,
    /// Requests the server sent us, by method.
    server_requests: Vec<Value>,
    /// The answer to `workspace/configuration`.
    settings: Value,
    next_id: i64,
    server: JoinHandle<Exit>,
}

async fn read_message(reader: &mut BufReader<DuplexStream>) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).await.ok()?;
    serde_json::from_slice(&body).ok()
}

impl TestClient {
    fn start() -> TestClient {
        let (client_write, server_read) = tokio::io::duplex(1 << 16);
        let (server_write, client_read) = tokio::io::duplex(1 << 16);
        let server = tokio::spawn(crate::serve(server_read, server_write));
        let (sender, incoming) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut reader = BufReader::new(client_read);
            while let Some(message) = read_message(&mut reader).await {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        TestClient {
            writer: client_write,
            incoming,
            pending: VecDeque::new(),
            server_requests: Vec::new(),
            settings: Value::Null,
            next_id: 0,
            server,
        }
    }

    async fn send(&mut self, message: Value) {
        let body = message.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.writer
            .write_all(frame.as_bytes())
            .await
            .expect("the server reads its input");
    }

    async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// The next message from the server; server requests are answered on the way.
    async fn receive(&mut self) -> Value {
        loop {
            let message = tokio::time::timeout(TIMEOUT, self.incoming.recv())
                .await
                .expect("the server answers in time")
                .expect("the server is still running");
            if message.get("method").is_some() && message.get("id").is_some() {
                let result = match message["method"].as_str() {
                    Some("workspace/configuration") => json!([self.settings.clone()]),
                    _ => Value::Null,
                };
                let id = message["id"].clone();
                self.server_requests.push(message);
                self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}))
                    .await;
                continue;
            }
            return message;
        }
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    async fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        loop {
            let message = self.receive().await;
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
            self.pending.push_back(message);
        }
    }

    async fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params).await;
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    /// The next notification matching `predicate`, keeping the others.
    async fn notification(&mut self, predicate: impl Fn(&Value) -> bool) -> Value {
        if let Some(position) = self.pending.iter().position(&predicate) {
            return self.pending.remove(position).unwrap_or_default();
        }
        loop {
            let message = self.receive().await;
            if predicate(&message) {
                return message;
            }
            self.pending.push_back(message);
        }
    }

    /// The diagnostics published for `uri` at `version`. Publications for older versions are
    /// skipped, but a newer one than asked for fails the test.
    async fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        loop {
            let message = self
                .notification(|message| {
                    message["method"] == "textDocument/publishDiagnostics"
                        && message["params"]["uri"] == uri
                })
                .await;
            let published = message["params"]["version"].as_i64().unwrap_or(-1);
            assert!(
                published <= version,
                "published {published} after asking for {version}"
            );
            if published == version {
                return message["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
        }
    }

    /// Waits a moment and returns every notification that arrived.
    async fn drain(&mut self, wait: Duration) -> Vec<Value> {
        tokio::time::sleep(wait).await;
        while let Ok(message) = self.incoming.try_recv() {
            if message.get("method").is_some() && message.get("id").is_some() {
                self.server_requests.push(message.clone());
                let id = message["id"].clone();
                let result = match message["method"].as_str() {
                    Some("workspace/configuration") => json!([self.settings.clone()]),
                    _ => Value::Null,
                };
                self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}))
                    .await;
            } else {
                self.pending.push_back(message);
            }
        }
        self.pending.drain(..).collect()
    }

    async fn initialize(&mut self, capabilities: Value) -> Value {
        self.initialize_with(
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        )
        .await
    }

    async fn initialize_with(&mut self, params: Value) -> Value {
        let result = self.result("initialize", params).await;
        self.notify("initialized", json!({})).await;
        result
    }

    async fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": version, "text": text}}),
        )
        .await;
    }

    async fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        )
        .await;
    }

    async fn code_actions(&mut self, uri: &str, range: Value, only: Option<Value>) -> Vec<Value> {
        let mut context = json!({"diagnostics": []});
        if let Some(only) = only {
            context["only"] = only;
        }
        let result = self
            .result(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": range, "context": context}),
            )
            .await;
        result.as_array().cloned().unwrap_or_default()
    }

    async fn stop(mut self) -> Exit {
        let _ = self.result("shutdown", Value::Null).await;
        self.notify("exit", Value::Null).await;
        tokio::time::timeout(TIMEOUT, self.server)
            .await
            .expect("the server exits in time")
            .expect("the server task ends normally")
    }
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .filter_map(|diagnostic| diagnostic["code"].as_str().map(str::to_string))
        .collect()
}

fn find<'a>(diagnostics: &'a [Value], code: &str) -> &'a Value {
    diagnostics
        .iter()
        .find(|diagnostic| diagnostic["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diagnostics:?}"))
}

/// The 0-based line and UTF-16 column of the `nth` occurrence of `needle`.
fn position_of(text: &str, needle: &str) -> Value {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in text"));
    let line = text[..offset].matches('\n').count();
    let line_start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
    let column: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": column})
}

/// Applies LSP text edits (UTF-16 positions) to `text`, as an editor would.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |position: &Value| -> usize {
        let line = position["line"].as_u64().unwrap_or(0) as usize;
        let character = position["character"].as_u64().unwrap_or(0) as usize;
        let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (index, ch) in text[line_start..].char_indices() {
            if units >= character || ch == '\n' {
                return line_start + index;
            }
            units += ch.len_utf16();
        }
        text.len()
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|edit| {
            (
                offset(&edit["range"]["start"]),
                offset(&edit["range"]["end"]),
                edit["newText"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let mut out = text.to_string();
    for (start, end, new_text) in spans {
        out.replace_range(start..end, &new_text);
    }
    out
}

/// The edits of a code action or rename for one document, from `changes` or `documentChanges`.
fn edits_of(edit: &Value, uri: &str) -> Vec<Value> {
    if let Some(changes) = edit["changes"][uri].as_array() {
        return changes.clone();
    }
    edit["documentChanges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|change| change["textDocument"]["uri"] == uri)
        .flat_map(|change| change["edits"].as_array().cloned().unwrap_or_default())
        .collect()
}

fn action<'a>(actions: &'a [Value], title: &str) -> &'a Value {
    actions
        .iter()
        .find(|action| action["title"] == title)
        .unwrap_or_else(|| panic!("no action {title:?} in {actions:#?}"))
}

const URI: &str = "file:///tmp/ward-lsp-tests/template.yaml";

fn whole(text: &str) -> Value {
    let lines = text.matches('\n').count();
    json!({"start": {"line": 0, "character": 0}, "end": {"line": lines + 1, "character": 0}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_diagnostics_then_quick_fix_clears_the_finding() {
    let mut client = TestClient::start();
    let init = client.initialize(json!({})).await;
    let capabilities = &init["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["textDocumentSync"]["change"], 2);
    assert!(
        capabilities.get("diagnosticProvider").is_none(),
        "push-only client: {capabilities}"
    );
    assert_eq!(
        capabilities["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix", "source.fixAll", "source.fixAll.ward"])
    );

    client.open(URI, 1, TABLE).await;
    let diagnostics = client.diagnostics(URI, 1).await;
    let ddb001 = find(&diagnostics, "DDB001");
    assert_eq!(ddb001["source"], "ward");
    assert_eq!(ddb001["severity"], 2);
    assert_eq!(
        ddb001["range"]["start"],
        position_of(TABLE, "Properties:\n      TableName")
    );
    assert!(
        ddb001["message"]
            .as_str()
            .unwrap_or_default()
            .contains("OrdersTable")
    );
    // Code actions re-read the analysis, so diagnostics carry no payload (it would cost several
    // milliseconds per keystroke on large templates).
    assert!(ddb001.get("data").is_none());
    assert!(ddb001.get("codeDescription").is_none());
    assert_eq!(find(&diagnostics, "DDB002")["severity"], 3);

    let actions = client
        .code_actions(URI, ddb001["range"].clone(), None)
        .await;
    let fix_title = "Set SSEEnabled to true";
    let fix = action(&actions, fix_title);
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["diagnostics"][0]["code"], "DDB001");
    let suppress = action(&actions, "Suppress DDB001 for OrdersTable");
    assert_eq!(suppress["kind"], "quickfix");
    assert_eq!(suppress["isPreferred"], false);
    let fix_all = action(&actions, crate::FIX_ALL_TITLE);
    assert_eq!(fix_all["kind"], "source.fixAll.ward");
    // The fix first, suppressions after it.
    let position = |title: &str| actions.iter().position(|action| action["title"] == title);
    assert!(position(fix_title) < position("Suppress DDB001 for OrdersTable"));

    // Apply the quick fix as incremental changes, the way an editor sends them.
    let edits = edits_of(&fix["edit"], URI);
    let fixed = apply_edits(TABLE, &edits);
    let changes: Vec<Value> = edits
        .iter()
        .map(|edit| json!({"range": edit["range"], "text": edit["newText"]}))
        .collect();
    client.change(URI, 2, json!(changes)).await;
    let diagnostics = client.diagnostics(URI, 2).await;
    assert!(
        !codes(&diagnostics).contains(&"DDB001".to_string()),
        "{diagnostics:?}"
    );
    assert!(codes(&diagnostics).contains(&"DDB002".to_string()));

    // The server's text is the editor's: the same edits again give the same diagnostics.
    let actions = client.code_actions(URI, whole(&fixed), None).await;
    assert!(actions.iter().all(|action| action["title"] != fix_title));

    client
        .notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let cleared = client
        .notification(|message| message["method"] == "textDocument/publishDiagnostics")
        .await;
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    assert_eq!(client.stop().await, Exit::Clean);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suppression_and_fix_all_actions_edit_the_file() {
    let mut client = TestClient::start();
    client
        .initialize(json!({"workspace": {"workspaceEdit": {"documentChanges": true}}}))
        .await;
    client.open(URI, 7, TABLE).await;
    let diagnostics = client.diagnostics(URI, 7).await;
    let range = find(&diagnostics, "DDB001")["range"].clone();
    let actions = client.code_actions(URI, range, None).await;

    // documentChanges carry the version the edits apply to.
    let suppress = action(&actions, "Suppress DDB001 for OrdersTable");
    assert_eq!(
        suppress["edit"]["documentChanges"][0]["textDocument"]["version"],
        7
    );
    let suppressed = apply_edits(TABLE, &edits_of(&suppress["edit"], URI));
    assert!(suppressed.contains("rule: DDB001"), "{suppressed}");
    client
        .change(URI, 8, json!([{"text": suppressed.clone()}]))
        .await;
    let diagnostics = client.diagnostics(URI, 8).await;
    assert_eq!(
        codes(&diagnostics),
        ["DDB002"],
        "suppressed findings are not shown"
    );

    // Fix-all applies safe fixes only, and never a suppression.
    client.change(URI, 9, json!([{"text": TABLE}])).await;
    client.diagnostics(URI, 9).await;
    let actions = client
        .code_actions(URI, whole(TABLE), Some(json!(["source.fixAll"])))
        .await;
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.ward");
    let fixed = apply_edits(TABLE, &edits_of(&actions[0]["edit"], URI));
    assert!(fixed.contains("SSEEnabled: true"), "{fixed}");
    assert!(!fixed.contains("suppress"), "{fixed}");
    client.change(URI, 10, json!([{"text": fixed}])).await;
    let diagnostics = client.diagnostics(URI, 10).await;
    assert!(!codes(&diagnostics).contains(&"DDB001".to_string()));
    let quick_only = client
        .code_actions(URI, whole(TABLE), Some(json!(["quickfix"])))
        .await;
    assert!(quick_only.iter().all(|action| action["kind"] == "quickfix"));

    // A light-bulb request (automatic, no kinds named) gets no fix-all: it would re-lint the
    // file on every cursor move for an action the editor does not show there.
    client.change(URI, 11, json!([{"text": TABLE}])).await;
    client.diagnostics(URI, 11).await;
    let light_bulb = client
        .result(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": whole(TABLE),
                   "context": {"diagnostics": [], "triggerKind": 2}}),
        )
        .await;
    let light_bulb = light_bulb.as_array().cloned().unwrap_or_default();
    assert!(!light_bulb.is_empty());
    assert!(
        light_bulb
            .iter()
            .all(|action| action["kind"] != "source.fixAll.ward"),
        "{light_bulb:#?}"
    );
    let invoked = client.code_actions(URI, whole(TABLE), None).await;
    assert!(
        invoked
            .iter()
            .any(|action| action["kind"] == "source.fixAll.ward")
    );
    assert_eq!(client.stop().await, Exit::Clean);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_clients_pull_and_are_never_pushed_to() {
    let mut client = TestClient::start();
    let init = client
        .initialize(json!({
            "textDocument": {"diagnostic": {"dynamicRegistration": false}},
            "workspace": {"diagnostics": {"refreshSupport": true}, "configuration": true},
        }))
        .await;
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["interFileDependencies"],
        false
    );
    client.open(URI, 1, TABLE).await;
    let report = client
        .result(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().cloned().unwrap_or_default();
    assert!(codes(&items).contains(&"DDB001".to_string()));
    let result_id = report["resultId"].clone();
    let again = client
        .result(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}, "previousResultId": result_id}),
        )
        .await;
    assert_eq!(again["kind"], "unchanged");

    // A settings change asks the client to pull again.
    client.settings = json!({"rules": {"ignore": ["DDB001"]}});
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": null}),
        )
        .await;
    let refreshed = tokio::time::timeout(TIMEOUT, async {
        loop {
            client.drain(Duration::from_millis(50)).await;
            if client
                .server_requests
                .iter()
                .any(|request| request["method"] == "workspace/diagnostic/refresh")
            {
                break;
            }
        }
    })
    .await;
    assert!(
        refreshed.is_ok(),
        "no refresh: {:?}",
        client.server_requests
    );
    let report = client
        .result(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}, "previousResultId": result_id}),
        )
        .await;
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().cloned().unwrap_or_default();
    assert!(!codes(&items).contains(&"DDB001".to_string()), "{items:?}");

    let pushed = client.drain(Duration::from_millis(300)).await;
    assert!(
        pushed
            .iter()
            .all(|message| message["method"] != "textDocument/publishDiagnostics"),
        "a pull client got pushed diagnostics: {pushed:?}"
    );
    assert_eq!(client.stop().await, Exit::Clean);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf8_positions_when_the_client_prefers_them() {
    let mut client = TestClient::start();
    let init = client
        .initialize(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}))
        .await;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let text = r#"{"Description": "ünï😀", "Resources": {"T": {"Type": "AWS::DynamoDB::Table", "Properties": {}}}}"#;
    client.open(URI, 1, text).await;
    let diagnostics = client.diagnostics(URI, 1).await;
    let start = &find(&diagnostics, "DDB001")["range"]["start"];
    let byte = text.find("\"Properties\"").unwrap_or_default();
    assert_eq!(start, &json!({"line": 0, "character": byte}));

    // An incremental change in UTF-8 columns, after the multi-byte characters.
    let at = text.find("{}").unwrap_or_default() + 1;
    client
        .change(
            URI,
            2,
            json!([{"range": {"start": {"line": 0, "character": at}, "end": {"line": 0, "character": at}},
                    "text": "\"SSESpecification\": {\"SSEEnabled\": true}"}]),
        )
        .await;
    let diagnostics = client.diagnostics(URI, 2).await;
    assert!(
        !codes(&diagnostics).contains(&"DDB001".to_string()),
        "{diagnostics:?}"
    );
    assert_eq!(client.stop().await, Exit::Clean);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_yaml_stays_quiet_and_a_former_template_is_cleared() {
    let mut client = TestClient::start();
    client.initialize(json!({})).await;
    let other = "untitled:Untitled-1";
    client
        .open(other, 1, "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n")
        .await;
    client.open(URI, 1, TABLE).await;
    assert!(!client.diagnostics(URI, 1).await.is_empty());
    let quiet = client.drain(Duration::from_millis(300)).await;
    assert!(
        quiet
            .iter()
            .all(|message| message["params"]["uri"] != other),
        "{quiet:?}"
    );
    client
        .change(URI, 2, json!([{"text": "name: not a template\n"}]))
        .await;
    assert_eq!(client.diagnostics(URI, 2).await, Vec::<Value>::new());
    assert_eq!(client.stop().await, Exit::Clean);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn syntax_errors_garbage_and_huge_files_get_answers() {
    let mut client = TestClient::start();
    client.initialize(json!({})).await;
    client
        .open(URI, 1, "Resources:\n  T:\n    Type: [AWS::S3::Bucket\n")
        .await;
    let diagnostics = client.diagnostics(URI, 1).await;
    let syntax = find(&diagnostics, "syntax");
    assert_eq!(syntax["severity"], 1);
    assert_eq!(syntax["source"], "ward");

    let garbage: String = (0..4000u32)
        .map(|n| char::from_u32((n * 7919) % 0x2FFF).unwrap_or('\u{fffd}'))
        .collect();
    client.change(URI, 2, json!([{"text": garbage}])).await;
    client.diagnostics(URI, 2).await;
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 3}}),
        )
        .await;
    assert!(hover.get("error").is_none(), "{hover}");

    // About 10 MB: a template of many resources no rule looks at, and one table.
    let mut huge = String::from("Resources:\n");
    let mut n = 0;
    while huge.len() < 10_000_000 {
        huge.push_str(&format!(
            "  Handle{n}:\n    Type: AWS::CloudFormation::WaitConditionHandle\n    Metadata:\n      Note: a long note to take room, number {n}\n"
        ));
        n += 1;
    }
    huge.push_str("  OrdersTable:\n    Type: AWS::DynamoDB::Table\n");
    client.change(URI, 3, json!([{"text": huge}])).await;
    let diagnostics = client.diagnostics(URI, 3).await;
    assert_eq!(codes(&diagnostics), ["DDB001", "DDB002"]);
    // Past core's size limit: a clear message instead of findings.
    let mut larger = huge.clone();
    while larger.len() <= 33 * 1024 * 1024 {
        larger.push_str(&huge[11..]);
    }
    client.change(URI, 4, json!([{"text": larger}])).await;
    let diagnostics = client.diagnostics(URI, 4).await;
    assert_eq!(codes(&diagnostics), ["syntax"], "{diagnostics:?}");
    client.change(URI, 5, json!([{"text": TABLE}])).await;
    assert!(codes(&client.diagnostics(URI, 5).await).contains(&"DDB001".to_string()));
    assert_eq!(client.stop().await, Exit::Clean);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_is_logged_and_the_server_keeps_serving() {
    let mut client = TestClient::start();
    client.initialize(json!({})).await;
    let broken = format!("{TABLE}# ward-test-panic\n");
    client.open(URI, 1, &broken).await;
    let logged = client
        .notification(|message| {
            message["method"] == "window/logMessage" && message["params"]["type"] == 1
        })
        .await;
    assert!(
        logged["params"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("test panic"),
        "{logged}"
    );
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert_eq!(hover["error"]["code"], -32603, "{hover}");
    client.change(URI, 2, json!([{"text": TABLE}])).await;
    let diagnostics = client.diagnostics(URI, 2).await;
    assert!(codes(&diagnostics).contains(&"DDB001".to_string()));
    let published_for_1 = client.drain(Duration::from_millis(100)).await;
    assert!(
        published_for_1
            .iter()
            .all(|message| message["params"]["version"] != 1)
    );
    assert_eq!(client.stop().await, Exit::Clean);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rapid_edits_never_publish_an_older_version_after_a_newer_one() {
    let mut client = TestClient::start();
    client.initialize(json!({})).await;
    client.open(URI, 1, TABLE).await;
    let fixed = TABLE.replace(
        "      BillingMode",
        "      SSESpecification:\n        SSEEnabled: true\n      BillingMode",
    );
    let last = 60;
    for version in 2..=last {
        let text = if version % 2 == 0 { &fixed } else { TABLE };
        client.change(URI, version, json!([{"text": text}])).await;
    }
    let mut seen = Vec::new();
    loop {
        let message = client
            .notification(|message| message["method"] == "textDocument/publishDiagnostics")
            .await;
        let version = message["params"]["version"].as_i64().unwrap_or(-1);
        seen.push(version);
        if version == last {
            let codes = codes(
                message["params"]["diagnostics"]
                    .as_array()
                    .unwrap_or(&Vec::new()),
            );
            assert!(
                !codes.contains(&"DDB001".to_string()),
                "version {last} is the fixed text"
            );
            break;
        }
    }
    assert!(seen.windows(2).all(|pair| pair[0] < pair[1]), "{seen:?}");
    let after = client.drain(Duration::from_millis(300)).await;
    assert!(
        after
            .iter()
            .all(|message| message["method"] != "textDocument/publishDiagnostics"),
        "{after:?}"
    );
    assert_eq!(client.stop().await, Exit::Clean);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_explains_findings_names_and_resource_types() {
    let mut client = TestClient::start();
    client.initialize(json!({})).await;
    client.open(URI, 1, TABLE).await;
    let diagnostics = client.diagnostics(URI, 1).await;
    let start = find(&diagnostics, "DDB001")["range"]["start"].clone();
    let hover = |position: Value| json!({"textDocument": {"uri": URI}, "position": position});
    let on_finding = client.result("textDocument/hover", hover(start)).await;
    let text = on_finding["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(on_finding["contents"]["kind"], "markdown");
    assert!(
        text.starts_with("**DDB001** DynamoDB tables should be encrypted"),
        "{text}"
    );
    assert!(text.contains("is not encrypted"), "{text}");
    assert!(text.contains("Quick fix: "), "{text}");
    assert!(text.contains("```yaml\n"), "{text}");

    let on_type = client
        .result(
            "textDocument/hover",
            hover(position_of(TABLE, "DynamoDB::Table")),
        )
        .await;
    let text = on_type["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        text.contains("Ward rules for `AWS::DynamoDB::Table`"),
        "{text}"
    );
    assert!(text.contains("**DDB001** (warning)"), "{text}");

    let on_name = client
        .result(
            "textDocument/hover",
            hover(position_of(TABLE, "OrdersTable.Arn")),
        )
        .await;
    let text = on_name["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("OrdersTable"), "{text}");
    assert!(text.contains("AWS::DynamoDB::Table"), "{text}");
    assert_eq!(client.stop().await, Exit::Clean);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn navigation_symbols_definition_references_rename_and_completion() {
    let mut client = TestClient::start();
    client
        .initialize(json!({"textDocument": {"rename": {"prepareSupport": true}}}))
        .await;
    client.open(URI, 1, TABLE).await;
    client.diagnostics(URI, 1).await;
    let document = json!({"uri": URI});

    let symbols = client
        .result(
            "textDocument/documentSymbol",
            json!({"textDocument": document}),
        )
        .await;
    let names: Vec<&str> = symbols
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|symbol| symbol["name"].as_str())
        .collect();
    assert_eq!(names, ["Parameters", "Conditions", "Resources", "Outputs"]);
    let resources = &symbols[2];
    assert_eq!(resources["kind"], 3, "a namespace");
    assert_eq!(resources["children"][0]["name"], "OrdersTable");
    assert_eq!(resources["children"][0]["detail"], "AWS::DynamoDB::Table");

    let at = |needle: &str| json!({"textDocument": {"uri": URI}, "position": position_of(TABLE, needle)});
    let definition = client
        .result("textDocument/definition", at("OrdersTable.Arn"))
        .await;
    assert_eq!(definition["uri"], URI);
    assert_eq!(
        definition["range"]["start"],
        position_of(TABLE, "OrdersTable:")
    );

    let mut params = at("Environment:");
    params["context"] = json!({"includeDeclaration": false});
    let references = client
        .result("textDocument/references", params.clone())
        .await;
    let count_without = references.as_array().map_or(0, Vec::len);
    assert!(count_without >= 2, "!Ref and ${{}}: {references}");
    params["context"] = json!({"includeDeclaration": true});
    let references = client.result("textDocument/references", params).await;
    assert_eq!(references.as_array().map_or(0, Vec::len), count_without + 1);

    let prepared = client
        .result("textDocument/prepareRename", at("OrdersTable:"))
        .await;
    assert_eq!(prepared["placeholder"], "OrdersTable");
    let mut params = at("OrdersTable:");
    params["newName"] = json!("Orders");
    let edit = client.result("textDocument/rename", params.clone()).await;
    let renamed = apply_edits(TABLE, &edits_of(&edit, URI));
    assert!(!renamed.contains("OrdersTable"), "{renamed}");
    assert_eq!(
        renamed.matches("Orders").count(),
        TABLE.matches("OrdersTable").count()
    );
    params["newName"] = json!("not valid!");
    let refused = client.request("textDocument/rename", params).await;
    assert!(
        refused["error"]["message"]
            .as_str()
            .is_some_and(|message| message.contains("not a valid name")),
        "{refused}"
    );

    // Completion while the text is half typed and does not parse: the last index that parsed.
    let half = format!("{TABLE}  Broken:\n    Value: !Ref \n  - [\n");
    client.change(URI, 2, json!([{"text": half.clone()}])).await;
    client.diagnostics(URI, 2).await;
    let line = half.lines().count() - 2;
    let completion = client
        .result(
            "textDocument/completion",
            json!({"textDocument": document, "position": {"line": line, "character": 16}}),
        )
        .await;
    let labels: Vec<&str> = completion
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| item["label"].as_str())
        .collect();
    assert!(labels.contains(&"Environment"), "{completion}");
    assert!(labels.contains(&"OrdersTable"), "{completion}");
    assert_eq!(client.stop().await, Exit::Clean);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ward_toml_and_client_settings_shape_the_diagnostics() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let folder = dir.path().join("stack");
    std::fs::create_dir_all(&folder).expect("a folder");
    std::fs::write(dir.path().join("ward.toml"), "ignore = [\"DDB002\"]\n").expect("ward.toml");
    let path = folder.join("template.yaml");
    let uri = format!("file://{}", path.display());

    let mut client = TestClient::start();
    client.settings = json!({
        "severity": {"DDB001": "error"},
        "docsBaseUrl": "https://ward.example/rules/",
    });
    client
        .initialize(json!({
            "workspace": {
                "configuration": true,
                "didChangeWatchedFiles": {"dynamicRegistration": true},
            }
        }))
        .await;
    client.open(&uri, 1, TABLE).await;
    // The settings may arrive after the first lint; wait for the linted result that has them.
    let mut ddb001 = Value::Null;
    for _ in 0..50 {
        let message = client
            .notification(|message| message["method"] == "textDocument/publishDiagnostics")
            .await;
        let diagnostics = message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            !codes(&diagnostics).contains(&"DDB002".to_string()),
            "ward.toml ignores it"
        );
        if let Some(found) = diagnostics
            .iter()
            .find(|d| d["code"] == "DDB001" && d["severity"] == 1)
        {
            ddb001 = found.clone();
            break;
        }
    }
    assert_eq!(
        ddb001["codeDescription"]["href"],
        "https://ward.example/rules/DDB001"
    );
    assert!(
        client
            .server_requests
            .iter()
            .any(|request| request["method"] == "client/registerCapability"
                && request["params"]["registrations"][0]["registerOptions"]["watchers"][0]["globPattern"]
                    == "**/{ward,.ward}.toml"),
        "{:?}",
        client.server_requests
    );

    // An invalid ward.toml: a message with file:line:col, and the defaults apply.
    std::fs::write(dir.path().join("ward.toml"), "ignore = [\n  1,\n]\n").expect("ward.toml");
    let toml_uri = format!("file://{}", dir.path().join("ward.toml").display());
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": toml_uri, "type": 2}]}),
        )
        .await;
    let shown = client
        .notification(|message| message["method"] == "window/showMessage")
        .await;
    assert_eq!(shown["params"]["type"], 1);
    let text = shown["params"]["message"].as_str().unwrap_or_default();
    assert!(text.contains("ward.toml:2:"), "{text}");
    let diagnostics = client.diagnostics(&uri, 1).await;
    assert!(
        codes(&diagnostics).contains(&"DDB002".to_string()),
        "defaults: {diagnostics:?}"
    );

    // `enable: false` clears the diagnostics.
    client.settings = json!({"enable": false});
    client
        .notify("workspace/didChangeConfiguration", json!({"settings": {}}))
        .await;
    loop {
        let diagnostics = client.diagnostics(&uri, 1).await;
        if diagnostics.is_empty() {
            break;
        }
    }
    assert_eq!(client.stop().await, Exit::Clean);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_ward_toml_applies_while_edited() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let template_uri = format!("file://{}", dir.path().join("t.yaml").display());
    let toml_uri = format!("file://{}", dir.path().join(".ward.toml").display());
    let mut client = TestClient::start();
    client
        .initialize_with(json!({
            "processId": null,
            "rootUri": null,
            "capabilities": {},
            "initializationOptions": {"ward": {"rules": {"ignore": ["DDB002"]}}},
        }))
        .await;
    client.open(&template_uri, 1, TABLE).await;
    assert_eq!(
        codes(&client.diagnostics(&template_uri, 1).await),
        ["DDB001"]
    );
    client.open(&toml_uri, 1, "").await;
    // Half typed: the last valid text stays in force.
    client
        .change(&toml_uri, 2, json!([{"text": "ignore = [\"DDB0"}]))
        .await;
    client
        .change(&toml_uri, 3, json!([{"text": "ignore = [\"DDB001\"]\n"}]))
        .await;
    loop {
        let diagnostics = client.diagnostics(&template_uri, 1).await;
        if diagnostics.is_empty() {
            break;
        }
    }
    let toml_diagnostics = client.drain(Duration::from_millis(200)).await;
    assert!(
        toml_diagnostics
            .iter()
            .all(|message| message["params"]["uri"] != toml_uri.as_str()),
        "{toml_diagnostics:?}"
    );
    // Closing it without saving: the file on disk (none) applies again.
    client
        .notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": toml_uri}}),
        )
        .await;
    loop {
        let diagnostics = client.diagnostics(&template_uri, 1).await;
        if codes(&diagnostics) == ["DDB001"] {
            break;
        }
    }
    assert_eq!(client.stop().await, Exit::Clean);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_without_shutdown_is_a_failure_status() {
    let mut client = TestClient::start();
    client.initialize(json!({})).await;
    client.notify("exit", Value::Null).await;
    let exit = tokio::time::timeout(TIMEOUT, client.server)
        .await
        .expect("the server exits in time")
        .expect("the server task ends normally");
    assert_eq!(exit, Exit::WithoutShutdown);
    assert_eq!(exit.code(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_requests_are_answered_and_serving_goes_on() {
    let mut client = TestClient::start();
    client.initialize(json!({})).await;
    client.open(URI, 1, TABLE).await;
    client.next_id += 1;
    let id = client.next_id;
    client
        .send(
            json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/documentSymbol",
                     "params": {"textDocument": {"uri": URI}}}),
        )
        .await;
    client.notify("$/cancelRequest", json!({"id": id})).await;
    let answer = client.notification(|message| message["id"] == id).await;
    assert!(
        answer.get("result").is_some() || answer["error"]["code"] == -32800,
        "{answer}"
    );
    client.diagnostics(URI, 1).await;
    assert_eq!(client.stop().await, Exit::Clean);
}

/// A finding that holds only in some deployments: its causes are related locations.
const CONDITIONAL: &str = "\
Parameters:
  Environment:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
Conditions:
  IsProd: !Equals [!Ref Environment, prod]
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      SSESpecification:
        SSEEnabled: !If [IsProd, true, false]
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn related_information_points_at_the_causes_when_the_client_takes_it() {
    let mut client = TestClient::start();
    client
        .initialize(json!({"textDocument": {"publishDiagnostics": {"relatedInformation": true}}}))
        .await;
    client.open(URI, 1, CONDITIONAL).await;
    let diagnostics = client.diagnostics(URI, 1).await;
    let ddb001 = find(&diagnostics, "DDB001");
    assert!(
        ddb001["message"]
            .as_str()
            .is_some_and(|message| message.contains("when condition IsProd is false")),
        "{ddb001}"
    );
    let related = ddb001["relatedInformation"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        related.iter().any(|item| item["location"]["uri"] == URI
            && item["location"]["range"]["start"] == position_of(CONDITIONAL, "IsProd:")),
        "{related:?}"
    );
    assert!(
        related
            .iter()
            .any(|item| item["location"]["range"]["start"] == position_of(CONDITIONAL, "dev\n")),
        "{related:?}"
    );
    // The unsafe fix (it replaces a function) is offered, but not preferred.
    let actions = client
        .code_actions(URI, ddb001["range"].clone(), None)
        .await;
    assert_eq!(
        action(&actions, "Set SSEEnabled to true")["isPreferred"],
        false
    );
    assert!(
        actions
            .iter()
            .all(|action| action["kind"] != "source.fixAll.ward"),
        "no safe fix, no fix-all: {actions:#?}"
    );
    assert_eq!(client.stop().await, Exit::Clean);

    let mut client = TestClient::start();
    client.initialize(json!({})).await;
    client.open(URI, 1, CONDITIONAL).await;
    let diagnostics = client.diagnostics(URI, 1).await;
    assert!(
        find(&diagnostics, "DDB001")
            .get("relatedInformation")
            .is_none()
    );
    assert_eq!(client.stop().await, Exit::Clean);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rule_docs_answers_markdown_and_refuses_unknown_rules() {
    let mut client = TestClient::start();
    client.initialize(json!({})).await;

    let docs = client
        .result("ward/ruleDocs", json!({"rule": "DDB001"}))
        .await;
    assert_eq!(docs["rule"], "DDB001");
    let markdown = docs["markdown"].as_str().unwrap_or_default();
    let expected = ward_core::rules::all()
        .iter()
        .find(|rule| rule.meta.id == "DDB001")
        .map(|rule| rule.meta.docs_markdown())
        .unwrap_or_default();
    assert!(markdown.starts_with("# DDB001 "), "{markdown}");
    assert_eq!(markdown, expected);

    // A name or a lower-case id finds the same rule.
    let name = ward_core::rules::all()
        .iter()
        .find(|rule| rule.meta.id == "DDB001")
        .map(|rule| rule.meta.name)
        .unwrap_or_default();
    for wanted in [name, "ddb001", " DDB001 "] {
        let docs = client
            .result("ward/ruleDocs", json!({"rule": wanted}))
            .await;
        assert_eq!(docs["rule"], "DDB001", "{wanted}");
    }

    let unknown = client
        .request("ward/ruleDocs", json!({"rule": "NOPE999"}))
        .await;
    assert_eq!(unknown["error"]["code"], -32602, "{unknown}");
    let message = unknown["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("unknown rule `NOPE999`"), "{message}");

    for bad in [json!({}), json!({"rule": 7}), json!([])] {
        let response = client.request("ward/ruleDocs", bad.clone()).await;
        assert_eq!(response["error"]["code"], -32602, "{bad}: {response}");
        let message = response["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("ward/ruleDocs expects"), "{message}");
    }

    // The server goes on serving.
    client.open(URI, 1, TABLE).await;
    let diagnostics = client.diagnostics(URI, 1).await;
    assert!(codes(&diagnostics).contains(&"DDB001".to_string()));
    assert_eq!(client.stop().await, Exit::Clean);
}
