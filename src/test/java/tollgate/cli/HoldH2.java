package tollgate.cli;

import java.nio.file.Path;
import tollgate.core.Database;

/** A second process for {@link StartupMessagesTest}: holds the H2 file under a data directory open, as a server does. */
public final class HoldH2 {
    public static void main(String[] args) throws Exception {
        try (Database db = Database.open(Database.h2FileUrl(Path.of(args[0])), null, null, 2)) {
            db.migrate();
            System.out.println("holding");
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the parent closes our stdin or ends us
            }
        }
    }
}
