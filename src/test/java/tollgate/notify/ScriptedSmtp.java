package tollgate.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal SMTP server that answers RCPT TO with whatever the test sets ({@link #rcpt}): "451 …" to refuse for
 * now, "550 …" for good, "250 …" to accept. GreenMail accepts everything; this one says no on cue.
 */
final class ScriptedSmtp implements AutoCloseable {
    volatile String rcpt = "250 2.1.5 OK";
    final AtomicInteger accepted = new AtomicInteger();
    private final ServerSocket socket;
    private final Thread acceptor;

    ScriptedSmtp() {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::accept, "scripted-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread.ofVirtual().start(() -> converse(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void converse(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
             OutputStream out = s.getOutputStream()) {
            say(out, "220 scripted ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
                switch (verb) {
                    case "EHLO", "HELO" -> say(out, "250 scripted");
                    case "MAIL", "RSET", "NOOP" -> say(out, "250 2.0.0 OK");
                    case "RCPT" -> say(out, rcpt);
                    case "DATA" -> {
                        say(out, "354 go ahead");
                        while ((line = in.readLine()) != null && !line.equals(".")) { /* the message */ }
                        accepted.incrementAndGet();
                        say(out, "250 2.0.0 queued as 42");
                    }
                    case "QUIT" -> {
                        say(out, "221 bye");
                        return;
                    }
                    default -> say(out, "502 5.5.2 what?");
                }
            }
        } catch (IOException e) {
            // the client hung up
        }
    }

    private static void say(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
