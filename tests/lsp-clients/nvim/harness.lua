-- End-to-end test of `cfn-ward lsp` with Neovim's built-in LSP client (Debian's 0.7.2 and later).
--
--   WARD_BIN=/path/to/cfn-ward WARD_FILE=template.yaml \
--     nvim --headless --clean -c 'luafile tests/lsp-clients/nvim/harness.lua'
--
-- Opens WARD_FILE (a template with an unencrypted DynamoDB table), waits for the DDB001 diagnostic
-- through vim.diagnostic.get, asks for code actions, applies the "Set SSEEnabled to true" quick fix
-- with vim.lsp.util.apply_workspace_edit, waits until DDB001 disappears from that line (Neovim
-- sends the didChange itself), stops the server and checks that it exited with status 0.
-- WARD_RULE and WARD_FIX_TITLE choose another rule and fix.
-- Exit status: 0 success, 1 a check failed, 2 bad usage, 3 overall timeout.
--
-- 0.7 has no vim.lsp.start, so the client is started with vim.lsp.start_client and attached with
-- vim.lsp.buf_attach_client; both still exist in later versions.

local started = vim.loop.hrtime()
local function elapsed()
  return string.format('%6.0f ms', (vim.loop.hrtime() - started) / 1e6)
end

local function say(...)
  io.stdout:write(elapsed(), '  ', string.format(...), '\n')
  io.stdout:flush()
end

local function finish(code, why)
  if why then
    io.stdout:write(elapsed(), '  ', code == 0 and 'PASS ' or 'FAIL ', why, '\n')
  end
  io.stdout:flush()
  io.stderr:flush()
  os.exit(code)
end

local function fail(...)
  finish(1, string.format(...))
end

-- The server: WARD_BIN (a path, may contain spaces) run as `WARD_BIN lsp --stdio`, or
-- WARD_LSP_CMD (a whitespace-separated command line).
local bin = os.getenv('WARD_BIN')
local cmd_line = os.getenv('WARD_LSP_CMD')
if (not cmd_line or cmd_line == '') and bin and bin ~= '' then
  cmd_line = bin .. ' lsp --stdio'
end
local file = os.getenv('WARD_FILE')
-- Each wait gives up after WARD_STEP_MS; the whole run after WARD_TIMEOUT_MS.
local timeout = tonumber(os.getenv('WARD_TIMEOUT_MS') or '') or 60000
local step = tonumber(os.getenv('WARD_STEP_MS') or '') or 20000
local rule = os.getenv('WARD_RULE') or 'DDB001'
local fix_title = os.getenv('WARD_FIX_TITLE') or 'Set SSEEnabled to true'
if not cmd_line or cmd_line == '' or not file or file == '' then
  io.stderr:write('usage: WARD_BIN=path/to/cfn-ward WARD_FILE=template.yaml nvim --headless --clean -c "luafile harness.lua"\n')
  os.exit(2)
end
local cmd
if os.getenv('WARD_LSP_CMD') and os.getenv('WARD_LSP_CMD') ~= '' then
  cmd = vim.split(cmd_line, '%s+', { trimempty = true })
else
  cmd = { bin, 'lsp', '--stdio' }
end
file = vim.fn.fnamemodify(file, ':p')

-- The overall timeout: deferred functions run while vim.wait / buf_request_sync pump the loop.
vim.defer_fn(function()
  finish(3, string.format('overall timeout after %d ms', timeout))
end, timeout)

say('nvim %s, server: %s', tostring(vim.version().major .. '.' .. vim.version().minor .. '.' .. vim.version().patch), cmd_line)

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()

local server_exit = nil
local client_id = vim.lsp.start_client({
  name = 'cfn-ward',
  cmd = cmd,
  root_dir = vim.fn.fnamemodify(file, ':h'),
  -- What Neovim answers to workspace/configuration (section "ward").
  settings = { ward = { enable = true } },
  on_exit = function(code, signal)
    server_exit = { code = code, signal = signal }
  end,
})
if not client_id then
  fail('vim.lsp.start_client returned nil for %s', cmd_line)
end
if not vim.lsp.buf_attach_client(bufnr, client_id) then
  fail('vim.lsp.buf_attach_client failed')
end

local function client()
  return vim.lsp.get_client_by_id(client_id)
end

-- The first diagnostic of the rule, on `line` when given (0-based).
local function find_diagnostic(line)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == rule and (line == nil or d.lnum == line) then
      return d
    end
  end
  return nil
end

