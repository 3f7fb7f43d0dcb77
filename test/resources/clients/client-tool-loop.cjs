// Tool loops the way programs run them on the official clients (@anthropic-ai/sdk, openai): the client offers its
// own tools, runs each tool call the answer holds, sends the results back, until the answer is text. Whole and
// streamed (the SDKs' stream helpers assemble the tool input / arguments from the deltas). Each scenario's prompt
// names it, so the test can find its requests at the mock. Prints one JSON object: per scenario, each step's stop
// reason, tool calls and text, and what the stream helpers saw.
// Usage: node client-tool-loop.cjs <gateway base URL> [scenario...]
const Anthropic = require('@anthropic-ai/sdk').default;
const OpenAI = require('openai').default;

const CITY = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
const run = {
  getWeather: ({ city }) => `rain in ${city}`,
  getTime: ({ city }) => `09:00 in ${city}`,
};
const model = 'claude-sdk-test';
/** A 1x1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const MAX_STEPS = 4;

const anthropicTools = [
  { name: 'getWeather', description: 'The weather in a city', input_schema: CITY },
  { name: 'getTime', description: 'The local time in a city', input_schema: CITY },
];
const chatTools = anthropicTools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.input_schema } }));
const responsesTools = anthropicTools.map((t) => ({ type: 'function', name: t.name, description: t.description, parameters: t.input_schema }));

async function anthropicLoop(anthropic, prompt, { stream = false, isError = false } = {}) {
  const messages = [{ role: 'user', content: prompt }];
  const steps = [];
  for (let i = 0; i < MAX_STEPS; i++) {
    let message;
    const seen = { inputJson: 0, events: [] };
    if (stream) {
      const s = anthropic.messages.stream({ model, max_tokens: 256, messages, tools: anthropicTools });
      s.on('inputJson', () => { seen.inputJson++; });
      s.on('streamEvent', (e) => { seen.events.push(e.type === 'content_block_start' ? 'start:' + e.content_block.type : e.type); });
      message = await s.finalMessage();
    } else {
      message = await anthropic.messages.create({ model, max_tokens: 256, messages, tools: anthropicTools });
    }
    const uses = message.content.filter((b) => b.type === 'tool_use');
    steps.push({ stop: message.stop_reason, text: message.content.filter((b) => b.type === 'text').map((b) => b.text).join(''),
      calls: uses.map((u) => ({ id: u.id, name: u.name, input: u.input })), ...(stream ? { seen } : {}) });
    if (message.stop_reason !== 'tool_use') break;
    messages.push({ role: 'assistant', content: message.content });
    messages.push({ role: 'user', content: uses.map((u) => ({ type: 'tool_result', tool_use_id: u.id,
      content: isError ? `no such city: ${u.input.city}` : run[u.name](u.input), ...(isError ? { is_error: true } : {}) })) });
  }
  return steps;
}

async function chatLoop(openai, prompt, { stream = false } = {}) {
  const messages = [{ role: 'user', content: prompt }];
  const steps = [];
  for (let i = 0; i < MAX_STEPS; i++) {
    let completion;
    const seen = { toolCallDeltas: 0 };
    if (stream) {
      const s = openai.chat.completions.stream({ model, messages, tools: chatTools });
      s.on('chunk', (c) => { seen.toolCallDeltas += (c.choices[0]?.delta?.tool_calls ?? []).length; });
      completion = await s.finalChatCompletion();
    } else {
      completion = await openai.chat.completions.create({ model, messages, tools: chatTools });
    }
    const choice = completion.choices[0];
    const calls = choice.message.tool_calls ?? [];
    steps.push({ finish: choice.finish_reason, text: choice.message.content, calls: calls.map((c) => ({ id: c.id,
      name: c.function.name, input: JSON.parse(c.function.arguments) })), ...(stream ? { seen } : {}) });
    if (choice.finish_reason !== 'tool_calls') break;
    messages.push(choice.message); // as returned: content null, the SDK's own fields
    for (const c of calls) {
      messages.push({ role: 'tool', tool_call_id: c.id, content: run[c.function.name](JSON.parse(c.function.arguments)) });
    }
  }
  return steps;
}

async function responsesLoop(openai, prompt, { stream = false } = {}) {
  let request = { model, input: prompt, tools: responsesTools };
  const steps = [];
  for (let i = 0; i < MAX_STEPS; i++) {
    let response;
    const seen = { argumentDeltas: 0, events: [] };
    if (stream) {
      const s = openai.responses.stream(request);
      s.on('event', (e) => {
        seen.events.push(e.type);
        if (e.type === 'response.function_call_arguments.delta') seen.argumentDeltas++;
      });
      response = await s.finalResponse();
    } else {
      response = await openai.responses.create(request);
    }
    const calls = response.output.filter((o) => o.type === 'function_call');
    steps.push({ status: response.status, id: response.id, previous: response.previous_response_id, text: response.output_text,
      calls: calls.map((c) => ({ id: c.call_id, name: c.name, input: JSON.parse(c.arguments) })), ...(stream ? { seen } : {}) });
    if (calls.length === 0) break;
    request = { model, previous_response_id: response.id, tools: responsesTools,
      input: calls.map((c) => ({ type: 'function_call_output', call_id: c.call_id, output: run[c.name](JSON.parse(c.arguments)) })) };
  }
  return steps;
}

/** Answers only one of two calls (the API's 400 naming the other), then both; the second result an image. */
async function anthropicMissingThenImage(anthropic, prompt) {
  const messages = [{ role: 'user', content: prompt }];
  const first = await anthropic.messages.create({ model, max_tokens: 256, messages, tools: anthropicTools });
  const uses = first.content.filter((b) => b.type === 'tool_use');
  messages.push({ role: 'assistant', content: first.content });
  const one = { role: 'user', content: [{ type: 'tool_result', tool_use_id: uses[0].id, content: run[uses[0].name](uses[0].input) }] };
  let missing;
  try {
    await anthropic.messages.create({ model, max_tokens: 256, messages: [...messages, one], tools: anthropicTools });
    missing = { status: 200 };
  } catch (e) {
    missing = { status: e.status, message: e.error?.error?.message ?? String(e) };
  }
  const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } };
  messages.push({ role: 'user', content: [one.content[0], { type: 'tool_result', tool_use_id: uses[1].id, content: [image] }] });
  const done = await anthropic.messages.create({ model, max_tokens: 256, messages, tools: anthropicTools });
  return { missing, ids: uses.map((u) => u.id), text: done.content.filter((b) => b.type === 'text').map((b) => b.text).join('') };
}

