package tollgate.core;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import java.util.concurrent.atomic.LongAdder;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/** The connection pool, the jOOQ context and the migrations: PostgreSQL or an embedded H2 file. */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final DSLContext dsl;
    private final SQLDialect dialect;
    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    /**
     * Whether inserts and statements {@link #byKey} are prepared on the server ({@link #planned}): on PostgreSQL, unless
     * the URL sets the driver's threshold.
     */
    private final boolean preparesOnServer;
    /** The transaction {@link #inOne} opened on this thread: {@link #tx} and {@link #dsl} join it while it runs. */
    private final ThreadLocal<DSLContext> joined = new ThreadLocal<>();

    static {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
    }

    private Database(HikariDataSource dataSource, SQLDialect dialect, boolean preparesOnServer) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.preparesOnServer = preparesOnServer;
        this.dsl = DSL.using(new DefaultConfiguration()
                .set(dataSource)
                .set(dialect)
                .set(new Settings()
                        .withRenderSchema(false)
                        .withBindOffsetDateTimeType(true)
                        .withExecuteLogging(false)
                        .withRenderFormatted(false))
                .set(new DefaultExecuteListenerProvider(new ExecuteListener() {
                    @Override
                    public void executeStart(ExecuteContext ctx) {
                        (reads(ctx.sql()) ? reads : writes).increment();
                    }

                    @Override
                    public void prepareEnd(ExecuteContext ctx) {
                        if (ctx.statement() != null) planned(ctx.statement(), ctx.sql());
                    }
                })));
        // Bulk's statements, sent past jOOQ straight through JDBC, are counted as writes too, and may be deferred.
        dsl.configuration().data(Bulk.DATABASE, this);
    }

    /** Runs of a statement on a connection before the driver prepares it on the server (the driver's own default). */
    private static final int PREPARED_AFTER = 5;

    /**
     * Decision 074: an INSERT run {@link #PREPARED_AFTER} times on a connection is prepared on the server, so
     * PostgreSQL parses and plans it once (an insert's plan has no path to choose, whatever its values); so is a
     * statement declared {@link #byKey} (decision 083). Every other statement is planned with its values, as the
     * connection's {@code prepareThreshold=0} has it: a generic plan cannot know which tenant it serves, and for a
     * lookup of several ids it may read a large tenant's rows whole.
     * JDBC statements made past jOOQ ({@link Bulk}, the usage store) pass through here too.
     */
    void planned(java.sql.Statement statement, String sql) {
        if (isInsert(sql) || BY_KEY.contains(sql)) preparedOnServer(statement);
    }

    /** The texts {@link #byKey} declared. */
    private static final java.util.Set<String> BY_KEY = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Declares {@code sql} a statement on one row found by its table's primary key, equal to one value ({@code … where
     * tenant_id = ? and id = ?}, {@code id} the key), prepared on the server like an insert (decision 083). Its generic
     * plan must take that key: an index that leads with {@code tenant_id} and filters by id would read a large tenant's
     * rows whole, and {@code KeyedStatementsTest} EXPLAINs every declared text on a migrated PostgreSQL schema to refuse
     * that. The caller decides, at the statement's definition, as {@link #planned} cannot from the text. Answers {@code sql}.
     */
    public static String byKey(String sql) {
        BY_KEY.add(sql);
        return sql;
    }

    /** What {@link #byKey} has declared so far (the classes that declare are loaded): for the test of each one's plan. */
    static List<String> declaredByKey() {
        return List.copyOf(new java.util.TreeSet<>(BY_KEY));
    }

    /**
     * {@link #planned}'s preparing on the server; also for a text its caller knows to be made of inserts only
     * ({@link #isInsert} each).
     */
    void preparedOnServer(java.sql.Statement statement) {
        if (!preparesOnServer) return;
        try {
            statement.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(PREPARED_AFTER);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("not a PostgreSQL statement", e);
        }
    }

    /**
     * Whether {@code sql} is an INSERT whose plan has no path to choose (decision 074's statements prepared on the
     * server): {@code insert … values …}, or {@code insert … select … from unnest(…)}; one that reads a table
     * ({@code insert … select … from t where …}) is planned with its values like any lookup.
     */
    static boolean isInsert(String sql) {
        String s = sql.stripLeading();
        if (!s.regionMatches(true, 0, "insert ", 0, 7)) return false;
        for (int at = s.indexOf(' '); at >= 0 && at < s.length() - 6; at = s.indexOf(' ', at + 1))
            if (s.regionMatches(true, at, " from ", 0, 6) && !s.regionMatches(true, at + 6, "unnest(", 0, 7)) return false;
        return true;
    }

    /** Bulk's statements, sent straight through JDBC, counted with jOOQ's. */
    void countWrites(int statements) {
        writes.add(statements);
    }

    /** The writes {@link #deferringWrites} keeps back on this thread ({@code {sql, values}} each), or null when not deferring. */
    private final ThreadLocal<List<Object[]>> deferred = new ThreadLocal<>();

    /**
     * Inside {@link #inOne}: runs {@code work} with the inserts it makes through {@link Bulk#insertRows} and
     * {@link Bulk#write} kept back, to be sent together by {@link #sendDeferred} before it returns: on PostgreSQL in one
     * round trip, where each would have been one (decision 068: a batch of licenses' timeline rows, licenses, events,
     * audit lines and keys). Only for work that reads none of those rows back before they are sent, and that answers
     * nothing from their counts but what {@link #sendDeferred} answers. Elsewhere (H2) they run in place.
     */
    public <T> T deferringWrites(java.util.function.Supplier<T> work) {
        if (joined.get() == null) throw new IllegalStateException("writes are deferred only inside the one transaction");
        List<Object[]> kept = new java.util.ArrayList<>();
        deferred.set(kept);
        try {
            T result = work.get();
            if (!kept.isEmpty()) throw new IllegalStateException(kept.size() + " deferred writes were never sent");
            return result;
        } finally {
            deferred.remove();
        }
    }

    /** Whether writes through {@link Bulk} are being kept back on this thread (PostgreSQL, inside {@link #deferringWrites}). */
    boolean deferring() {
        return deferred.get() != null && dialect == SQLDialect.POSTGRES;
    }

    /** {@link Bulk}'s question: keep this write back for {@link #sendDeferred}? (Only on PostgreSQL, inside {@link #deferringWrites}.) */
    boolean defer(String sql, Object[] values) {
        List<Object[]> kept = deferred.get();
        if (kept == null || dialect != SQLDialect.POSTGRES) return false;
        kept.add(new Object[] {sql, values});
        return true;
    }

    /** Sends the writes kept back so far, in the order made, in one round trip; answers their update counts in that order. */
    public int[] sendDeferred(DSLContext tx) {
        List<Object[]> kept = deferred.get();
        if (kept == null || kept.isEmpty()) return new int[0];
        List<Object[]> sending = List.copyOf(kept);
        kept.clear();
        return Bulk.sendAll(tx, sending);
    }

    /**
     * Whether a statement only reads: it starts with {@code select}, or with {@code with} and changes no rows. Told from
     * the first word rather than by jOOQ's {@code ExecuteContext.type()}, which compiles regular expressions for every
     * statement (4 % of an API write's CPU; decision 060).
     */
    static boolean reads(String sql) {
        if (sql == null) return false;
        int i = 0;
        while (i < sql.length() && (Character.isWhitespace(sql.charAt(i)) || sql.charAt(i) == '(')) i++;
        if (sql.regionMatches(true, i, "select", 0, 6)) return true;
        if (!sql.regionMatches(true, i, "with", 0, 4)) return false;
        return !CHANGES_ROWS.matcher(sql).find();
    }

    /** A {@code with} statement's word that changes rows ({@code for update} only locks them). Compiled once. */
    private static final java.util.regex.Pattern CHANGES_ROWS =
            java.util.regex.Pattern.compile("(?i)(?<!for\\s)\\b(insert|update|delete|merge)\\b");

    /** Statements run since start: reads (queries) and writes (everything else). Ops metrics and tests read these. */
    public long statementsRead() { return reads.sum(); }
    public long statementsWritten() { return writes.sum(); }

    /** PostgreSQL's keepalives on our sessions (decision 065): idle 60 s, then a probe every 10 s, 6 unanswered: dead. */
    static final int KEEPALIVE_IDLE_SECONDS = 60;
    static final int KEEPALIVE_INTERVAL_SECONDS = 10;
    static final int KEEPALIVE_COUNT = 6;
    /**
     * How long PostgreSQL lets one of our sessions sit in an open transaction doing nothing before it ends the session
     * (decision 065): far longer than any transaction of ours waits between statements (a gateway call inside an
     * invoice's lock is at most 35 s per card), short enough that a hung process does not hold its rows for ever.
     */
    static final java.time.Duration IDLE_IN_TRANSACTION = java.time.Duration.ofMinutes(10);

    /** Opens a pool on a {@code jdbc:postgresql:} or {@code jdbc:h2:} URL. */
    public static Database open(String url, String user, String password, int poolSize) {
        return open(url, user, password, poolSize, "tollgate");
    }

    /** A pool named {@code name}: a second, small one serves writes that must commit apart from the caller's transaction. */
    public static Database open(String url, String user, String password, int poolSize, String name) {
        SQLDialect dialect;
        if (url.startsWith("jdbc:postgresql:")) dialect = SQLDialect.POSTGRES;
        else if (url.startsWith("jdbc:h2:")) dialect = SQLDialect.H2;
        else throw new IllegalArgumentException("Unsupported database URL (jdbc:postgresql: or jdbc:h2: expected): " + url);
        boolean setsPrepareThreshold = url.toLowerCase(java.util.Locale.ROOT).contains("preparethreshold=");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null) config.setUsername(user);
        if (password != null) config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        // Open connections as they are needed, so a start does not wait for (or compete with) a full pool.
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setInitializationFailTimeout(-1);
        // PostgreSQL: a JDBC batch of inserts goes as multi-row inserts (the billing run writes in batches).
        if (dialect == SQLDialect.POSTGRES) {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            // Plan each statement with its values: a generic plan for "tenant_id = $1 and id in ($2, …)" reads every
            // row of the tenant, for want of statistics (which turned the billing run's batches quadratic,
            // docs/BENCHMARKS.md) or because the tenant is a large one among many small ones (decision 074). Inserts
            // are prepared on the server all the same (planned), unless the URL sets the threshold itself
            // (behind a pooler that cannot keep prepared statements: prepareThreshold=0).
            if (!setsPrepareThreshold) config.addDataSourceProperty("prepareThreshold", "0");
            // Compress large values (the invoice events' JSON, ~5 kB each) with lz4 rather than pglz: a third of the
            // CPU per event in the billing run (docs/BENCHMARKS.md). Servers built without lz4 keep their default.
            // The server gives up on a session of ours that is gone (decision 065): a node cut off from the network is
            // found dead within about two minutes, not the kernel's two hours, and a transaction left open by a process
            // that hangs is ended after IDLE_IN_TRANSACTION; either way the rows it held are free again.
            config.setConnectionInitSql("do $$ begin "
                    + "perform set_config('tcp_keepalives_idle', '" + KEEPALIVE_IDLE_SECONDS + "', false); "
                    + "perform set_config('tcp_keepalives_interval', '" + KEEPALIVE_INTERVAL_SECONDS + "', false); "
                    + "perform set_config('tcp_keepalives_count', '" + KEEPALIVE_COUNT + "', false); "
                    + "perform set_config('idle_in_transaction_session_timeout', '" + IDLE_IN_TRANSACTION.toMillis() + "', false); "
                    + "begin perform set_config('default_toast_compression', 'lz4', false); "
                    + "exception when others then null; end; end $$");
        }
        config.setPoolName(name);
        config.setConnectionTimeout(10_000);
        return new Database(new HikariDataSource(config), dialect, dialect == SQLDialect.POSTGRES && !setsPrepareThreshold);
    }

    /** How long H2 lets any transaction wait for a lock before it fails as a {@link #lostRace} (its URL's LOCK_TIMEOUT). */
    public static final java.time.Duration H2_LOCK_TIMEOUT = java.time.Duration.ofSeconds(10);

    /** An H2 file database in PostgreSQL mode, as the embedded default. */
    public static String h2FileUrl(java.nio.file.Path dir) {
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("tollgate")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=" + H2_LOCK_TIMEOUT.toMillis() + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    public static String h2MemoryUrl(String name) {
        return "jdbc:h2:mem:" + name
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=" + H2_LOCK_TIMEOUT.toMillis() + ";DB_CLOSE_DELAY=-1";
    }

    public int migrate() {
        int ran = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate()
                .migrationsExecuted;
        // H2 writes what was committed to its file within its write delay (half a second): a process stopped just after
        // the migrations could lose the last of them, leaving a table made but not recorded. Written now, whole.
        if (ran > 0 && dialect.family() == SQLDialect.H2) dsl.execute("checkpoint sync");
        return ran;
    }

    /** The context for statements outside a transaction of their own: inside {@link #inOne}, its transaction. */
    public DSLContext dsl() {
        DSLContext tx = joined.get();
        return tx != null ? tx : dsl;
    }
    public SQLDialect dialect() { return dialect; }
    public DataSource dataSource() { return dataSource; }

    /**
     * SQLStates of a transaction the database rolled back whole because it lost a race for row locks: PostgreSQL's
     * deadlock_detected (40P01), serialization_failure (40001, also H2's deadlock) and lock_not_available (55P03), and
     * H2's lock timeout (HYT00). Nothing of it was written, and the same work run again may well succeed.
     */
    private static final java.util.Set<String> LOST_RACE = java.util.Set.of("40P01", "40001", "55P03", "HYT00");

    /** Whether {@code e} (or what it wraps) is a transaction that lost a race for locks ({@link #LOST_RACE}). */
    public static boolean lostRace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause())
            if (t instanceof java.sql.SQLException s && s.getSQLState() != null && LOST_RACE.contains(s.getSQLState())) return true;
        return false;
    }

    /**
     * Whether {@code e} (or what it wraps) says the database cannot be reached now, rather than that a statement was wrong:
     * no connection within the pool's timeout (Hikari's {@link java.sql.SQLTransientConnectionException}), a connection
     * exception (SQLState class 08: refused, reset, an I/O error on the socket), the server shutting down, starting or
     * recovering (57P01–57P03), a connection the pool has already closed because the database broke it, or a standby not
     * yet promoted refusing a write during a failover (25006). The transaction did not commit, or its commit was not heard
     * of: the same request, with the same {@code Idempotency-Key}, may be sent again once the database is back (decision
     * 051).
     */
    public static boolean unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException) return true;
            // The pool's stand-in for a connection it closed once the database broke it (Hikari gives it no SQLState).
            if (t instanceof java.sql.SQLException s && s.getSQLState() == null && "Connection is closed".equals(s.getMessage())) return true;
            if (t instanceof java.sql.SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || UNAVAILABLE.contains(state)) return true;
            }
        }
        return false;
    }

    private static final java.util.Set<String> UNAVAILABLE = java.util.Set.of("57P01", "57P02", "57P03", "25006");

    /**
     * Runs {@code work} in one transaction; any exception rolls it back. Inside {@link #inOne} on the same thread it is a
     * part of that transaction, and nothing commits before the whole. A part within a part is a savepoint: an exception
     * rolls back that part only. An outermost part has none (two round trips fewer per request, decision 066): an
     * exception out of it dooms the whole transaction, which {@link #inOne} then rolls back whatever its work answers.
     */
    public <T> T tx(Function<DSLContext, T> work) {
        DSLContext outer = joined.get();
        if (outer != null) {
            // A part rolled back takes back what it left for the commit and the writes it deferred (its rows are gone with it).
            List<java.util.function.Consumer<DSLContext>> last = atCommit.get();
            int before = last.size();
            List<Object[]> kept = deferred.get();
            int keptBefore = kept == null ? 0 : kept.size();
            List<Runnable> after = committed.get();
            int afterBefore = after.size();
            Parts parts = this.parts.get();
            boolean outermost = parts.depth == 0;
            parts.depth++;
            try {
                return outermost ? work.apply(outer) : outer.transactionResult(cfg -> work.apply(cfg.dsl()));
            } catch (RuntimeException | Error e) {
                if (outermost) parts.doomed = true;
                last.subList(before, last.size()).clear();
                if (kept != null && kept.size() > keptBefore) kept.subList(keptBefore, kept.size()).clear();
                if (after.size() > afterBefore) after.subList(afterBefore, after.size()).clear();
                throw e;
            } finally {
                parts.depth--;
            }
        }
        return thenAfterCommit(() -> dsl.transactionResult(cfg -> work.apply(bounded(cfg.dsl()))));
    }

    /** What {@link #afterCommit} left for after the commit of the transaction running on this thread; null: none is running. */
    private final ThreadLocal<List<Runnable>> committed = new ThreadLocal<>();

    /**
     * Runs {@code action} once the transaction running on this thread has committed ({@link #tx} or {@link #inOne}: the
     * whole one transaction), or now when none is running; not at all when it rolls back (a part of {@link #inOne} rolled
     * back takes its own back). For what must not happen before the change is visible to other threads and processes:
     * an in-memory cache of the rows forgotten, say, so that a reader cannot cache the old rows again meanwhile. An
     * action that fails is logged and the others still run: the change has committed, and its answer stands.
     */
    public void afterCommit(Runnable action) {
        List<Runnable> queued = committed.get();
        if (queued == null) action.run();
        else queued.add(action);
    }

    /** Runs {@code transaction} (one of its own), then what it left for after its commit, in order. */
    private <T> T thenAfterCommit(java.util.function.Supplier<T> transaction) {
        List<Runnable> outer = committed.get();
        List<Runnable> mine = new java.util.ArrayList<>();
        committed.set(mine);
        T result;
        try {
            result = transaction.get();
        } finally {
            if (outer == null) committed.remove();
            else committed.set(outer);
        }
        for (Runnable action : mine) {
            try {
                action.run();
            } catch (RuntimeException e) {
                // The change has committed: its answer stands, and the other actions still run.
                org.slf4j.LoggerFactory.getLogger(Database.class).error("an action after a commit failed", e);
            }
        }
        return result;
    }

    /** The parts ({@link #tx}) of the {@link #inOne} transaction on this thread: how deep, and whether an outermost one failed. */
    private static final class Parts {
        int depth;
        boolean doomed;
    }

    private final ThreadLocal<Parts> parts = ThreadLocal.withInitial(Parts::new);

    /** How long a transaction begun on this thread waits for a row lock (PostgreSQL); null: as long as it takes. */
    private final ThreadLocal<java.time.Duration> lockWait = new ThreadLocal<>();

    /**
     * Runs {@code work} with every transaction it begins on this thread giving up on a lock it has waited {@code most}
     * for: on PostgreSQL a {@code set local lock_timeout} as the transaction's first statement, which then fails with
     * lock_not_available (55P03, a {@link #lostRace}) and is rolled back whole; H2 gives up after its own
     * {@code LOCK_TIMEOUT} on every transaction. For API requests (decision 064): a row held by a stuck or cut-off
     * transaction elsewhere must not keep a request, and its turn, waiting for as long as that lasts.
     */
    public <T> T waitingForLocksAtMost(java.time.Duration most, java.util.function.Supplier<T> work) {
        return withLockWait(java.util.Objects.requireNonNull(most), work);
    }

    /**
     * Runs {@code work} with the transactions it begins on this thread waiting for locks as long as it takes, also
     * within {@link #waitingForLocksAtMost}: Tollgate's own work that a request runs on its thread (a test tenant's
     * clock running what is due), which the workers would run unbounded.
     */
    public <T> T waitingForLocksAsLongAsItTakes(java.util.function.Supplier<T> work) {
        return withLockWait(null, work);
    }

    private <T> T withLockWait(java.time.Duration most, java.util.function.Supplier<T> work) {
        java.time.Duration before = lockWait.get();
        if (most == null) lockWait.remove();
        else lockWait.set(most);
        try {
            return work.get();
        } finally {
            if (before == null) lockWait.remove();
            else lockWait.set(before);
        }
    }

    /** {@code tx}, its lock waits bounded first when this thread asked for it ({@link #waitingForLocksAtMost}). */
    private DSLContext bounded(DSLContext tx) {
        java.time.Duration most = lockWait.get();
        if (most != null && dialect == SQLDialect.POSTGRES) tx.execute("set local lock_timeout = " + most.toMillis());
        return tx;
    }

    /** What {@link #once} read in the {@link #inOne} transaction running on this thread. */
    private final ThreadLocal<java.util.Map<Object, Object>> readOnce = ThreadLocal.withInitial(java.util.HashMap::new);

    /**
     * Inside {@link #inOne} on this thread: {@code read}'s answer the first time {@code key} is asked, then the same answer
     * until that transaction ends (a test tenant's clock, read once per request rather than by every service it calls).
     * Outside: {@code read}, every time. Whoever changes what was read calls {@link #forget}.
     */
    @SuppressWarnings("unchecked")
    public <T> T once(Object key, java.util.function.Supplier<T> read) {
        if (joined.get() == null) return read.get();
        java.util.Map<Object, Object> known = readOnce.get();
        Object v = known.get(key);
        if (v == null) {
            v = read.get();
            if (v != null) known.put(key, v);
        }
        return (T) v;
    }

    /** Inside {@link #inOne} on this thread: what {@link #once} keeps for {@code key}, else null. */
    @SuppressWarnings("unchecked")
    public <T> T kept(Object key) {
        return joined.get() == null ? null : (T) readOnce.get().get(key);
    }

    /** Inside {@link #inOne} on this thread: keeps {@code value} for {@code key} as {@link #once} would (nothing outside). */
    public void keep(Object key, Object value) {
        if (joined.get() != null) readOnce.get().put(key, value);
    }

    /** What {@link #once} keeps for {@code key} is forgotten (it was just changed). */
    public void forget(Object key) {
        readOnce.get().remove(key);
    }

    /** What {@link #last} left for the end of the {@link #inOne} transaction running on this thread, in order. */
    private final ThreadLocal<List<java.util.function.Consumer<DSLContext>>> atCommit = ThreadLocal.withInitial(java.util.ArrayList::new);

    /**
     * Inside {@link #inOne} on this thread: runs {@code statement} as the transaction's last work, after everything else
     * it does and just before its commit, and answers true; a part of it ({@link #tx}) rolled back takes its own back.
     * Outside (a transaction of its own, the side pool, another thread): answers false and runs nothing, and the caller
     * does the work in place. For a row lock every other writer of it waits for, such as a tenant's gapless number
     * (decision 058): taken last, it is held for the commit only.
     */
    public boolean last(java.util.function.Consumer<DSLContext> statement) {
        if (joined.get() == null) return false;
        atCommit.get().add(statement);
        return true;
    }

    /**
     * Runs {@code work} in one transaction that every {@link #tx} and {@link #dsl} of this pool on this thread joins until
     * it returns: services that each commit their own change commit once, together with what the caller writes around
     * them (an {@code Idempotency-Key}'s answer, decision 055). Only for work that makes no call outside the database and
     * needs nothing committed before its end: a change that must be durable before a gateway is asked must not run here.
     * Other threads and the side pool are not joined. The work must not answer as if a part that failed had not: an
     * outermost part has no savepoint of its own, so its failure leaves the transaction to be rolled back whole, and a
     * work that returns normally after one fails with {@link IllegalStateException} (nothing committed). A caller that
     * turns such a failure into a refusal throws to roll back (as {@code Idempotency.runInOne} does).
     */
    public <T> T inOne(Function<DSLContext, T> work) {
        if (joined.get() != null) return tx(work);
        return thenAfterCommit(() -> dsl.transactionResult(cfg -> {
            DSLContext tx = bounded(cfg.dsl());
            joined.set(tx);
            List<java.util.function.Consumer<DSLContext>> last = atCommit.get();
            last.clear();
            Parts parts = this.parts.get();
            try {
                T result = work.apply(tx);
                // A part failed and the work went on as if it had not: what the part wrote is still here, so nothing is.
                if (parts.doomed)
                    throw new IllegalStateException("a part of the one transaction failed and the work answered anyway; all of it is rolled back");
                // Each may add more (none does today): run until none is left.
                for (int i = 0; i < last.size(); i++) last.get(i).accept(tx);
                return result;
            } finally {
                last.clear();
                readOnce.get().clear();
                joined.remove();
                parts.depth = 0;
                parts.doomed = false;
            }
        }));
    }

    /** When {@link #keepStatistics} looks next (nanoTime), and how often. */
    private final java.util.concurrent.atomic.AtomicLong statisticsDue = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
    private static final long STATISTICS_EVERY_NANOS = java.time.Duration.ofSeconds(10).toNanos();
    /**
     * A table is analyzed again once it has changed by this many rows and by at least as many as it had. A thousand,
     * not more: unanalyzed, a few thousand subscriptions were enough for each signup to read all of its tenant's
     * (decision 067).
     */
    static final int STATISTICS_MIN_ROWS = 1_000;

    /**
     * For bulk work (the live month-end writes a million invoice lines in a minute) and, every 10 s on the timeline's
     * thread, for the API's writes: at most every 10 s, on PostgreSQL, {@link #analyzeWhatGrew}. Without statistics a
     * table filled since its last ANALYZE looks to the planner as if any value matched a two-hundredth of it: the first
     * charges' read of 500 invoices' lines became a scan of every line (decision 059), and a signup's reads of its
     * account's subscriptions a scan of the tenant's (decision 067). Autovacuum does the same when it is on, but only
     * each minute and with the first month's tables just as empty; the statements it runs are PostgreSQL's own and
     * change no row.
     */
    public void keepStatistics() {
        if (dialect != SQLDialect.POSTGRES) return;
        long due = statisticsDue.get();
        long now = System.nanoTime();
        if (now - due < 0 || !statisticsDue.compareAndSet(due, now + STATISTICS_EVERY_NANOS)) return;
        try {
            analyzeWhatGrew();
        } catch (RuntimeException e) {
            // Statistics are an aid to the planner: the work goes on without them (and the next look tries again).
            org.slf4j.LoggerFactory.getLogger(Database.class).warn("analyzing the tables that grew failed", e);
        }
    }

    /**
     * ANALYZEs the tables of the current schema that changed by at least {@link #STATISTICS_MIN_ROWS} rows and by at
     * least as many rows as they had at their last ANALYZE (so a growing table is looked at as it doubles); answers
     * their names. PostgreSQL only (H2 plans without such statistics): elsewhere none.
     */
    public List<String> analyzeWhatGrew() {
        if (dialect != SQLDialect.POSTGRES) return List.of();
        List<String> grown = dsl.fetch("select s.relname from pg_stat_user_tables s join pg_class c on c.oid = s.relid "
                + "where s.schemaname = current_schema() and s.n_mod_since_analyze >= greatest(?, c.reltuples) order by s.relname",
                STATISTICS_MIN_ROWS).getValues(0, String.class);
        // Straight through JDBC: PostgreSQL's upkeep, not a write of Tollgate's to count (statementsWritten). SKIP_LOCKED:
        // a table another ANALYZE or a VACUUM holds (another node's look, say) is left for the next look, rather than
        // have the timeline's thread wait for it (decision 067).
        for (String table : grown)
            dsl.connection(c -> {
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute("analyze (skip_locked) " + dsl.render(DSL.name(table)));
                }
            });
        return grown;
    }

    public boolean isHealthy() {
        try {
            return dsl.fetchOne("select 1").get(0, Integer.class) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
