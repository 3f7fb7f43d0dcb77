// Drives the gateway with the official Anthropic SDK (@anthropic-ai/sdk): a three-turn conversation
// (messages.create twice, then messages.stream), then two requests the gateway must refuse.
// Usage: node anthropic-sdk.cjs <gateway base URL>; prints one JSON object with what it saw.
const Anthropic = require('@anthropic-ai/sdk').default;

async function main() {
  const baseURL = process.argv[2];
  const client = new Anthropic({ baseURL, apiKey: 'unused-by-a-loopback-gateway', maxRetries: 0 });
  const model = 'claude-sdk-test';
  const out = { turns: [], errors: {} };
  const history = [{ role: 'user', content: 'first question from the Anthropic SDK' }];

  const m1 = await client.messages.create({ model, max_tokens: 1024, messages: history });
  out.turns.push(m1);
  history.push({ role: 'assistant', content: m1.content });
  history.push({ role: 'user', content: 'second question (Anthropic)' });

  const m2 = await client.messages.create({ model, max_tokens: 1024, messages: history, temperature: 0.5 });
  out.turns.push(m2);
  history.push({ role: 'assistant', content: m2.content });
  history.push({ role: 'user', content: 'third question (Anthropic), streamed' });

  const stream = client.messages.stream({ model, max_tokens: 1024, messages: history });
  const events = [];
  let text = '';
  stream.on('streamEvent', (e) => events.push(e.type));
  stream.on('text', (delta) => { text += delta; });
  const m3 = await stream.finalMessage();
  out.turns.push(m3);
  out.streamEvents = events;
  out.streamText = text;

  try {
    await client.messages.create({ model, max_tokens: 10, messages: [{ role: 'assistant', content: 'no user' }] });
    out.errors.lastNotUser = 'accepted';
  } catch (e) {
    out.errors.lastNotUser = { status: e.status, type: e.error?.error?.type, message: e.error?.error?.message };
  }
  try {
    await client.messages.create({ model, max_tokens: 10, messages: history.slice(0, 1), stop_sequences: ['END'] });
    out.errors.stopSequences = 'accepted';
  } catch (e) {
    out.errors.stopSequences = { status: e.status, type: e.error?.error?.type };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write('anthropic-sdk client failed: ' + (e.stack || e) + '\n');
  process.exit(1);
});
