package tollgate.cli;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tollgate.notify.Composer;
import tollgate.notify.Email;
import tollgate.notify.MailLanguage;
import tollgate.notify.Notification;
import tollgate.notify.Samples;

/** {@code tollgate emails preview} (every message written out to look at) and {@code tollgate bench emails}. */
final class EmailCommands {
    private EmailCommands() {}

    static Composer composer(String language) {
        return new Composer(MailLanguage.load(language), "https://billing.example", "billing@hostmost.example");
    }

    @Command(name = "emails", description = "Email templates.", subcommands = Preview.class)
    static final class Emails {}

    @Command(name = "preview", description = "Write one example of every message (HTML and text) to a folder.")
    static final class Preview implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "The folder to write <template>.html and <template>.txt to.")
        Path out;

        @Option(names = "--language", defaultValue = "en", description = "The template file's language (default en).")
        String language;

        @Override
        public Integer call() throws Exception {
            if (Files.exists(out) && !Files.isDirectory(out))
                throw new IllegalArgumentException(out + " is a file: --out names a folder (made when missing)");
            try {
                Files.createDirectories(out);
            } catch (java.io.IOException e) {
                throw tollgate.core.FileFailure.said("cannot create the folder", e);
            }
            Composer composer = composer(language);
            for (Map.Entry<String, Notification> e : Samples.all().entrySet()) {
                Email email = composer.compose(e.getValue(), Samples.context());
                try {
                    Files.writeString(out.resolve(e.getKey() + ".html"), email.html(), StandardCharsets.UTF_8);
                    Files.writeString(out.resolve(e.getKey() + ".txt"), "Subject: " + email.subject() + "\n\n" + email.text(), StandardCharsets.UTF_8);
                } catch (java.io.IOException failed) {
                    throw tollgate.core.FileFailure.said("cannot write", failed);
                }
            }
            System.out.println(Samples.all().size() + " messages written to " + out);
            return 0;
        }
    }

    @Command(name = "emails", description = "Compose messages (model, templates, layout) and build their MIME text, "
            + "as the mail worker does before it sends, and report messages per second.")
    static final class Bench implements Callable<Integer> {
        @Option(names = "--messages", defaultValue = "100000", description = "How many messages (default 100000).")
        int messages;

        @Override
        public Integer call() throws Exception {
            if (messages < 1) throw new IllegalArgumentException("--messages must be at least 1");
            Composer composer = composer("en");
            List<Notification> samples = List.copyOf(Samples.all().values());
            Session session = Session.getInstance(new Properties());
            OutputStream sink = OutputStream.nullOutputStream();
            int warmup = Math.min(messages, 20_000);
            for (int i = 0; i < warmup; i++) composer.compose(samples.get(i % samples.size()), Samples.context());
            // CPU time too: on a machine shared with other work the wall clock says more about the neighbours than about us.
            java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            long start = System.nanoTime();
            long cpuStart = cpu.getCurrentThreadCpuTime();
            long bytes = 0;
            for (int i = 0; i < messages; i++) {
                Email email = composer.compose(samples.get(i % samples.size()), Samples.context());
                bytes += email.html().length() + email.text().length();
            }
            double composeSeconds = (System.nanoTime() - start) / 1e9;
            double composeCpu = (cpu.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            start = System.nanoTime();
            cpuStart = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < messages; i++) {
                Email email = composer.compose(samples.get(i % samples.size()), Samples.context());
                MimeMessage mime = tollgate.notify.SmtpMailer.mimeOf(session, email);
                mime.writeTo(sink);
            }
            double mimeSeconds = (System.nanoTime() - start) / 1e9;
            double mimeCpu = (cpu.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            System.out.printf("%d messages of %d kinds (%.1f KiB of HTML and text each on average)%n", messages, samples.size(),
                    bytes / 1024.0 / messages);
            System.out.printf("composed:        %.0f messages/s (%.2f s), %.0f per CPU second (one thread)%n", messages / composeSeconds,
                    composeSeconds, messages / composeCpu);
            System.out.printf("composed + MIME: %.0f messages/s (%.2f s), %.0f per CPU second (one thread)%n", messages / mimeSeconds,
                    mimeSeconds, messages / mimeCpu);
            return 0;
        }
    }
}
