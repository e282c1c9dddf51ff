//! The real `cfn-ward lsp --stdio` binary, driven over its standard input and output by a tiny
//! Content-Length-framed JSON-RPC client. Every wait has a timeout, so a hang fails the test.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const TIMEOUT: Duration = Duration::from_secs(30);

const URI: &str = "file:///tmp/ward-lsp-stdio/template.yaml";

/// An unencrypted DynamoDB table (DDB001 has a safe fix) read through `!GetAtt`.
const TEMPLATE: &str = "\
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      KeySchema:
        - AttributeName: id
          KeyType: HASH
Outputs:
  TableArn:
    Value: !GetAtt OrdersTable.Arn
";

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Messages read while waiting for another one.
    backlog: Vec<Value>,
    next_id: i64,
}

fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
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
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Server {
    fn start() -> Result<Server, Box<dyn std::error::Error>> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cfn-ward"))
            .args(["lsp", "--stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let stdin = child.stdin.take();
        let (sender, messages) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Ok(Server {
            child,
            stdin,
            messages,
            backlog: Vec::new(),
            next_id: 0,
        })
    }

    fn send(&mut self, message: &Value) -> TestResult {
        let body = message.to_string();
        let stdin = self.stdin.as_mut().ok_or("stdin closed")?;
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len())?;
        stdin.flush()?;
        Ok(())
    }

    fn notify(&mut self, method: &str, params: Value) -> TestResult {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    fn receive(&mut self, deadline: Instant) -> Result<Value, Box<dyn std::error::Error>> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.messages.recv_timeout(left) {
            Ok(message) => {
                // Answer what the server asks (configuration, registrations) with null.
                if message.get("method").is_some() && message.get("id").is_some() {
                    let id = message["id"].clone();
                    self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}))?;
                }
                Ok(message)
            }
            Err(RecvTimeoutError::Timeout) => Err("timed out waiting for the server".into()),
            Err(RecvTimeoutError::Disconnected) => Err("the server closed its output".into()),
        }
    }

    /// The first message (from the backlog, then new ones) that `predicate` accepts.
    fn wait_for(
        &mut self,
        predicate: impl Fn(&Value) -> bool,
    ) -> Result<Value, Box<dyn std::error::Error>> {
        if let Some(position) = self.backlog.iter().position(&predicate) {
            return Ok(self.backlog.remove(position));
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.receive(deadline)?;
            if predicate(&message) {
                return Ok(message);
            }
            self.backlog.push(message);
        }
    }

    fn request(
        &mut self,
        method: &str,
        params: Value,
    ) -> Result<Value, Box<dyn std::error::Error>> {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        let response =
            self.wait_for(|message| message["id"] == id && message.get("method").is_none())?;
        if let Some(error) = response.get("error") {
            return Err(format!("{method} failed: {error}").into());
        }
        Ok(response["result"].clone())
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(
        &mut self,
        uri: &str,
        version: i64,
    ) -> Result<Vec<Value>, Box<dyn std::error::Error>> {
        let message = self.wait_for(|message| {
            message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
                && message["params"]["version"] == version
        })?;
        Ok(message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default())
    }

    fn wait_exit(&mut self) -> Result<ExitStatus, Box<dyn std::error::Error>> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                return Err("the server did not exit".into());
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn shutdown(mut self) -> Result<ExitStatus, Box<dyn std::error::Error>> {
        self.request("shutdown", Value::Null)?;
        self.notify("exit", Value::Null)?;
        // Leave stdin open, as some clients do: the server must exit on `exit` alone.
        let status = self.wait_exit();
        drop(self.stdin.take());
        status
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .filter_map(|diagnostic| diagnostic["code"].as_str())
        .collect()
}

/// The 0-based line and UTF-16 column of the first `needle` in `text`.
fn position_of(text: &str, needle: &str) -> Value {
    let offset = text.find(needle).unwrap_or(0);
    let line = text[..offset].matches('\n').count();
    let line_start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
    let column: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": column})
}

/// Applies LSP text edits (UTF-16 positions) to `text`, as an editor does.
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
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|edit| {
            (
                offset(&edit["range"]["start"]),
                offset(&edit["range"]["end"]),
                edit["newText"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    edits.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let mut out = text.to_string();
    for (start, end, new_text) in edits {
        out.replace_range(start..end, new_text);
    }
    out
}

fn initialize(
    server: &mut Server,
    capabilities: Value,
) -> Result<Value, Box<dyn std::error::Error>> {
    let result = server.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
    )?;
    server.notify("initialized", json!({}))?;
    Ok(result)
}

#[test]
fn push_session_from_diagnostics_to_rename_and_a_clean_exit() -> TestResult {
    let mut server = Server::start()?;
    let init = initialize(&mut server, json!({}))?;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert!(init["capabilities"].get("diagnosticProvider").is_none());

    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "yaml", "version": 1, "text": TEMPLATE}}),
    )?;
    let diagnostics = server.diagnostics(URI, 1)?;
    assert!(codes(&diagnostics).contains(&"DDB001"), "{diagnostics:?}");
    let ddb001 = diagnostics
        .iter()
        .find(|diagnostic| diagnostic["code"] == "DDB001")
        .ok_or("no DDB001")?;
    assert_eq!(ddb001["source"], "ward");

    let actions = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": ddb001["range"],
               "context": {"diagnostics": [ddb001]}}),
    )?;
    let actions = actions.as_array().cloned().unwrap_or_default();
    let fix = actions
        .iter()
        .find(|action| action["kind"] == "quickfix" && action["isPreferred"] == true)
        .ok_or("no preferred quick fix")?;
    assert!(
        actions
            .iter()
            .any(|action| action["title"] == "Suppress DDB001 for OrdersTable")
    );
    let edits = fix["edit"]["changes"][URI]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!edits.is_empty(), "{fix}");
    let fixed = apply_edits(TEMPLATE, &edits);
    let changes: Vec<Value> = edits
        .iter()
        .map(|edit| json!({"range": edit["range"], "text": edit["newText"]}))
        .collect();
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": changes}),
    )?;
    let diagnostics = server.diagnostics(URI, 2)?;
    assert!(!codes(&diagnostics).contains(&"DDB001"), "{diagnostics:?}");

    let at = |needle: &str| json!({"textDocument": {"uri": URI}, "position": position_of(&fixed, needle)});
    let hover = server.request("textDocument/hover", at("AWS::DynamoDB::Table"))?;
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("DDB001"), "{text}");

    let symbols = server.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    )?;
    assert_eq!(symbols[0]["name"], "Resources");
    assert_eq!(symbols[0]["children"][0]["name"], "OrdersTable");

    let definition = server.request("textDocument/definition", at("OrdersTable.Arn"))?;
    assert_eq!(
        definition["range"]["start"],
        position_of(&fixed, "OrdersTable:")
    );

    let mut params = at("OrdersTable:");
    params["newName"] = json!("Orders");
    let rename = server.request("textDocument/rename", params)?;
    let renamed = apply_edits(
        &fixed,
        rename["changes"][URI].as_array().map_or(&[], Vec::as_slice),
    );
    assert!(renamed.contains("!GetAtt Orders.Arn"), "{renamed}");
    assert!(!renamed.contains("OrdersTable"), "{renamed}");

    // Garbage neither crashes the server nor stops it answering.
    let garbage =
        String::from_utf8_lossy(&(0..=255u8).cycle().take(5000).collect::<Vec<u8>>()).into_owned();
    let other = "file:///tmp/ward-lsp-stdio/garbage.yaml";
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": other, "languageId": "yaml", "version": 1, "text": garbage}}),
    )?;
    server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": other}, "position": {"line": 0, "character": 1}}),
    )?;
    server.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    )?;

    let status = server.shutdown()?;
    assert_eq!(status.code(), Some(0));
    Ok(())
}

#[test]
fn pull_session_answers_textdocument_diagnostic_and_pushes_nothing() -> TestResult {
    let mut server = Server::start()?;
    let init = initialize(&mut server, json!({"textDocument": {"diagnostic": {}}}))?;
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["identifier"],
        "ward"
    );
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "yaml", "version": 1, "text": TEMPLATE}}),
    )?;
    let report = server.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": URI}}),
    )?;
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().cloned().unwrap_or_default();
    assert!(codes(&items).contains(&"DDB001"), "{items:?}");
    // Any push would have come by the time a later request is answered.
    thread::sleep(Duration::from_millis(200));
    server.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    )?;
    assert!(
        server
            .backlog
            .iter()
            .all(|message| message["method"] != "textDocument/publishDiagnostics"),
        "{:?}",
        server.backlog
    );
    let status = server.shutdown()?;
    assert_eq!(status.code(), Some(0));
    Ok(())
}

#[test]
fn exit_without_shutdown_exits_with_status_1() -> TestResult {
    let mut server = Server::start()?;
    initialize(&mut server, json!({}))?;
    server.notify("exit", Value::Null)?;
    let status = server.wait_exit()?;
    assert_eq!(status.code(), Some(1));
    Ok(())
}
