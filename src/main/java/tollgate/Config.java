package tollgate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import tollgate.core.OwnerOnly;

/** Settings from the environment; see the README's configuration table. */
public record Config(String databaseUrl, String databaseUser, String databasePassword, Path dataDir, int port,
                     String bootstrapKey, String encryptionKey, SiteLimits siteLimits, StripeSettings stripe, MailSettings mail,
                     Network network, int testClockAdvancesPerMinute) {

    /** {@code TOLLGATE_TEST_CLOCK_ADVANCES_PER_MINUTE}: how often one test tenant may advance its clock (burst: as many). */
    public static final int DEFAULT_TEST_CLOCK_ADVANCES_PER_MINUTE = 120;

    /**
     * Where the server listens and whom it believes: {@code TOLLGATE_HOST} (default {@code 127.0.0.1}, or
     * {@code 0.0.0.0} inside a container, recognised by {@code /.dockerenv} or {@code /run/.containerenv}: put a TLS
     * proxy in front) and {@code TOLLGATE_TRUSTED_PROXIES} (comma-separated addresses or CIDRs whose
     * {@code X-Forwarded-For} is believed; none by default).
     */
    public record Network(String host, String trustedProxies) {
        public static final Network DEFAULT = new Network(null, null);

        public Network {
            if (host == null) host = inContainer() ? "0.0.0.0" : "127.0.0.1";
            if (!host.matches("[A-Za-z0-9.:%-]+"))
                throw new IllegalArgumentException("TOLLGATE_HOST must be a host name or an address, not '" + host + "'");
            requireOwnAddress(host);
            tollgate.api.ClientAddresses.parse(trustedProxies); // refused here, at start, when malformed
        }

        /**
         * An address the server can listen on: one the name resolves to (the one the web server binds) that this machine
         * has. Any other was found only when the server bound it, after the database was made and migrated, and then said
         * to be a port in use.
         */
        private static void requireOwnAddress(String host) {
            java.net.InetAddress address;
            try {
                address = java.net.InetAddress.getByName(host);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("TOLLGATE_HOST must be an IP address or a host name that resolves, not '" + host + "'");
            }
            boolean own;
            try {
                own = address.isAnyLocalAddress() || address.isLoopbackAddress() || java.net.NetworkInterface.getByInetAddress(address) != null;
            } catch (java.net.SocketException e) {
                own = true; // the interfaces cannot be read: the bind will say
            }
            if (!own)
                throw new IllegalArgumentException("TOLLGATE_HOST must be an address of this machine (0.0.0.0 or :: for all of them, "
                        + "127.0.0.1, or one of its network interfaces'), not '" + host + "'"
                        + (host.equals(address.getHostAddress()) ? "" : " (" + address.getHostAddress() + ")"));
        }

        /** Docker writes /.dockerenv, Podman /run/.containerenv: there, 127.0.0.1 would be unreachable from outside. */
        static boolean inContainer() {
            return Files.exists(Path.of("/.dockerenv")) || Files.exists(Path.of("/run/.containerenv"));
        }
    }

    /**
     * Email: {@code TOLLGATE_SMTP_URL} (null: no mail server; test tenants' mail is kept for {@code /dev/mail}),
     * {@code TOLLGATE_MAIL_FROM} (the sender of tenants that set none of their own) and {@code TOLLGATE_PUBLIC_URL} (the
     * address customers reach this server at, for the links in emails).
     */
    public record MailSettings(tollgate.notify.SmtpServer smtp, String defaultFrom, String publicUrl) {
        public static final MailSettings NONE = new MailSettings(null, null, null);

        public MailSettings {
            if (defaultFrom == null) defaultFrom = "billing@localhost";
            if (!defaultFrom.matches("[^@\\s]+@[^@\\s]+"))
                throw new IllegalArgumentException("TOLLGATE_MAIL_FROM must be an email address");
            if (publicUrl == null) publicUrl = "http://localhost:8080";
            if (!publicUrl.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?"))
                throw new IllegalArgumentException("TOLLGATE_PUBLIC_URL must be an http(s) URL, like https://billing.example.com");
            publicUrl = publicUrl.replaceAll("/+$", "");
        }

        public MailSettings withSmtp(tollgate.notify.SmtpServer server) {
            return new MailSettings(server, defaultFrom, publicUrl);
        }
    }

    /** How often one key and one client address may call the sites' endpoints, and how long validation caches. */
    public record SiteLimits(double perKeyPerSecond, double perAddressPerSecond, int cacheSeconds) {
        public static final SiteLimits DEFAULT = new SiteLimits(10, 200, 600);
    }

    /**
     * The Stripe gateway: {@code TOLLGATE_STRIPE_SECRET_KEY} ({@code sk_…} or a restricted {@code rk_…}; null: no Stripe)
     * and {@code TOLLGATE_STRIPE_API_BASE} (another address for Stripe's API, for tests against a stub).
     */
    public record StripeSettings(String secretKey, String apiBase) {
        public static final String DEFAULT_API_BASE = "https://api.stripe.com";
        public static final StripeSettings NONE = new StripeSettings(null, DEFAULT_API_BASE);

        public StripeSettings {
            if (secretKey != null && !secretKey.matches("(sk|rk)_[A-Za-z0-9_]+"))
                throw new IllegalArgumentException("TOLLGATE_STRIPE_SECRET_KEY must be a Stripe secret key (sk_live_…, sk_test_… or rk_…)");
            if (apiBase == null) apiBase = DEFAULT_API_BASE;
            if (!apiBase.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?"))
                throw new IllegalArgumentException("TOLLGATE_STRIPE_API_BASE must be an http(s) URL, like " + DEFAULT_API_BASE);
            apiBase = apiBase.replaceAll("/+$", "");
        }

        public boolean configured() {
            return secretKey != null;
        }

        /** Never the key itself: configurations get printed. */
        @Override
        public String toString() {
            return "StripeSettings[secretKey=" + (secretKey == null ? "none" : secretKey.substring(0, secretKey.indexOf('_', 3) + 1) + "…")
                    + ", apiBase=" + apiBase + "]";
        }
    }

    public Config {
        if (stripe == null) stripe = StripeSettings.NONE;
        if (network == null) network = Network.DEFAULT;
        if (testClockAdvancesPerMinute <= 0) testClockAdvancesPerMinute = DEFAULT_TEST_CLOCK_ADVANCES_PER_MINUTE;
        // SPEC §8: the bootstrap key makes a *test* tenant. A live key here would make a live tenant nobody asked for.
        if (bootstrapKey != null && !tollgate.tenants.ApiKeys.isWellFormed(bootstrapKey))
            throw new IllegalArgumentException("TOLLGATE_BOOTSTRAP_KEY must be tg_test_ followed by 16 or more letters or digits");
        if (bootstrapKey != null && tollgate.tenants.ApiKeys.modeOf(bootstrapKey) != tollgate.tenants.Tenant.Mode.TEST)
            throw new IllegalArgumentException("TOLLGATE_BOOTSTRAP_KEY is a live key (tg_live_…), but it can only make a test tenant: "
                    + "set a tg_test_ key, or create a live tenant with `tollgate tenant create --name N --mode live`");
        if (mail == null) mail = MailSettings.NONE;
    }

    public Config(String databaseUrl, String databaseUser, String databasePassword, Path dataDir, int port,
                  String bootstrapKey, String encryptionKey, SiteLimits siteLimits, StripeSettings stripe, MailSettings mail) {
        this(databaseUrl, databaseUser, databasePassword, dataDir, port, bootstrapKey, encryptionKey, siteLimits, stripe, mail, Network.DEFAULT, DEFAULT_TEST_CLOCK_ADVANCES_PER_MINUTE);
    }

    public Config(String databaseUrl, String databaseUser, String databasePassword, Path dataDir, int port,
                  String bootstrapKey, String encryptionKey, SiteLimits siteLimits, StripeSettings stripe) {
        this(databaseUrl, databaseUser, databasePassword, dataDir, port, bootstrapKey, encryptionKey, siteLimits, stripe, MailSettings.NONE);
    }

    public Config(String databaseUrl, String databaseUser, String databasePassword, Path dataDir, int port,
                  String bootstrapKey, String encryptionKey, SiteLimits siteLimits) {
        this(databaseUrl, databaseUser, databasePassword, dataDir, port, bootstrapKey, encryptionKey, siteLimits, StripeSettings.NONE);
    }

    public Config(String databaseUrl, String databaseUser, String databasePassword, Path dataDir, int port, String bootstrapKey) {
        this(databaseUrl, databaseUser, databasePassword, dataDir, port, bootstrapKey, null, SiteLimits.DEFAULT);
    }

    public static Config fromEnvironment(Map<String, String> env) {
        Path dataDir = Path.of(env.getOrDefault("TOLLGATE_DATA_DIR", "data"));
        String url = env.get("TOLLGATE_DATABASE_URL");
        if (url != null && !url.startsWith("jdbc:postgresql:"))
            throw new IllegalArgumentException("TOLLGATE_DATABASE_URL must be a jdbc:postgresql:// URL");
        // The old yes/no switch believed X-Forwarded-Proto from any caller; refused, so a deployment that set it does not
        // quietly lose its Secure cookies either (decision 054).
        if (blankToNull(env.get("TOLLGATE_TRUST_PROXY")) != null)
            throw new IllegalArgumentException("TOLLGATE_TRUST_PROXY is replaced by TOLLGATE_TRUSTED_PROXIES: name your TLS proxy's "
                    + "address or CIDR block there (X-Forwarded-Proto and X-Forwarded-For are believed from those addresses only)");
        SiteLimits limits = new SiteLimits(
                number(env, "TOLLGATE_SITE_RATE_PER_KEY", SiteLimits.DEFAULT.perKeyPerSecond()),
                number(env, "TOLLGATE_SITE_RATE_PER_ADDRESS", SiteLimits.DEFAULT.perAddressPerSecond()),
                wholeNumber(env, "TOLLGATE_VALIDATE_CACHE_SECONDS", SiteLimits.DEFAULT.cacheSeconds(), 1, Integer.MAX_VALUE));
        StripeSettings stripe = new StripeSettings(blankToNull(env.get("TOLLGATE_STRIPE_SECRET_KEY")),
                blankToNull(env.get("TOLLGATE_STRIPE_API_BASE")));
        String smtpUrl = blankToNull(env.get("TOLLGATE_SMTP_URL"));
        int port = port(env.get("TOLLGATE_PORT"));
        // Read again by the server as it builds its parts, after the database is opened and migrated: refused here first.
        liveLease(env);
        liveBatch(env);
        apiConcurrency(env, Tollgate.POOL_SIZE);
        // Unset, the public address is this server's own on this machine, at its port (links in emails must lead back).
        String publicUrl = blankToNull(env.get("TOLLGATE_PUBLIC_URL"));
        MailSettings mail = new MailSettings(smtpUrl == null ? null : tollgate.notify.SmtpServer.parse(smtpUrl),
                blankToNull(env.get("TOLLGATE_MAIL_FROM")), publicUrl != null ? publicUrl : "http://localhost:" + port);
        return new Config(url, env.get("TOLLGATE_DATABASE_USER"), env.get("TOLLGATE_DATABASE_PASSWORD"), dataDir,
                port, blankToNull(env.get("TOLLGATE_BOOTSTRAP_KEY")),
                blankToNull(env.get("TOLLGATE_ENCRYPTION_KEY")), limits, stripe, mail,
                new Network(blankToNull(env.get("TOLLGATE_HOST")), blankToNull(env.get("TOLLGATE_TRUSTED_PROXIES"))),
                wholeNumber(env, "TOLLGATE_TEST_CLOCK_ADVANCES_PER_MINUTE", DEFAULT_TEST_CLOCK_ADVANCES_PER_MINUTE, 1, Integer.MAX_VALUE));
    }

    /**
     * The server's clock: {@code system}, or, when {@code TOLLGATE_CLOCK_START} names an instant (ISO-8601, e.g.
     * {@code 2026-06-30T23:59:50Z}), a clock that starts there when the process starts and ticks with the real time.
     * Only for rehearsals and tests of a month-end (the live tenants' work falls due by this clock): it is refused
     * unless {@code TOLLGATE_ALLOW_CLOCK_OVERRIDE=true} says so too, so a stray variable cannot move a production
     * server's time.
     */
    public static java.time.Clock clock(Map<String, String> env, java.time.Clock system) {
        String start = blankToNull(env.get("TOLLGATE_CLOCK_START"));
        if (start == null) return system;
        if (!"true".equals(env.get("TOLLGATE_ALLOW_CLOCK_OVERRIDE")))
            throw new IllegalArgumentException("TOLLGATE_CLOCK_START moves the server's clock, and is refused unless "
                    + "TOLLGATE_ALLOW_CLOCK_OVERRIDE=true is set too (never on a production server)");
        java.time.Instant at;
        try {
            at = java.time.Instant.parse(start.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("TOLLGATE_CLOCK_START must be an ISO-8601 instant, like 2026-06-30T23:59:50Z");
        }
        return java.time.Clock.offset(system, java.time.Duration.between(system.instant(), at));
    }

    /**
     * {@code TOLLGATE_PDF_FONTS}: font files (TrueType or OpenType; a {@code .ttc} collection's first face) that invoices
     * and credit notes fall back to, in this order, for characters Liberation Sans lacks, separated by {@code :} as in
     * {@code PATH} (decision 088). Unset: none. Each is read, and refused when it is not a font, at start.
     */
    public static java.util.List<Path> pdfFonts(Map<String, String> env) {
        String value = blankToNull(env.get("TOLLGATE_PDF_FONTS"));
        if (value == null) return java.util.List.of();
        return java.util.Arrays.stream(value.split(java.io.File.pathSeparator)).map(String::strip).filter(p -> !p.isEmpty())
                .map(Path::of).toList();
    }

    /** Connections of the database pool that API requests leave to Tollgate's own workers (decision 061). */
    public static final int WORKER_CONNECTIONS = 8;

    /**
     * {@code TOLLGATE_API_CONCURRENCY}: how many API requests are at their work at once (default the pool's connections
     * less the {@link #WORKER_CONNECTIONS} kept for the workers; 1 up to the pool's size). Others wait their turn up to 5 s,
     * then answer 503 {@code overloaded} (decision 061).
     */
    public static int apiConcurrency(Map<String, String> env, int poolSize) {
        return wholeNumber(env, "TOLLGATE_API_CONCURRENCY", Math.max(1, poolSize - WORKER_CONNECTIONS), 1, poolSize);
    }

    /**
     * {@code TOLLGATE_LIVE_BATCH}: how many due rows the live worker claims at once (default 500, 1–5,000). Smaller batches
     * spread a small month-end over more nodes; larger ones cost fewer transactions (decision 043).
     */
    public static int liveBatch(Map<String, String> env) {
        return wholeNumber(env, "TOLLGATE_LIVE_BATCH", 500, 1, 5000);
    }

    /**
     * {@code TOLLGATE_LIVE_LEASE_SECONDS}: how long a first charge's rows stay leased between writing its attempt and
     * recording the gateway's answer (default 600, at least 5): a process killed in between leaves them to be taken up
     * again after this (decision 043).
     */
    public static java.time.Duration liveLease(Map<String, String> env) {
        return java.time.Duration.ofSeconds(wholeNumber(env, "TOLLGATE_LIVE_LEASE_SECONDS", 600, 5, 86_400));
    }

    /** The PostgreSQL URL when one is set, else the embedded H2 file under the data directory. */
    public String jdbcUrl() {
        return databaseUrl != null ? databaseUrl : tollgate.core.Database.h2FileUrl(dataDir);
    }

    /**
     * The 32-byte key that seals license keys and signing keys at rest: {@code TOLLGATE_ENCRYPTION_KEY} (base64),
     * else {@code encryption.key} in the data directory, made on first use (fine for a trial; set the variable in
     * production and keep it out of the database's backups).
     */
    public byte[] encryptionKeyBytes() {
        if (encryptionKey != null) return decodeKey(encryptionKey, "TOLLGATE_ENCRYPTION_KEY");
        Path file = dataDir.resolve("encryption.key");
        try {
            if (!Files.exists(file)) {
                prepareDataDir();
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                writePrivately(file, Base64.getEncoder().encodeToString(key) + "\n");
            }
            return decodeKey(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    /** The data directories this process has warned about: a start prepares its directory at every step that writes there. */
    private static final java.util.Set<Path> WARNED_OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Creates the data directory readable by its owner only (0700) when it does not exist: the H2 files, the
     * encryption key and the first tenant's key live there. An existing directory open to others is said in a
     * warning, once, not changed (it may be a directory the operator shares on purpose).
     */
    public void prepareDataDir() {
        try {
            if (Files.isDirectory(dataDir)) {
                if (OwnerOnly.supported(dataDir) && !Files.getPosixFilePermissions(dataDir).equals(OwnerOnly.DIR)
                        && WARNED_OPEN.add(dataDir.toAbsolutePath().normalize()))
                    org.slf4j.LoggerFactory.getLogger("tollgate.start").warn("the data directory {} is open to other users; "
                            + "`chmod 700 {}` keeps the database and keys to the server's own user", dataDir, dataDir);
                return;
            }
            if (OwnerOnly.supported(dataDir.toAbsolutePath().getParent()))
                Files.createDirectories(dataDir, OwnerOnly.asAttribute(OwnerOnly.DIR));
            else Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        }
    }

    /**
     * Writes a secret to {@code file}, readable by its owner only from its first byte: a temporary file is created 0600
     * (never chmod-ed afterwards), written, then linked to its name, which fails rather than replace a file another
     * process made meanwhile. Answers false when {@code file} existed already.
     */
    public static boolean writePrivately(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = OwnerOnly.supported(dir)
                ? Files.createTempFile(dir, ".tmp-", ".part", OwnerOnly.asAttribute(OwnerOnly.FILE))
                : Files.createTempFile(dir, ".tmp-", ".part");
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            try {
                Files.createLink(file, tmp);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException e) {
                try {
                    Files.move(tmp, file); // no hard links here: a plain move, which also refuses to replace
                    return true;
                } catch (java.nio.file.FileAlreadyExistsException exists) {
                    return false;
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The embedded H2 files are made by H2 with the process's umask: they are set to 0600 once open (the 0700
     * directory already keeps other users out).
     */
    public void protectDatabaseFiles() {
        if (databaseUrl != null || !Files.isDirectory(dataDir) || !OwnerOnly.supported(dataDir)) return;
        try (var files = Files.newDirectoryStream(dataDir, "tollgate*.db")) {
            for (Path f : files) Files.setPosixFilePermissions(f, OwnerOnly.FILE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot protect the database files in " + dataDir, e);
        }
    }

    public Config withEncryptionKey(String base64Key) {
        return new Config(databaseUrl, databaseUser, databasePassword, dataDir, port, bootstrapKey, base64Key, siteLimits, stripe, mail, network, testClockAdvancesPerMinute);
    }

    public Config withStripe(StripeSettings settings) {
        return new Config(databaseUrl, databaseUser, databasePassword, dataDir, port, bootstrapKey, encryptionKey, siteLimits, settings, mail, network, testClockAdvancesPerMinute);
    }

    public Config withMail(MailSettings settings) {
        return new Config(databaseUrl, databaseUser, databasePassword, dataDir, port, bootstrapKey, encryptionKey, siteLimits, stripe, settings, network, testClockAdvancesPerMinute);
    }

    public Config withNetwork(Network settings) {
        return new Config(databaseUrl, databaseUser, databasePassword, dataDir, port, bootstrapKey, encryptionKey, siteLimits, stripe, mail, settings, testClockAdvancesPerMinute);
    }

    public Config withTestClockAdvancesPerMinute(int perMinute) {
        return new Config(databaseUrl, databaseUser, databasePassword, dataDir, port, bootstrapKey, encryptionKey, siteLimits, stripe, mail, network, perMinute);
    }

    private static byte[] decodeKey(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)");
        }
        if (key.length != 32) throw new IllegalArgumentException(source + " must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)");
        return key;
    }

    /** {@code TOLLGATE_PORT}: a TCP port, 1–65535 (default 8080); anything else stops the start before the database is touched. */
    private static int port(String value) {
        if (value == null || value.isBlank()) return 8080;
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 1 && port <= 65_535) return port;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("TOLLGATE_PORT must be a port number from 1 to 65535, not '" + value.strip() + "'");
    }

    private static double number(Map<String, String> env, String name, double fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            double d = Double.parseDouble(v.strip());
            if (d <= 0 || Double.isNaN(d) || Double.isInfinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a positive number");
        }
    }

    /**
     * A setting that counts (seconds, rows, requests): digits only, from {@code min} to {@code max}; {@code fallback}
     * when unset. Read as a double before, it took 1e3, 600.0 and 0x1p10, and cut 0.5 to 0.
     */
    private static int wholeNumber(Map<String, String> env, String name, int fallback, int min, int max) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return fallback;
        String digits = v.strip();
        try {
            if (digits.matches("[0-9]+")) {
                long n = Long.parseLong(digits);
                if (n >= min && n <= max) return (int) n;
            }
        } catch (NumberFormatException tooLong) {
            // said below
        }
        throw new IllegalArgumentException(name + " must be a whole number " + (max == Integer.MAX_VALUE ? "of at least " + min
                : "from " + min + " to " + max) + ", not '" + digits + "'");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
