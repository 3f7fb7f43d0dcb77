// Client tool cases of the official clients (@anthropic-ai/sdk, openai) beside the plain loop of client-tool-loop.cjs:
// a tool_choice on the first request (the follow-up with the results sends none, as a loop forcing one step does),
// text beside the results, the legacy functions' follow-up (function_call, then a function message), and results sent to another gateway than the one whose session made the call. Each
// scenario's prompt names it, so the test can find its requests at the mock. Prints one JSON object: per scenario,
// each step's stop reason, tool calls and text.
// Usage: node client-tool-cases.cjs <gateway base URL> <other gateway base URL> [scenario...]
const Anthropic = require('@anthropic-ai/sdk').default;
const OpenAI = require('openai').default;

const CITY = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
const run = {
  getWeather: ({ city }) => `rain in ${city}`,
  getTime: ({ city }) => `09:00 in ${city}`,
};
const model = 'claude-sdk-test';

const anthropicTools = [
  { name: 'getWeather', description: 'The weather in a city', input_schema: CITY },
  { name: 'getTime', description: 'The local time in a city', input_schema: CITY },
];
const chatTools = anthropicTools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.input_schema } }));
const responsesTools = anthropicTools.map((t) => ({ type: 'function', name: t.name, description: t.description, parameters: t.input_schema }));

const text = (message) => message.content.filter((b) => b.type === 'text').map((b) => b.text).join('');

/**
 * One tool round on the Messages API: {@code first} (tool_choice and the like) on the first request only; the results
 * in one user message, with {@code beside} as a text block after them when given.
 */
async function anthropicRound(anthropic, prompt, { first = {}, beside, resultsTo = anthropic } = {}) {
  const messages = [{ role: 'user', content: prompt }];
  const call = await anthropic.messages.create({ model, max_tokens: 256, messages, tools: anthropicTools, ...first });
  const uses = call.content.filter((b) => b.type === 'tool_use');
  const steps = [{ stop: call.stop_reason, text: text(call), calls: uses.map((u) => ({ id: u.id, name: u.name, input: u.input })) }];
  if (call.stop_reason !== 'tool_use') return steps;
  messages.push({ role: 'assistant', content: call.content });
  const results = uses.map((u) => ({ type: 'tool_result', tool_use_id: u.id, content: run[u.name](u.input) }));
  messages.push({ role: 'user', content: beside ? [...results, { type: 'text', text: beside }] : results });
  const done = await resultsTo.messages.create({ model, max_tokens: 256, messages, tools: anthropicTools });
  steps.push({ stop: done.stop_reason, text: text(done), calls: [] });
  return steps;
}

/** One tool round on chat completions: {@code first} on the first request only; {@code beside} as a user message after the tool messages. */
async function chatRound(openai, prompt, { first = {}, beside, resultsTo = openai } = {}) {
  const messages = [{ role: 'user', content: prompt }];
  const call = await openai.chat.completions.create({ model, messages, tools: chatTools, ...first });
  const choice = call.choices[0];
  const calls = choice.message.tool_calls ?? [];
  const steps = [{ stop: choice.finish_reason, text: choice.message.content, calls: calls.map((c) => ({ id: c.id,
    name: c.function.name, input: JSON.parse(c.function.arguments) })) }];
  if (choice.finish_reason !== 'tool_calls') return steps;
  messages.push(choice.message);
  for (const c of calls) {
    messages.push({ role: 'tool', tool_call_id: c.id, content: run[c.function.name](JSON.parse(c.function.arguments)) });
  }
  if (beside) messages.push({ role: 'user', content: beside });
  const done = await resultsTo.chat.completions.create({ model, messages, tools: chatTools });
  steps.push({ stop: done.choices[0].finish_reason, text: done.choices[0].message.content, calls: [] });
  return steps;
}

/** One tool round on the Responses API, continued by previous_response_id: {@code first} on the first request only. */
async function responsesRound(openai, prompt, { first = {} } = {}) {
  const call = await openai.responses.create({ model, input: prompt, tools: responsesTools, ...first });
  const calls = call.output.filter((o) => o.type === 'function_call');
  const steps = [{ stop: call.status, text: call.output_text, calls: calls.map((c) => ({ id: c.call_id, name: c.name,
    input: JSON.parse(c.arguments) })) }];
  if (calls.length === 0) return steps;
  const done = await openai.responses.create({ model, previous_response_id: call.id, tools: responsesTools,
    input: calls.map((c) => ({ type: 'function_call_output', call_id: c.call_id, output: run[c.name](JSON.parse(c.arguments)) })) });
  steps.push({ stop: done.status, text: done.output_text, calls: [] });
  return steps;
}

