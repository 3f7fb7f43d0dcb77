// PDFs in the new user turn through the gateway with the official clients (@anthropic-ai/sdk, openai): a document
// between two texts, the next turn echoing it, two documents in one turn, a plain-text document, OpenAI chat's `file`
// part, the Responses API's `input_file`, and a document in a client tool's result. Each prompt names its scenario (DOC-...), so the test
// finds its requests at the mock. Prints one JSON object with each answer.
// Usage: node documents.cjs <gateway base URL> <pdfs.json: {"a": base64 PDF, "b": another base64 PDF}>
const fs = require('fs');
const Anthropic = require('@anthropic-ai/sdk').default;
const OpenAI = require('openai').default;

async function main() {
  const baseURL = process.argv[2];
  const pdf = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
  const anthropic = new Anthropic({ baseURL, apiKey: 'unused-by-a-loopback-gateway', maxRetries: 0 });
  const openai = new OpenAI({ baseURL: baseURL + '/v1', apiKey: 'unused-by-a-loopback-gateway', maxRetries: 0 });
  const model = 'claude-sdk-test';
  const doc = (data) => ({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data } });
  const out = {};

  const first = { role: 'user', content: [{ type: 'text', text: 'read this' }, doc(pdf.a), { type: 'text', text: 'DOC-TURN and sum it up' }] };
  out.turn = await anthropic.messages.create({ model, max_tokens: 100, messages: [first] });
  out.next = await anthropic.messages.create({ model, max_tokens: 100, messages: [first,
    { role: 'assistant', content: out.turn.content }, { role: 'user', content: 'DOC-NEXT and now?' }] });
  out.two = await anthropic.messages.create({ model, max_tokens: 100, messages: [
    { role: 'user', content: [doc(pdf.a), { type: 'text', text: 'DOC-TWO compare with' },
      { ...doc(pdf.b), title: 'Second', context: 'for comparison' }] }] });
  out.text = await anthropic.messages.create({ model, max_tokens: 100, messages: [{ role: 'user', content: [
    { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'a plain note\nof two lines' } },
    { type: 'text', text: 'DOC-TEXT what does the note say?' }] }] });
  out.chat = await openai.chat.completions.create({ model, messages: [{ role: 'user', content: [
    { type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,' + pdf.a } },
    { type: 'text', text: 'DOC-CHAT read the file' }] }] });
  out.responses = await openai.responses.create({ model, input: [{ role: 'user', content: [
    { type: 'input_text', text: 'DOC-RESPONSES read the file' },
    { type: 'input_file', filename: 'b.pdf', file_data: 'data:application/pdf;base64,' + pdf.b }] }] });

  const tools = [{ name: 'readFile', description: 'Reads a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }];
  const ask = { role: 'user', content: 'DOC-TOOL call the reader' };
  const call = await anthropic.messages.create({ model, max_tokens: 100, tools, messages: [ask] });
  const uses = call.content.filter((b) => b.type === 'tool_use');
  out.toolCall = { stop: call.stop_reason, names: uses.map((u) => u.name) };
  out.toolAnswer = await anthropic.messages.create({ model, max_tokens: 100, tools, messages: [ask,
    { role: 'assistant', content: call.content },
    { role: 'user', content: uses.map((u) => ({ type: 'tool_result', tool_use_id: u.id,
      content: [{ type: 'text', text: 'the file:' }, doc(pdf.b)] })) }] });
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => { console.error(e); process.exit(1); });
