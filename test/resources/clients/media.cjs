// Images through the gateway with the official clients (@anthropic-ai/sdk, openai): an image in the
// last message, two images around text, an image earlier in the history of a new conversation, an
// OpenAI data URL, count_tokens, and the requests the gateway must refuse as the API does.
// Usage: node media.cjs <gateway base URL> <images.json: {"a": base64 PNG, "b": ..., "big": base64 over 5 MB, "path": a PNG file, "wide": a PNG 3000x2000, "pdf": base64 PDF}>
const fs = require('fs');
const Anthropic = require('@anthropic-ai/sdk').default;
const OpenAI = require('openai').default;

async function main() {
  const baseURL = process.argv[2];
  const img = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
  const anthropic = new Anthropic({ baseURL, apiKey: 'unused-by-a-loopback-gateway', maxRetries: 0 });
  const openai = new OpenAI({ baseURL: baseURL + '/v1', apiKey: 'unused-by-a-loopback-gateway', maxRetries: 0 });
  const model = 'claude-sdk-test';
  const png = (data) => ({ type: 'image', source: { type: 'base64', media_type: 'image/png', data } });
  const out = { errors: {} };

  out.last = await anthropic.messages.create({ model, max_tokens: 100, messages: [
    { role: 'user', content: [png(img.a), { type: 'text', text: 'IMAGE-LAST what is in this picture?' }] }] });
  out.echo = await anthropic.messages.create({ model, max_tokens: 100, messages: [
    { role: 'user', content: [png(img.a), { type: 'text', text: 'IMAGE-LAST what is in this picture?' }] },
    { role: 'assistant', content: out.last.content },
    { role: 'user', content: 'ECHO-FOLLOW-UP and now?' }] });
  out.two = await anthropic.messages.create({ model, max_tokens: 100, messages: [
    { role: 'user', content: [{ type: 'text', text: 'TWO-IMAGES before' }, png(img.a), png(img.b),
      { type: 'text', text: 'after' }] }] });
  out.seeded = await anthropic.messages.create({ model, max_tokens: 100, messages: [
    { role: 'user', content: [png(img.b), { type: 'text', text: 'IMAGE-SEEDED remember this picture' }] },
    { role: 'assistant', content: 'I see the picture.' },
    { role: 'user', content: 'SEEDED-FOLLOW-UP what was in it?' }] });
  out.openai = await openai.chat.completions.create({ model, messages: [{ role: 'user', content: [
    { type: 'text', text: 'OPENAI-DATA-URL look' },
    { type: 'image_url', image_url: { url: 'data:image/png;base64,' + img.a } }] }] });
  out.wide = await anthropic.messages.create({ model, max_tokens: 100, messages: [
    { role: 'user', content: [png(img.wide), { type: 'text', text: 'WIDE-IMAGE' }] }] });
  out.pdfSeeded = await anthropic.messages.create({ model, max_tokens: 100, messages: [
    { role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: img.pdf } },
      { type: 'text', text: 'PDF-SEEDED read this' }] },
    { role: 'assistant', content: 'I read it.' },
    { role: 'user', content: 'PDF-FOLLOW-UP what did it say?' }] });
  out.clientPath = await anthropic.messages.create({ model, max_tokens: 100, messages: [
    { role: 'user', content: 'CLIENT-PATH look\n' + img.path }] });
  out.countTokens = await anthropic.messages.countTokens({ model, messages: [
    { role: 'user', content: [png(img.a), { type: 'text', text: 'count me' }] }] });
  out.countTokensText = await anthropic.messages.countTokens({ model, messages: [
    { role: 'user', content: [{ type: 'text', text: 'count me' }] }] });

  const refused = {
    mediaType: [{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: img.a } }],
    base64: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBO*w0K' } }],
    oversize: [png(img.big)],
    pdfBase64: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE*i0xLjQK' } }],
  };
  for (const [name, blocks] of Object.entries(refused)) {
    try {
      await anthropic.messages.create({ model, max_tokens: 10, messages: [
        { role: 'user', content: [{ type: 'text', text: 'refuse me' }, ...blocks] }] });
      out.errors[name] = 'accepted';
    } catch (e) {
      out.errors[name] = { status: e.status, type: e.error?.error?.type, message: e.error?.error?.message };
    }
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => { console.error(e); process.exit(1); });
