// Sends tool requests the way the official clients build them (@anthropic-ai/sdk, openai): client tools,
// server tools, tool_choice, and tool-loop follow-ups. Each answer (status, error message, or the text of a turn)
// is recorded for the test to check.
// Usage: node client-tools.cjs <gateway base URL>; prints one JSON object.
const Anthropic = require('@anthropic-ai/sdk').default;
const OpenAI = require('openai').default;

const weather = {
  name: 'getWeather',
  description: 'The weather in a city',
  input_schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
  cache_control: { type: 'ephemeral' },
};

async function outcome(call) {
  try {
    const r = await call();
    return { status: 200, text: r.content ? r.content.map((b) => b.text || '').join('') : (r.output_text ?? r.choices?.[0]?.message?.content) };
  } catch (e) {
    return { status: e.status, message: e.error?.error?.message ?? e.error?.message ?? String(e) };
  }
}

async function main() {
  const baseURL = process.argv[2];
  const anthropic = new Anthropic({ baseURL, apiKey: 'unused', maxRetries: 0 });
  const openai = new OpenAI({ baseURL: baseURL + '/v1', apiKey: 'unused', maxRetries: 0 });
  const model = 'claude-sdk-test';
  const ask = [{ role: 'user', content: 'weather in Paris?' }];
  const webSearch = { type: 'web_search_20250305', name: 'web_search', max_uses: 1 };
  const out = {};

  out.anthropicClientTools = await outcome(() => anthropic.messages.create({ model, max_tokens: 64, messages: ask, tools: [weather, webSearch] }));
  out.anthropicServerToolOnly = await outcome(() => anthropic.messages.create({ model, max_tokens: 64, messages: ask, tools: [webSearch] }));
  out.anthropicForcedServerTool = await outcome(() => anthropic.messages.create({ model, max_tokens: 64, messages: ask,
    tools: [webSearch], tool_choice: { type: 'tool', name: 'web_search' } }));
  out.anthropicBadName = await outcome(() => anthropic.messages.create({ model, max_tokens: 64, messages: ask,
    tools: [{ ...weather, name: 'get weather' }] }));
  out.anthropicMissingResult = await outcome(() => anthropic.messages.create({ model, max_tokens: 64, messages: [
    ...ask,
    { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'toolu_1', name: 'getWeather', input: { city: 'Paris' } }] },
    { role: 'user', content: 'never mind' }] }));

  const fn = { type: 'function', function: { name: 'getWeather', description: 'The weather', parameters: weather.input_schema, strict: true } };
  out.chatClientTools = await outcome(() => openai.chat.completions.create({ model, messages: ask, tools: [fn], tool_choice: 'auto' }));
  out.chatRequired = await outcome(() => openai.chat.completions.create({ model, messages: ask, tools: [fn], tool_choice: 'required' }));
  out.chatFollowUp = await outcome(() => openai.chat.completions.create({ model, tools: [fn], messages: [
    ...ask,
    { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'getWeather', arguments: '{"city": "Paris"}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: 'sunny' }] }));

  out.responsesClientTools = await outcome(() => openai.responses.create({ model, input: 'weather in Paris?',
    tools: [{ type: 'function', name: 'getWeather', parameters: weather.input_schema, strict: true }, { type: 'web_search_preview' }] }));
  out.responsesBuiltInOnly = await outcome(() => openai.responses.create({ model, input: 'weather in Paris?', tools: [{ type: 'web_search_preview' }] }));
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write('client-tools client failed: ' + (e.stack || e) + '\n');
  process.exit(1);
});
