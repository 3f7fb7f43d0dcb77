// Continues several conversations at once through a load balancer, with the official SDKs:
// Anthropic conversations with @anthropic-ai/sdk (messages.create, and messages.stream on even
// turns), OpenAI ones with openai (chat.completions.create, streamed on even turns). Each turn
// re-sends the whole history, as clients of these APIs do.
// Usage: node scale-out.cjs <base URL> <state file> <turns> [<only this conversation> <text appended>]
// The state file holds {"conversations": [{"name", "api": "anthropic"|"openai", "system"?, "messages"}]};
// each conversation gets <turns> more turns (user text "<name>: turn <k>", plus the appended text
// if given, e.g. a keyword of the mock), and the file is rewritten with the grown histories.
// Prints one JSON object: per conversation, what each turn saw.
const fs = require('fs');
const Anthropic = require('@anthropic-ai/sdk').default;
const OpenAI = require('openai').default;

async function anthropicTurn(client, c, streamed) {
  // a system prompt goes first, before the messages, as many clients send it: the balancer's key
  // (messages[0]) then lies behind it in the body
  const request = c.system !== undefined
    ? { model: 'claude-scale-out', max_tokens: 1024, system: c.system, messages: c.messages }
    : { model: 'claude-scale-out', max_tokens: 1024, messages: c.messages };
  const message = streamed ? await client.messages.stream(request).finalMessage() : await client.messages.create(request);
  c.messages.push({ role: 'assistant', content: message.content });
  return message.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
}

async function openAiTurn(client, c, streamed) {
  const request = { model: 'claude-scale-out', messages: c.messages };
  let text = '';
  if (streamed) {
    for await (const chunk of await client.chat.completions.create({ ...request, stream: true })) {
      for (const choice of chunk.choices) text += choice.delta?.content ?? '';
    }
  } else {
    text = (await client.chat.completions.create(request)).choices[0].message.content;
  }
  c.messages.push({ role: 'assistant', content: text });
  return text;
}

async function main() {
  const [baseURL, stateFile, turnsArg, only, appended] = process.argv.slice(2);
  const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  // no retries by the SDKs: failover is the load balancer's job, and this shows whether it did it
  const anthropic = new Anthropic({ baseURL, apiKey: 'unused-by-a-loopback-gateway', maxRetries: 0 });
  const openai = new OpenAI({ baseURL: baseURL + '/v1', apiKey: 'unused-by-a-loopback-gateway', maxRetries: 0 });
  const out = {};
  await Promise.all(state.conversations.filter((c) => only === undefined || c.name === only).map(async (c) => {
    out[c.name] = [];
    for (let k = 0; k < Number(turnsArg); k++) {
      const users = c.messages.filter((m) => m.role === 'user').length;
      if (c.messages[c.messages.length - 1].role !== 'user') {
        c.messages.push({ role: 'user', content: `${c.name}: turn ${users + 1}` + (appended ?? '') });
      }
      const turn = c.messages.filter((m) => m.role === 'user').length;
      const streamed = turn % 2 === 0;
      try {
        const text = c.api === 'anthropic' ? await anthropicTurn(anthropic, c, streamed) : await openAiTurn(openai, c, streamed);
        out[c.name].push({ turn, streamed, text });
      } catch (e) {
        out[c.name].push({ turn, streamed, error: String(e.status ?? ''), message: String(e.message ?? e) });
        return;
      }
    }
  }));
  fs.writeFileSync(stateFile, JSON.stringify(state));
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write('scale-out client failed: ' + (e.stack || e) + '\n');
  process.exit(1);
});
