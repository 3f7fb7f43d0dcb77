// Drives the gateway's Responses API with the official OpenAI SDK (openai): responses.create
// whole, continued by previous_response_id, streamed through the SDK's stream helper, a
// conversation re-sent as input items, an input_image (data URL), a PDF input_file earlier in the history, the input items of a kept response
// (listed a page of one at a time by the SDK's paginator), store:false, an unknown id and a bad item.
// Usage: node openai-responses.cjs <gateway base URL> <base64 PNG> <base64 PDF>; prints one JSON object with what it saw.
const OpenAI = require('openai').default;

async function status(promise) {
  try {
    await promise;
    return 'accepted';
  } catch (e) {
    return { status: e.status, code: e.code ?? null, message: e.message };
  }
}

async function main() {
  const client = new OpenAI({ baseURL: process.argv[2] + '/v1', apiKey: 'unused-by-a-loopback-gateway', maxRetries: 0 });
  const model = 'claude-responses-test';
  const out = {};

  const r1 = await client.responses.create({ model, instructions: 'You answer briefly.', input: 'responses first question',
    temperature: 0.3, metadata: { case: 'echo' }, tool_choice: 'none', parallel_tool_calls: false });
  out.echo = { instructions: r1.instructions, temperature: r1.temperature, metadata: r1.metadata,
    tool_choice: r1.tool_choice, parallel_tool_calls: r1.parallel_tool_calls, top_p: r1.top_p };
  const r2 = await client.responses.create({ model, instructions: 'You answer briefly.', input: 'responses second question',
    previous_response_id: r1.id });
  out.chain = [{ id: r1.id, text: r1.output_text }, { id: r2.id, text: r2.output_text, previous: r2.previous_response_id }];

  const stream = client.responses.stream({ model, input: 'items first question', store: false });
  let deltas = '';
  stream.on('response.output_text.delta', (e) => { deltas += e.delta; });
  const final = await stream.finalResponse();
  out.stream = { deltas, text: final.output_text, status: final.status, usage: final.usage };

  const r4 = await client.responses.create({ model, input: [
    { role: 'user', content: 'items first question' },
    { role: 'assistant', content: [{ type: 'output_text', text: final.output_text }] },
    { role: 'user', content: [{ type: 'input_text', text: 'items second question' }] },
  ] });
  out.items = { text: r4.output_text };

  const listed = [];
  for await (const item of client.responses.inputItems.list(r4.id, { order: 'asc', limit: 1 })) {
    listed.push({ id: item.id, type: item.type, role: item.role, text: item.content?.[0]?.text ?? null });
  }
  out.inputItems = listed;

  const png = process.argv[3];
  const image = await client.responses.create({ model, input: [{ role: 'user', content: [
    { type: 'input_image', image_url: 'data:image/png;base64,' + png, detail: 'auto' },
    { type: 'input_text', text: 'responses image question' }] }] });
  const imageItems = await client.responses.inputItems.list(image.id);
  out.image = { text: image.output_text, listedParts: imageItems.data[0].content.map((p) => p.type) };

  const pdf = await client.responses.create({ model, input: [
    { role: 'user', content: [{ type: 'input_file', filename: 'a.pdf', file_data: 'data:application/pdf;base64,' + process.argv[4] },
      { type: 'input_text', text: 'responses pdf seeded' }] },
    { role: 'assistant', content: 'I read it.' },
    { role: 'user', content: 'responses pdf follow-up' }] });
  out.pdf = { text: pdf.output_text };

  out.errors = {
    storeFalse: await status(client.responses.retrieve(final.id)),
    unknown: await status(client.responses.create({ model, input: 'x', previous_response_id: 'resp_nowhere_00' })),
    badItem: await status(client.responses.create({ model, input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'data:,' }] }] })),
    fileId: await status(client.responses.create({ model, input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'file-nowhere' }] }] })),
    unknownItems: await status(client.responses.inputItems.list('resp_nowhere_00')),
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write('openai-responses client failed: ' + (e.stack || e) + '\n');
  process.exit(1);
});
