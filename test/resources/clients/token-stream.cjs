// Drives the gateway's token streams with the official SDKs (@anthropic-ai/sdk, openai): a streamed
// Messages answer (thinking, text over two API calls), a streamed chat completion, a streamed
// Responses answer, then an upstream 429 (whole) and an upstream overload after the stream began.
// Usage: node token-stream.cjs <gateway base URL>; prints one JSON object with what it saw.
const Anthropic = require('@anthropic-ai/sdk').default;
const OpenAI = require('openai').default;

async function main() {
  const baseURL = process.argv[2];
  const anthropic = new Anthropic({ baseURL, apiKey: 'unused-by-a-loopback-gateway', maxRetries: 0 });
  const openai = new OpenAI({ baseURL: baseURL + '/v1', apiKey: 'unused-by-a-loopback-gateway', maxRetries: 0 });
  const model = 'claude-sdk-test';
  const out = {};

  const stream = anthropic.messages.stream({ model, max_tokens: 1024, messages: [{ role: 'user', content: 'stream tokens' }] });
  const events = [];
  const texts = [];
  const thinking = [];
  stream.on('streamEvent', (e) => events.push(e.type === 'content_block_delta' ? e.type + ':' + e.index : e.type));
  stream.on('text', (delta) => texts.push(delta));
  stream.on('thinking', (delta) => thinking.push(delta));
  const message = await stream.finalMessage();
  out.anthropic = { events, texts, thinking, message };

  const chat = await openai.chat.completions.create({ model, stream: true, stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'stream tokens' }] });
  const pieces = [];
  let finish = null;
  let usage = null;
  for await (const chunk of chat) {
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    if (choice.delta.content) pieces.push(choice.delta.content);
    if (choice.finish_reason) finish = choice.finish_reason;
  }
  out.chat = { pieces, finish, usage };

  const responses = openai.responses.stream({ model, input: 'stream tokens', store: false });
  const deltas = [];
  responses.on('response.output_text.delta', (e) => deltas.push(e.delta));
  const final = await responses.finalResponse();
  out.responses = { deltas, text: final.output_text, status: final.status, usage: final.usage };

  try {
    await anthropic.messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'rate limit me' }] });
    out.rateLimited = 'accepted';
  } catch (e) {
    out.rateLimited = { status: e.status, type: e.error?.error?.type, message: e.error?.error?.message,
      retryAfter: e.headers?.get ? e.headers.get('retry-after') : e.headers?.['retry-after'] };
  }
  try {
    const s = anthropic.messages.stream({ model, max_tokens: 10, messages: [{ role: 'user', content: 'overload midstream' }] });
    const seen = [];
    s.on('text', (d) => seen.push(d));
    await s.finalMessage();
    out.midStream = 'accepted';
  } catch (e) {
    out.midStream = { type: e.error?.error?.type ?? e.error?.type ?? null, message: String(e.message) };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write('token-stream client failed: ' + (e.stack || e) + '\n');
  process.exit(1);
});