local ok = vim.wait(step, function()
  return server_exit ~= nil or (client() and client().initialized and find_diagnostic() ~= nil)
end, 20)
if server_exit then
  fail('the server exited (status %s, signal %s) before publishing %s', tostring(server_exit.code), tostring(server_exit.signal), rule)
end
if not ok then
  fail('no %s diagnostic within %d ms', rule, step)
end

for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  say('DIAG %d:%d-%d:%d severity=%s [%s %s] %s', d.lnum, d.col, d.end_lnum, d.end_col, tostring(d.severity), tostring(d.source), tostring(d.code), d.message)
end

local d = find_diagnostic()
-- The diagnostic as the server sent it, for the code action context. vim.diagnostic keeps byte
-- columns; LSP wants UTF-16 ones.
local function utf16_col(lnum, col)
  local text = vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, false)[1] or ''
  local _, utf16 = vim.str_utfindex(text, math.min(col, #text))
  return utf16
end
local lsp_diagnostic = {
  range = {
    start = { line = d.lnum, character = utf16_col(d.lnum, d.col) },
    ['end'] = { line = d.end_lnum, character = utf16_col(d.end_lnum, d.end_col) },
  },
  severity = d.severity,
  message = d.message,
  source = d.source,
  code = d.code,
  data = d.user_data and d.user_data.lsp and d.user_data.lsp.data or nil,
}
local line_text = vim.api.nvim_buf_get_lines(bufnr, d.lnum, d.lnum + 1, false)[1]
say('finding on line %d, UTF-16 columns %d-%d: %q', d.lnum + 1, lsp_diagnostic.range.start.character, lsp_diagnostic.range['end'].character, line_text)

local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
  textDocument = { uri = vim.uri_from_bufnr(bufnr) },
  range = lsp_diagnostic.range,
  context = { diagnostics = { lsp_diagnostic } },
}, 10000)
if not responses or not responses[client_id] then
  fail('no answer to textDocument/codeAction')
end
if responses[client_id].err then
  fail('textDocument/codeAction failed: %s', vim.inspect(responses[client_id].err))
end
local actions = responses[client_id].result or {}
local chosen = nil
for _, action in ipairs(actions) do
  say('ACTION %s (%s)%s', action.title, tostring(action.kind), action.isPreferred and ' preferred' or '')
  if action.title == fix_title then
    chosen = action
  end
end
if not chosen then
  fail('no code action titled %q', fix_title)
end
if not chosen.edit and chosen.data ~= nil then
  local resolved = client().request_sync('codeAction/resolve', chosen, 10000, bufnr)
  if not resolved or resolved.err then
    fail('codeAction/resolve failed: %s', vim.inspect(resolved))
  end
  chosen = resolved.result
end
if not chosen.edit then
  fail('the quick fix has no edit: %s', vim.inspect(chosen))
end

vim.lsp.util.apply_workspace_edit(chosen.edit, 'utf-16')
local fixed_line = vim.api.nvim_buf_get_lines(bufnr, d.lnum, d.lnum + 1, false)[1]
say('applied %q: line %d is now %q', fix_title, d.lnum + 1, fixed_line)
if fixed_line == line_text then
  fail('the workspace edit changed nothing on line %d', d.lnum + 1)
end

ok = vim.wait(step, function()
  return server_exit ~= nil or find_diagnostic(d.lnum) == nil
end, 20)
if server_exit then
  fail('the server exited (status %s) after the edit', tostring(server_exit.code))
end
if not ok then
  fail('%s still reported on line %d %d ms after the fix', rule, d.lnum + 1, step)
end
say('%s on line %d gone after the fix; %d diagnostics left', rule, d.lnum + 1, #vim.diagnostic.get(bufnr))
for _, left in ipairs(vim.diagnostic.get(bufnr)) do
  say('DIAG %d:%d-%d:%d severity=%s [%s %s] %s', left.lnum, left.col, left.end_lnum, left.end_col, tostring(left.severity), tostring(left.source), tostring(left.code), left.message)
end

-- shutdown + exit, and the server's exit status.
client().stop()
ok = vim.wait(10000, function()
  return server_exit ~= nil
end, 20)
if not ok then
  fail('the server did not exit within 10 s of shutdown/exit')
end
if server_exit.code ~= 0 then
  fail('the server exited with status %s (signal %s) after shutdown/exit', tostring(server_exit.code), tostring(server_exit.signal))
end
say('server exited with status 0')
finish(0, string.format('%s reported, fixed with %q, and gone from line %d', rule, fix_title, d.lnum + 1))
