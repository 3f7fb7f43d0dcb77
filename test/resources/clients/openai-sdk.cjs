// Drives the gateway with the official OpenAI SDK (openai): chat.completions.create twice, then a
// streamed completion with usage, then a request the gateway must refuse.
// Usage: node openai-sdk.cjs <gateway base URL>; prints one JSON object with what it saw.
const OpenAI = require('openai').default;

async function main() {
  const client = new OpenAI({ baseURL: process.argv[2] + '/v1', apiKey: 'unused-by-a-loopback-gateway', maxRetries: 0 });
  const model = 'claude-openai-test';
  const out = { turns: [], errors: {} };
  const messages = [
    { role: 'system', content: 'You answer briefly.' },
    { role: 'user', content: 'first question from the OpenAI SDK' },
  ];

  const c1 = await client.chat.completions.create({ model, messages });
  out.turns.push(c1);
  messages.push({ role: 'assistant', content: c1.choices[0].message.content });
  messages.push({ role: 'user', content: 'second question (OpenAI)' });

  const c2 = await client.chat.completions.create({ model, messages, temperature: 0.2, max_tokens: 500 });
  out.turns.push(c2);
  messages.push({ role: 'assistant', content: c2.choices[0].message.content });
  messages.push({ role: 'user', content: 'third question (OpenAI), streamed' });

  const stream = await client.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } });
  let text = '';
  let finish = null;
  let usage = null;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      if (choice.delta?.content) text += choice.delta.content;
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  out.stream = { text, finish, usage, chunks };

  try {
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }], n: 3 });
    out.errors.n = 'accepted';
  } catch (e) {
    out.errors.n = { status: e.status, type: e.type ?? e.error?.type };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write('openai-sdk client failed: ' + (e.stack || e) + '\n');
  process.exit(1);
});
