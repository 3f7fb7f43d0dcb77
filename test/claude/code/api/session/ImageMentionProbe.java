package claude.code.api.session;

import claude.code.api.cli.PromptEncoder;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.testing.RecordedRequest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** A measurement, not a test (not run by the suite): what the CLI sends for typed @image prompts. */
class ImageMentionProbe {
    static byte[] png(int w, int h, int rgb) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < w; x++) for (int y = 0; y < h; y++) img.setRGB(x, y, rgb ^ (x * 31 + y));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    static String shorten(String json) {
        return json.replaceAll("\"data\":\"([A-Za-z0-9+/=]{12})[A-Za-z0-9+/=]*\"", "\"data\":\"$1...\"");
    }

    @Test
    void probe() throws Exception {
        Path dir = Files.createTempDirectory("probe img");
        Path a = dir.resolve("a.png"), b = dir.resolve("b.png"), c = dir.resolve("c.png");
        Files.write(a, png(8, 8, 0xff0000));
        Files.write(b, png(9, 9, 0x00ff00));
        Files.write(c, png(10, 10, 0x0000ff));
        Path d = Path.of("/tmp/i15/d.png");
        Files.write(d, png(11, 11, 0x123456));
        String[] prompts = System.getenv("PROBE_PDF") != null ? new String[] {
                "@/tmp/i15/doc.pdf summarise this document",
                "/tmp/i15/doc.pdf",
        } : new String[] {
                "@" + d + " @" + d.resolveSibling("d.png") + " two refs same",
                "text before @" + d + " text after",
                "plain after",
                "\u2800" + d,
                d.toString(),
                "@\"" + a + "\" quoted with space",
                "look\n" + d,
        };
        StringBuilder report = new StringBuilder();
        try (LiveCli cli = new LiveCli()) {
            CliSession s = (CliSession) cli.open();
            int n = 0;
            for (String p : prompts) {
                n++;
                byte[] keys = ("\u001b[200~" + p + "\u001b[201~").getBytes(StandardCharsets.UTF_8);
                s.process().typePrompt(new PromptEncoder.Encoded(List.of(keys), p, p, false));
                Thread.sleep(400);
                s.process().pressEnter();
                report.append("=== PROMPT ").append(Json.quote(p)).append('\n');
                List<RecordedRequest> rs;
                try {
                    rs = cli.api.awaitRequests(x -> x.isMainLoop() && x.sessionId().orElse("").equals(s.sessionId()), n, java.time.Duration.ofSeconds(12));
                } catch (IllegalStateException e) {
                    report.append("  NO REQUEST; screen:\n").append(s.screen()).append('\n');
                    s.process().clearInput(java.time.Duration.ofSeconds(3));
                    n--;
                    continue;
                }
                RecordedRequest r = rs.get(n - 1);
                List<JsonObject> ms = r.messages();
                for (JsonObject m : ms) report.append("  ").append(shorten(Json.write(m))).append('\n');
                Thread.sleep(1500);
                if (n == 2) { Files.delete(d); }
                if (n == 3) { Files.write(d, png(11, 11, 0x123456)); }
            }
            report.append("=== TRANSCRIPT\n");
            for (String line : Files.readAllLines(s.transcript())) {
                if (line.contains("\"user\"") || line.contains("attachment")) report.append(shorten(line)).append('\n');
            }
        }
        Files.writeString(Path.of("/tmp/i15/probe.txt"), report.toString());
    }
}