/** Leaves as soon as the answer's tool_use block begins, as a client that crashed with the call open. */
async function anthropicDisconnect(anthropic, prompt) {
  const s = anthropic.messages.stream({ model, max_tokens: 256, messages: [{ role: 'user', content: prompt }], tools: anthropicTools });
  let sawToolUse = false;
  s.on('streamEvent', (e) => {
    if (e.type === 'content_block_start' && e.content_block.type === 'tool_use') {
      sawToolUse = true;
      s.abort();
    }
  });
  try {
    await s.finalMessage();
  } catch (e) {
    // aborted
  }
  return { sawToolUse };
}

const scenarios = {
  anthropicWhole: (c) => anthropicLoop(c.anthropic, 'anthropic whole: call two tools'),
  anthropicStream: (c) => anthropicLoop(c.anthropic, 'anthropic stream: call two tools', { stream: true }),
  anthropicError: (c) => anthropicLoop(c.anthropic, 'anthropic error: call the tool', { isError: true }),
  chatWhole: (c) => chatLoop(c.openai, 'chat whole: call two tools'),
  chatStream: (c) => chatLoop(c.openai, 'chat stream: call two tools', { stream: true }),
  responsesWhole: (c) => responsesLoop(c.openai, 'responses whole: call two tools'),
  responsesStream: (c) => responsesLoop(c.openai, 'responses stream: call two tools', { stream: true }),
  anthropicMissing: (c) => anthropicMissingThenImage(c.anthropic, 'anthropic missing: call two tools'),
  disconnect: (c) => anthropicDisconnect(c.anthropic, 'disconnect: call the tool'),
};

async function main() {
  const baseURL = process.argv[2];
  const names = process.argv.length > 3 ? process.argv.slice(3) : Object.keys(scenarios).filter((n) => n !== 'disconnect');
  const clients = {
    anthropic: new Anthropic({ baseURL, apiKey: 'unused', maxRetries: 0 }),
    openai: new OpenAI({ baseURL: baseURL + '/v1', apiKey: 'unused', maxRetries: 0 }),
  };
  const out = {};
  for (const name of names) {
    out[name] = await scenarios[name](clients);
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write('client-tool-loop client failed: ' + (e.stack || e) + '\n');
  process.exit(1);
});