const functions = chatTools.map((t) => t.function);

/** One round with the legacy functions: the answer's function_call echoed back, then a function message with the result. */
async function legacyRound(openai, prompt, { stream = false, resultsTo = openai } = {}) {
  const messages = [{ role: 'user', content: prompt }];
  const call = stream ? await openai.chat.completions.stream({ model, messages, functions }).finalChatCompletion()
    : await openai.chat.completions.create({ model, messages, functions });
  const choice = call.choices[0];
  const fc = choice.message.function_call;
  const steps = [{ stop: choice.finish_reason, text: choice.message.content,
    calls: fc ? [{ name: fc.name, input: JSON.parse(fc.arguments) }] : [] }];
  if (choice.finish_reason !== 'function_call') return steps;
  messages.push(choice.message);
  messages.push({ role: 'function', name: fc.name, content: run[fc.name](JSON.parse(fc.arguments)) });
  const done = await resultsTo.chat.completions.create({ model, messages, functions });
  steps.push({ stop: done.choices[0].finish_reason, text: done.choices[0].message.content, calls: [] });
  return steps;
}

const BESIDE = 'answer in one word';
const scenarios = {
  anthropicAny: (c) => anthropicRound(c.anthropic, 'anthropic any: call two tools', { first: { tool_choice: { type: 'any' } } }),
  anthropicTool: (c) => anthropicRound(c.anthropic, 'anthropic tool: call two tools',
    { first: { tool_choice: { type: 'tool', name: 'getTime' } } }),
  anthropicNone: (c) => anthropicRound(c.anthropic, 'anthropic none: call two tools', { first: { tool_choice: { type: 'none' } } }),
  anthropicOne: (c) => anthropicRound(c.anthropic, 'anthropic one: call two tools',
    { first: { tool_choice: { type: 'auto', disable_parallel_tool_use: true } } }),
  chatRequired: (c) => chatRound(c.openai, 'chat required: call two tools', { first: { tool_choice: 'required' } }),
  chatNamed: (c) => chatRound(c.openai, 'chat named: call two tools',
    { first: { tool_choice: { type: 'function', function: { name: 'getTime' } } } }),
  chatNone: (c) => chatRound(c.openai, 'chat none: call two tools', { first: { tool_choice: 'none' } }),
  chatOne: (c) => chatRound(c.openai, 'chat one: call two tools', { first: { parallel_tool_calls: false } }),
  responsesRequired: (c) => responsesRound(c.openai, 'responses required: call two tools', { first: { tool_choice: 'required' } }),
  responsesNamed: (c) => responsesRound(c.openai, 'responses named: call two tools',
    { first: { tool_choice: { type: 'function', name: 'getTime' } } }),
  anthropicBeside: (c) => anthropicRound(c.anthropic, 'anthropic beside: call two tools', { beside: BESIDE }),
  chatBeside: (c) => chatRound(c.openai, 'chat beside: call two tools', { beside: BESIDE }),
  anthropicGone: (c) => anthropicRound(c.anthropic, 'anthropic gone: call the tool', { resultsTo: c.other.anthropic }),
  chatGone: (c) => chatRound(c.openai, 'chat gone: call the tool', { resultsTo: c.other.openai }),
  legacyWhole: (c) => legacyRound(c.openai, 'legacy whole: call the tool'),
  legacyStream: (c) => legacyRound(c.openai, 'legacy stream: call the tool', { stream: true }),
  legacyGone: (c) => legacyRound(c.openai, 'legacy gone: call the tool', { resultsTo: c.other.openai }),
};

function clients(baseURL) {
  return {
    anthropic: new Anthropic({ baseURL, apiKey: 'unused', maxRetries: 0 }),
    openai: new OpenAI({ baseURL: baseURL + '/v1', apiKey: 'unused', maxRetries: 0 }),
  };
}

async function main() {
  const names = process.argv.length > 4 ? process.argv.slice(4) : Object.keys(scenarios);
  const c = { ...clients(process.argv[2]), other: clients(process.argv[3]) };
  const out = {};
  for (const name of names) {
    out[name] = await scenarios[name](c);
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write('client-tool-cases client failed: ' + (e.stack || e) + '\n');
  process.exit(1);
});
